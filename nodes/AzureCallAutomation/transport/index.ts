/**
 * The one place the nodes talk HTTP to ACS: URL + api-version, JSON body serialised once,
 * signing (through the credential's `authenticate`), repeatability ids, retries and error mapping.
 */
import { randomUUID } from 'node:crypto';
import type {
	IAdditionalCredentialOptions,
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { DEFAULT_API_VERSION } from '../../../acs/defaults';
import { parseConnectionString } from '../../../acs/connectionString';
import { asNodeError } from '../helpers/errors';
import { checkRequestUrl, encodeSegment } from '../../../acs/pathSegment';
import { scrubRequestError } from '../helpers/scrub';
import { runOf, type NodeRun } from '../helpers/run';
import { CancelledError, DEFAULT_PACING, Pacer } from './pacing';
import { firstSentMs, REPEATABILITY_WINDOW_MS, reusableUntil } from './repeatability';

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
	/** How long a request may keep being retried after its first attempt; default: the run's Retry Budget. */
	budgetMs: number;
	baseDelayMs: number;
	maxDelayMs: number;
	/** Per attempt. */
	timeoutMs: number;
}

/** Back-off timing (tests shorten baseDelayMs); the budget comes from the node run. */
export const DEFAULT_RETRY_POLICY: Omit<RetryPolicy, 'budgetMs'> = {
	baseDelayMs: 800,
	maxDelayMs: 16_000,
	timeoutMs: 30_000,
};

/** Connection failures after which nothing reached the server: always safe to retry. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
/** Failures where the request may have been processed: retried only when that is harmless. */
const MAYBE_SENT = new Set(['ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED', 'EPIPE', 'ERR_SOCKET_CONNECTION_TIMEOUT']);

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
	const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(attempt, 30));
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
	429: 'ACS is throttling requests. The node slows down and retries them; if this persists, raise Retry Budget or set Max Requests per Second (Request Options).',
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

export interface Endpoint {
	endpoint: string;
	apiVersion: string;
	/**
	 * The credential as read for this run, handed to n8n's httpRequestWithAuthentication with every request
	 * (its `credentialsDecrypted` option), so n8n signs through the credential's `authenticate` without
	 * reading and decrypting the credential again for each request.
	 */
	credentials: IAdditionalCredentialOptions;
	/** Request URLs (api-version included) by path, built once per run. */
	urls: Map<string, string>;
}

/**
 * The credential is read once per node run, not once per request: every read decrypts it (and in n8n 1.x
 * loads it from the database), and a run can send thousands of requests through the same context. Once
 * read it is the run's `endpoint`: the run's later requests take it without an await.
 */
async function endpointOf(ctx: AcsContext, run: NodeRun): Promise<Endpoint> {
	let endpoint = run.endpointRead;
	if (endpoint === undefined) {
		endpoint = (async () => {
			const credentials = await ctx.getCredentials(CREDENTIAL_NAME);
			const read: Endpoint = {
				endpoint: parseConnectionString(credentials.connectionString).endpoint,
				apiVersion: String(credentials.apiVersion || DEFAULT_API_VERSION),
				credentials: { credentialsDecrypted: { id: '', name: CREDENTIAL_NAME, type: CREDENTIAL_NAME, data: credentials } },
				urls: new Map(),
			};
			run.endpoint = read;
			return read;
		})();
		run.endpointRead = endpoint;
		// A failure is not kept: each item reports its own error, as before.
		endpoint.catch(() => {
			if (run.endpointRead === endpoint) run.endpointRead = undefined;
		});
	}
	return await endpoint;
}

/** What became of a request that did not succeed: `failed` = not carried out; `unknown` = may have been. */
export type Outcome = 'failed' | 'unknown';

interface Repeat {
	requestId: string;
	firstSent: string;
	firstSentMs: number;
	/** Given for the item (a re-run): the earlier attempt may have been carried out. */
	supplied: boolean;
}

interface Attempts {
	count: number;
	firstAt: number;
	/** An attempt may have been carried out although no answer said so (connection lost after sending, 5xx). */
	maybeCommitted: boolean;
	repeat?: Repeat;
}

function newRepeat(): Repeat {
	// First Sent has whole seconds (an HTTP date): its time is now without the milliseconds.
	const firstSentMs = Math.floor(Date.now() / 1000) * 1000;
	return { requestId: randomUUID(), firstSent: new Date(firstSentMs).toUTCString(), firstSentMs, supplied: false };
}

function isCreateCall(request: AcsRequest): boolean {
	return request.method === 'POST' && /^\/?calling\/callConnections$/.test(request.path ?? '');
}

/**
 * Marks an error with what became of the request (error items and messages say it), and for requests
 * that may have been carried out, how to find out and how to re-run them without doing them twice.
 */
function settle<E extends NodeApiError | NodeOperationError>(
	error: E,
	request: AcsRequest,
	state: Attempts,
	outcome: Outcome,
	gaveUp?: string,
	/** What to do instead of the throttling advice (for a failure that is the item's own). */
	advice?: string,
): E {
	if (request.itemIndex !== undefined) error.context.itemIndex = request.itemIndex;
	error.context.outcome = outcome;
	error.context.attempts = state.count;
	const repeat = state.repeat;
	// The ids matter where a re-run could meet the earlier attempt: not after a definite refusal.
	if (repeat && (outcome === 'unknown' || gaveUp !== undefined)) {
		error.context.repeatabilityRequestId = repeat.requestId;
		error.context.repeatabilityFirstSent = repeat.firstSent;
	}
	if (outcome === 'unknown') {
		const what = isCreateCall(request) ? 'The call may have been placed' : 'ACS may have carried out this request';
		error.message = `${what}, but its answer never arrived (last: ${error.message})`;
		const check = repeat
			? `To find out without risking doing it twice, run this item again before ${new Date(reusableUntil(repeat.firstSentMs)).toUTCString()} ` +
				`(ACS remembers a request for ${REPEATABILITY_WINDOW_MS / 60_000} minutes after First Sent) with Request Options > Repeatability Request ID ` +
				`and Repeatability First Sent set to this item's repeatabilityRequestId and repeatabilityFirstSent ({{ $json.repeatabilityRequestId }}, ` +
				`or {{ $json.error.repeatabilityRequestId }} from the error output): ACS returns the original result if it was carried out and carries ` +
				`it out once if not. Later than that, check before running it again: the CallConnected event with this item's operation context in ` +
				`the Azure Call Automation Trigger, or Call > Get with the call's id. ` +
				`Repeatability-Request-ID ${repeat.requestId}, Repeatability-First-Sent "${repeat.firstSent}".`
			: 'It was not sent again: this operation is not repeatable, so a second attempt could do it twice. Check the call (Call > Get, ' +
				'Participant > Get Many, or the events in the Azure Call Automation Trigger) before running this item again.';
		error.description = [gaveUp, check].filter(Boolean).join(' ');
	} else if (gaveUp !== undefined) {
		error.description =
			`${gaveUp} Nothing was carried out, so running this item again is safe. ` +
			(advice ??
				'To get through, raise Retry Budget, lower Items Sent at Once or set Max Requests per Second (Request Options), or spread the items over time.');
	}
	return error;
}

/**
 * Sends one logical request to ACS and returns the parsed JSON body ({} when empty).
 * Sending is paced for the whole node run (pacing.ts). Throttled (429) and unavailable (503) answers
 * and failed connections are retried until the retry budget runs out, unless the failure is the item's
 * own (failureClassifier.ts: others go through meanwhile), which ends it after a few attempts; a repeatable request keeps its
 * Repeatability-Request-ID across retries, so a retried create never places a second call, and a
 * request that may have been carried out is never sent again without one.
 */
export async function acsRequest<T = IDataObject>(
	this: AcsContext,
	request: AcsRequest,
	retryPolicy: Partial<RetryPolicy> = {},
): Promise<T> {
	// A step that waits for its outcome sends only once n8n has stored the execution as waiting.
	const run = runOf(this);
	if (run.sendGate) await run.sendGate.pass();
	// A run no router started (load options, hooks) sends with the default pacing.
	const pacer = run.pacer ?? (run.pacer = new Pacer(DEFAULT_PACING));
	const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, budgetMs: pacer.settings.retryBudgetMs, ...retryPolicy };
	// Bulk runs send thousands of requests: what is already known is used without waiting a turn.
	const { endpoint, apiVersion, credentials, urls } = run.endpoint ?? (await endpointOf(this, run));
	let url: string;
	if (request.url) {
		// A nextLink comes from a response: it must not make the credential sign for another host or path.
		checkRequestUrl(new URL(request.url), endpoint);
		url = request.url;
	} else {
		const path = request.path ?? '/';
		let known = urls.get(path);
		if (known === undefined) {
			const full = new URL(path.replace(/^\//, ''), endpoint);
			full.searchParams.set('api-version', apiVersion);
			known = full.href;
			if (urls.size < 64) urls.set(path, known);
		}
		url = known;
	}
	const body = request.body === undefined ? undefined : JSON.stringify(request.body);
	const headers: IDataObject = { accept: 'application/json', 'x-ms-client-request-id': randomUUID() };
	if (body !== undefined) headers['content-type'] = 'application/json';
	const safeToRepeat = request.repeatable === true || request.method === 'GET' || request.method === 'DELETE';
	// A GET changes nothing: whatever became of it, nothing was carried out.
	const hasEffect = request.method !== 'GET';
	const state: Attempts = { count: 0, firstAt: 0, maybeCommitted: false };
	const health = pacer.health;
	const track = health.track();
	let supplied: Repeat | undefined;
	if (request.repeatable && request.itemIndex !== undefined && run.suppliedIds !== undefined) {
		const given = run.suppliedIds.get(request.itemIndex);
		// The item's first repeatable request takes the given ids; a second one gets its own.
		run.suppliedIds.delete(request.itemIndex);
		if (given) supplied = { ...given, firstSentMs: firstSentMs(given.firstSent) ?? 0, supplied: true };
	}
	// n8n's getNode() is a deep copy of the node: taken only when an error needs it, not per request.
	const node = () => this.getNode();
	let lastError: NodeApiError | undefined;
	// Once an attempt may have been carried out (or the ids come from one), only the same id may follow, inside ACS's window.
	const retryUntil = (): number => {
		const budgetEnd = state.firstAt + policy.budgetMs;
		const repeat = state.repeat;
		return repeat && (state.maybeCommitted || repeat.supplied) ? Math.min(budgetEnd, reusableUntil(repeat.firstSentMs)) : budgetEnd;
	};
	const gaveUp = (what: string, delay: number): string => {
		const seconds = Math.round((Date.now() - state.firstAt) / 100) / 10;
		const reason =
			Date.now() + delay > state.firstAt + policy.budgetMs
				? `the retry budget (${policy.budgetMs / 1000} s) ran out`
				: `ACS's repeatability window (${REPEATABILITY_WINDOW_MS / 60_000} minutes after First Sent) was closing`;
		return `${what} on ${state.count} attempt${state.count === 1 ? '' : 's'} over ${seconds} s, and ${reason}.`;
	};
	// Ends a request whose failures are its own: other items of the run went through meanwhile.
	const ownFailure = (error: NodeApiError | NodeOperationError, what: string): never => {
		const seconds = Math.round((Date.now() - state.firstAt) / 100) / 10;
		throw settle(
			error,
			request,
			state,
			state.maybeCommitted ? 'unknown' : 'failed',
			`${what} on ${state.count} attempts over ${seconds} s while other items of this run went through, so the failure is this item's own: ` +
				'it was not retried further.',
			'Check what sets this item apart (the number it calls, its other fields), or run it again later.',
		);
	};

	try {
		for (let attempt = 0; ; attempt++) {
			// An item whose failures are its own gives way to the others (the run's slots belong to work that can succeed).
			const ticket = (track.own > 0 ? undefined : pacer.tryAcquire()) ?? (await pacer.acquire(track.own > 0));
			const now = Date.now();
			if (state.count === 0) state.firstAt = now;
			if (request.repeatable) {
				if (state.repeat === undefined) state.repeat = supplied ?? newRepeat();
				else if (!state.maybeCommitted && !state.repeat.supplied && now > reusableUntil(state.repeat.firstSentMs)) {
					// Only 429/503 so far: nothing was carried out, so a fresh id is as safe and ACS will still accept it.
					state.repeat = newRepeat();
				}
				if (now > reusableUntil(state.repeat.firstSentMs)) {
					pacer.release(ticket, 'other');
					const error =
						lastError ??
						new NodeOperationError(node(), `Repeatability First Sent "${state.repeat.firstSent}" is more than ${REPEATABILITY_WINDOW_MS / 60_000} minutes ago`, {
							itemIndex: request.itemIndex,
						});
					throw settle(
						error,
						request,
						state,
						'unknown',
						'ACS no longer remembers this request (it tracks an id for 5 minutes after First Sent), so sending it again could do it twice. It was not sent.',
					);
				}
				headers['Repeatability-Request-ID'] = state.repeat.requestId;
				headers['Repeatability-First-Sent'] = state.repeat.firstSent;
			}
			state.count++;
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
					credentials,
				)) as IN8nHttpFullResponse;
			} catch (error) {
				pacer.release(ticket, 'other');
				scrubRequestError(error);
				const code = errorCode(error);
				if (code !== undefined && MAYBE_SENT.has(code) && hasEffect) state.maybeCommitted = true;
				const retryable = code !== undefined && (NOT_SENT.has(code) || (MAYBE_SENT.has(code) && safeToRepeat));
				const verdict = retryable ? health.failed(track) : undefined;
				const delay = backoff(attempt, policy);
				if (verdict?.giveUp) {
					ownFailure(
						error instanceof NodeApiError || error instanceof NodeOperationError
							? error
							: new NodeOperationError(node(), error as Error, { itemIndex: request.itemIndex }),
						`The connection failed (${code})`,
					);
				}
				if (retryable && Date.now() + delay <= retryUntil()) {
					if (error instanceof NodeApiError) lastError = error;
					if (verdict?.verdict === 'item') await pacer.park(delay, request.itemIndex);
					else await pacer.wait(delay);
					continue;
				}
				const outcome: Outcome = state.maybeCommitted ? 'unknown' : 'failed';
				const failed =
					error instanceof NodeApiError || error instanceof NodeOperationError
						? error
						: new NodeOperationError(node(), error as Error, { itemIndex: request.itemIndex });
				if (code === 'ECONNREFUSED' || code === 'ENOTFOUND') {
					failed.description = `Could not reach ${new URL(url).host}. Check the endpoint in the connection string and this machine's network/proxy settings.`;
				}
				throw settle(failed, request, state, outcome, retryable ? gaveUp(`The connection failed (${code})`, delay) : undefined);
			}
			const status = response.statusCode;
			if (status >= 200 && status < 300) {
				pacer.release(ticket, 'ok');
				health.succeeded(track);
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
			const responseHeaders = response.headers as IDataObject;
			const wait = retryAfterMs(responseHeaders);
			// 429 and 503 say the work was not done: safe to send again, for any operation.
			const notDone = status === 429 || status === 503;
			const transient = status === 408 || (status >= 500 && status !== 501 && status !== 505);
			const retry = notDone || (transient && safeToRepeat);
			// A 429 is always about the service; any other failure is the item's own while the rest of the run goes through.
			const verdict = retry && status !== 429 ? health.failed(track) : undefined;
			const serviceWide = retry && verdict?.verdict !== 'item';
			pacer.release(ticket, serviceWide ? 'throttled' : 'other', serviceWide ? wait : undefined);
			const error = acsError(this, status, response.body, request.itemIndex);
			if (state.repeat && header(responseHeaders, 'repeatability-result')?.toLowerCase() === 'rejected') {
				const original = state.maybeCommitted || state.repeat.supplied;
				throw settle(
					error,
					request,
					state,
					original ? 'unknown' : 'failed',
					status === 412
						? 'ACS no longer tracks this Repeatability-Request-ID (First Sent is outside its 5-minute window).'
						: 'ACS refused the repeatability headers: the id was first used with a different request, or a header is malformed. A re-run must send the item unchanged.',
				);
			}
			if (hasEffect && status >= 500 && status !== 501 && status !== 505 && status !== 503) state.maybeCommitted = true;
			if (verdict?.giveUp) ownFailure(error, `ACS answered ${status}`);
			// Retry-After 0 (or none) gets the usual back-off: retrying at once would only add load.
			const delay = wait !== undefined && wait > 0 ? wait : backoff(attempt, policy);
			if (retry && Date.now() + delay <= retryUntil()) {
				lastError = error;
				// An item's own failure: it waits alone. After a service-wide Retry-After the run's shared pause (in acquire) does the waiting.
				if (verdict?.verdict === 'item') await pacer.park(delay, request.itemIndex);
				else if (!(wait !== undefined && wait > 0)) await pacer.wait(delay);
				continue;
			}
			throw settle(error, request, state, state.maybeCommitted ? 'unknown' : 'failed', retry ? gaveUp(`ACS answered ${status}`, delay) : undefined);
		}
	} catch (error) {
		if (!(error instanceof CancelledError)) throw asNodeError(node(), error, request.itemIndex);
		const cancelled = new NodeOperationError(node(), error.message, { itemIndex: request.itemIndex });
		throw settle(cancelled, request, state, state.maybeCommitted ? 'unknown' : 'failed');
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
