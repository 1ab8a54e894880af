/**
 * The one place the nodes talk HTTP to ACS: URL + api-version, JSON body serialised once,
 * signing (through the credential's `authenticate`), repeatability ids, retries and error mapping.
 */
import { randomUUID } from 'node:crypto';
import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { DEFAULT_API_VERSION } from '../../../credentials/AzureCommunicationServicesApi.credentials';
import { parseConnectionString } from '../helpers/connectionString';
import { checkRequestUrl, encodeSegment } from '../helpers/pathSegment';
import { scrubRequestError } from '../helpers/scrub';

export const CREDENTIAL_NAME = 'azureCommunicationServicesApi';

export type AcsContext = IExecuteFunctions | ILoadOptionsFunctions | IHookFunctions;

export interface AcsRequest {
	method: IHttpRequestMethods;
	/** Path under the endpoint, e.g. `/calling/callConnections/{id}:play` (ids already encoded). */
	path?: string;
	/** An absolute URL returned by ACS (a `nextLink`); used verbatim, no api-version added. */
	url?: string;
	body?: IDataObject;
	/** Send Repeatability-Request-ID / -First-Sent, as the SDK does for this operation. */
	repeatable?: boolean;
	itemIndex?: number;
}

export interface RetryPolicy {
	maxRetries: number;
	baseDelayMs: number;
	maxDelayMs: number;
	timeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxRetries: 3,
	baseDelayMs: 800,
	maxDelayMs: 16_000,
	timeoutMs: 30_000,
};

/** Connection failures after which nothing reached the server: always safe to retry. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
/** Failures where the request may have been processed: retried only when that is harmless. */
const MAYBE_SENT = new Set(['ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED', 'EPIPE', 'ERR_SOCKET_CONNECTION_TIMEOUT']);

const sleep = async (ms: number) => await new Promise<void>((resolve) => setTimeout(resolve, ms));

function header(headers: IDataObject | undefined, name: string): string | undefined {
	if (!headers) return undefined;
	const value = headers[name] ?? headers[name.toLowerCase()];
	return value === undefined || value === null ? undefined : String(value);
}

/** Delay a throttled/unavailable response asks for, as the SDK reads it; undefined when absent. */
export function retryAfterMs(headers: IDataObject | undefined): number | undefined {
	for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
		const ms = Number(header(headers, name));
		if (header(headers, name) !== undefined && Number.isFinite(ms) && ms >= 0) return ms;
	}
	const retryAfter = header(headers, 'retry-after');
	if (retryAfter === undefined) return undefined;
	const seconds = Number(retryAfter);
	if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
	const date = Date.parse(retryAfter);
	return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function backoff(attempt: number, policy: RetryPolicy): number {
	const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
	return Math.round(exp / 2 + Math.random() * (exp / 2));
}

function errorCode(error: unknown): string | undefined {
	// n8n wraps axios errors in NodeApiError; the socket error code may sit at several depths.
	const e = error as { code?: unknown; httpCode?: unknown; cause?: { code?: unknown; cause?: { code?: unknown } } };
	for (const code of [e?.cause?.code, e?.code, e?.cause?.cause?.code, e?.httpCode]) {
		if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
	}
	return undefined;
}

interface AcsErrorBody {
	error?: { code?: string; message?: string; target?: string; details?: unknown };
}

const HINTS: Record<number, string> = {
	400: 'ACS rejected the request as invalid. Check the fields named in the message.',
	401: 'The access key was rejected. Check the connection string in the credential (Azure portal > Keys) and that this machine\'s clock is correct.',
	403: 'The resource is not allowed to do this. Check the ACS resource\'s permissions, that the caller id number belongs to this resource, and that the call was created by this resource.',
	404: 'Not found. The call may have ended (calls are removed when they disconnect), or the id is wrong.',
	409: 'Another action on this call is still in progress. Retry after it completes.',
	412: 'The call is not in a state that allows this action (for example, another media operation is queued).',
	429: 'ACS is throttling requests. Lower the node\'s concurrency or spread the items over time.',
};

/** Turns an ACS error response into an n8n error that keeps status, ACS code and message. */
export function acsError(
	ctx: AcsContext,
	statusCode: number,
	body: unknown,
	itemIndex?: number,
): NodeApiError {
	const parsed = (typeof body === 'object' && body !== null ? body : {}) as AcsErrorBody;
	const acsCode = parsed.error?.code;
	const acsMessage = parsed.error?.message ?? (typeof body === 'string' && body ? body : undefined);
	const hint = HINTS[statusCode] ?? (statusCode >= 500 ? 'ACS had a temporary problem. Try again later.' : undefined);
	const message = `ACS returned ${statusCode}${acsCode ? ` (code ${acsCode})` : ''}: ${acsMessage ?? 'no error message'}`;
	const error = new NodeApiError(
		ctx.getNode(),
		{ statusCode, acsCode: acsCode ?? null, acsMessage: acsMessage ?? null, body: (body ?? null) as JsonObject } as JsonObject,
		{ message, description: hint, httpCode: String(statusCode), itemIndex },
	);
	return error;
}

interface Endpoint {
	endpoint: string;
	apiVersion: string;
}

/**
 * The credential is read once per node run, not once per request: every read decrypts it (and in n8n 1.x
 * loads it from the database), and a run can send thousands of requests through the same context.
 */
const endpoints = new WeakMap<AcsContext, Promise<Endpoint>>();

async function endpointOf(ctx: AcsContext): Promise<Endpoint> {
	let endpoint = endpoints.get(ctx);
	if (endpoint === undefined) {
		endpoint = (async () => {
			const credentials = await ctx.getCredentials(CREDENTIAL_NAME);
			return {
				endpoint: parseConnectionString(credentials.connectionString).endpoint,
				apiVersion: String(credentials.apiVersion || DEFAULT_API_VERSION),
			};
		})();
		endpoints.set(ctx, endpoint);
		// A failure is not kept: each item reports its own error, as before.
		endpoint.catch(() => endpoints.delete(ctx));
	}
	return await endpoint;
}

/**
 * Sends one logical request to ACS and returns the parsed JSON body ({} when empty).
 * Retries follow the SDK's policy; a repeatable request keeps its Repeatability-Request-ID across
 * retries, so a retried create never places a second call.
 */
export async function acsRequest<T = IDataObject>(
	this: AcsContext,
	request: AcsRequest,
	policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<T> {
	const { endpoint, apiVersion } = await endpointOf(this);
	let url: string;
	if (request.url) {
		// A nextLink comes from a response: it must not make the credential sign for another host or path.
		checkRequestUrl(new URL(request.url), endpoint);
		url = request.url;
	} else {
		const full = new URL((request.path ?? '/').replace(/^\//, ''), endpoint);
		full.searchParams.set('api-version', apiVersion);
		url = full.href;
	}
	const body = request.body === undefined ? undefined : JSON.stringify(request.body);
	const headers: IDataObject = { accept: 'application/json', 'x-ms-client-request-id': randomUUID() };
	if (body !== undefined) headers['content-type'] = 'application/json';
	if (request.repeatable) {
		headers['Repeatability-Request-ID'] = randomUUID();
		headers['Repeatability-First-Sent'] = new Date().toUTCString();
	}
	const safeToRepeat = request.repeatable === true || request.method === 'GET' || request.method === 'DELETE';

	for (let attempt = 0; ; attempt++) {
		const options: IHttpRequestOptions = {
			method: request.method,
			url,
			headers: { ...headers },
			body,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: policy.timeoutMs,
			json: true,
		};
		let response: IN8nHttpFullResponse;
		try {
			response = (await this.helpers.httpRequestWithAuthentication.call(
				this,
				CREDENTIAL_NAME,
				options,
			)) as IN8nHttpFullResponse;
		} catch (error) {
			scrubRequestError(error);
			const code = errorCode(error);
			const retryable = code !== undefined && (NOT_SENT.has(code) || (MAYBE_SENT.has(code) && safeToRepeat));
			if (retryable && attempt < policy.maxRetries) {
				await sleep(backoff(attempt, policy));
				continue;
			}
			if (error instanceof NodeApiError) {
				if (request.itemIndex !== undefined) error.context.itemIndex = request.itemIndex;
				if (code === 'ECONNREFUSED' || code === 'ENOTFOUND') {
					error.description = `Could not reach ${new URL(url).host}. Check the endpoint in the connection string and this machine's network/proxy settings.`;
				}
				throw error;
			}
			throw error;
		}
		const status = response.statusCode;
		if (status >= 200 && status < 300) {
			const data = response.body;
			if (data === undefined || data === null || data === '') return {} as T;
			if (typeof data === 'string') {
				try {
					return JSON.parse(data) as T;
				} catch {
					return { body: data } as T;
				}
			}
			return data as T;
		}
		const wait = retryAfterMs(response.headers as IDataObject);
		const throttled = (status === 429 || status === 503) && wait !== undefined;
		const transient = status === 408 || (status >= 500 && status !== 501 && status !== 505);
		const retry = throttled || (transient && (safeToRepeat || status === 503));
		if (retry && attempt < policy.maxRetries) {
			await sleep(Math.min(policy.maxDelayMs, wait ?? backoff(attempt, policy)));
			continue;
		}
		throw acsError(this, status, response.body, request.itemIndex);
	}
}

/** Follows `nextLink` until the last page or until `limit` values were collected. */
export async function acsRequestAllPages<T = IDataObject>(
	this: AcsContext,
	request: AcsRequest,
	limit?: number,
): Promise<T[]> {
	const values: T[] = [];
	let page = await acsRequest.call(this, request) as { value?: T[]; nextLink?: string };
	for (;;) {
		values.push(...(page.value ?? []));
		if (limit !== undefined && values.length >= limit) return values.slice(0, limit);
		if (!page.nextLink) return values;
		page = await acsRequest.call(this, { method: 'GET', url: page.nextLink, itemIndex: request.itemIndex }) as {
			value?: T[];
			nextLink?: string;
		};
	}
}

/** `encodeURIComponent` for ids that go into a path, as the SDK does for participant raw ids. */
export function encodeId(id: string): string {
	return encodeSegment(id);
}
