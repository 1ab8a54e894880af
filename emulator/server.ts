/**
 * HTTP front door: fault injection, body limit, HMAC auth, api-version, routing, repeatability and request
 * accounting for the data plane; plus the OpenID/JWKS documents, the inspection API and ARM (arm.ts).
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleStorage } from './storage';
import { handleArmRequest } from './arm';
import { verifyHmacRequest } from './auth';
import type { ApiResult, EmulatorContext } from './context';
import { AcsError } from './errors';
import { handleInspection, type InspectionApi } from './inspection';
import { sendJson } from './respond';
import { matchRoute } from './routes';
import type { RequestLogEntry } from './state';

const API_VERSION = /^\d{4}-\d{2}-\d{2}(-preview)?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const IMF_FIXDATE =
	/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const REJECTED = { 'repeatability-result': 'rejected' };

/** ACS's repeatable-request rules: both headers well formed (400), First-Sent inside the tracked window (412). */
function checkRepeatability(
	id: string | undefined,
	firstSent: string | undefined,
	windowMs: number,
): AcsError | undefined {
	const sent = firstSent !== undefined && IMF_FIXDATE.test(firstSent) ? Date.parse(firstSent) : NaN;
	if (id === undefined || !UUID.test(id) || Number.isNaN(sent)) {
		return new AcsError(
			400,
			'400',
			'Repeatability-Request-ID must be a GUID and Repeatability-First-Sent an IMF-fixdate; both are required.',
			undefined,
			REJECTED,
		);
	}
	if (sent < Date.now() - windowMs) {
		return new AcsError(
			412,
			'412',
			`Repeatability-First-Sent is not within the ${windowMs / 60_000} minute window.`,
			undefined,
			REJECTED,
		);
	}
	return undefined;
}
const TOO_LARGE = Symbol('tooLarge');

/** Reads the body up to `limit` bytes; larger bodies are not buffered. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | typeof TOO_LARGE> {
	const declared = Number(req.headers['content-length']);
	if (Number.isFinite(declared) && declared > limit) return Promise.resolve(TOO_LARGE);
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > limit) {
				req.removeAllListeners('data');
				resolve(TOO_LARGE);
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

function header(req: IncomingMessage, name: string): string | undefined {
	const v = req.headers[name];
	return Array.isArray(v) ? v[0] : v;
}

function tooLarge(ctx: EmulatorContext, res: ServerResponse): void {
	res.on('finish', () => res.socket?.destroy());
	sendJson(
		res,
		413,
		{
			error: {
				code: 'RequestEntityTooLarge',
				message: `The request body exceeds ${ctx.options.maxBodyBytes} bytes.`,
			},
		},
		{ connection: 'close' },
	);
}

export function createRequestListener(ctx: EmulatorContext, inspection: InspectionApi) {
	return (req: IncomingMessage, res: ServerResponse): void => {
		handle(ctx, inspection, req, res).catch((error: unknown) => {
			console.error('[acs-emulator] unexpected error', error);
			sendJson(res, 500, {
				error: { code: 'InternalServerError', message: String((error as Error)?.message ?? error) },
			});
		});
	};
}

async function handle(
	ctx: EmulatorContext,
	inspection: InspectionApi,
	req: IncomingMessage,
	res: ServerResponse,
): Promise<void> {
	const url = req.url ?? '/';
	const q = url.indexOf('?');
	const rawPath = q < 0 ? url : url.slice(0, q);
	const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
	const path = rawPath.replace(/%3a/gi, ':');
	const method = (req.method ?? 'GET').toUpperCase();

	if (path.startsWith('/__emulator/')) {
		const body = await readBody(req, ctx.options.maxBodyBytes);
		if (body === TOO_LARGE) return tooLarge(ctx, res);
		return handleInspection(ctx, inspection, method, path, query, body, res);
	}
	if (method === 'GET' && path === '/calling/.well-known/acsopenidconfiguration') {
		return sendJson(res, 200, ctx.jwt.openIdConfiguration());
	}
	if (method === 'GET' && path === '/calling/keys') return sendJson(res, 200, ctx.jwt.jwks());
	if (!path.startsWith('/calling/') && path !== '/calling') {
		const body = await readBody(req, ctx.options.maxBodyBytes);
		if (body === TOO_LARGE) return tooLarge(ctx, res);
		if (handleStorage(ctx, req, res, method, rawPath, body)) return;
		if (await handleArmRequest(ctx, req, res, body)) return;
		return sendJson(res, 404, {
			error: { code: 'NotFound', message: `No route for ${method} ${rawPath}.` },
		});
	}
	return handleApi(ctx, req, res, method, url, path, query);
}

/** Counts the data-plane requests being handled, for load-dependent throttling (faults.maxConcurrent). */
async function handleApi(
	ctx: EmulatorContext,
	req: IncomingMessage,
	res: ServerResponse,
	method: string,
	url: string,
	path: string,
	query: URLSearchParams,
): Promise<void> {
	ctx.faults.active++;
	try {
		await handleApiRequest(ctx, req, res, method, url, path, query);
	} finally {
		ctx.faults.active--;
	}
}

async function handleApiRequest(
	ctx: EmulatorContext,
	req: IncomingMessage,
	res: ServerResponse,
	method: string,
	url: string,
	path: string,
	query: URLSearchParams,
): Promise<void> {
	const { route, params, methodMismatch } = matchRoute(method, path);
	const log: RequestLogEntry = {
		time: new Date().toISOString(),
		method,
		path: url,
		route: route?.name ?? 'unknown',
		status: 0,
	};
	const finish = (status: number | 'dropped'): void => {
		log.status = status;
		ctx.store.count(log);
	};
	const reply = (result: ApiResult): void => {
		sendJson(res, result.status, result.body, result.headers);
		finish(result.status);
	};
	const fail = (error: AcsError): void =>
		reply({ status: error.status, body: error.toBody(), headers: error.headers });

	const fault = ctx.faults.decide(req.headers['x-emulator-fault']);
	if (fault.action !== 'none') log.fault = fault.action;
	if (fault.latencyMs > 0) await new Promise((r) => setTimeout(r, fault.latencyMs));
	if (fault.action === 'drop') {
		req.socket.destroy();
		return finish('dropped');
	}
	const rawBody = await readBody(req, ctx.options.maxBodyBytes);
	if (rawBody === TOO_LARGE) {
		tooLarge(ctx, res);
		return finish(413);
	}
	if (fault.action === 'throttle' || fault.action === 'unavailable') {
		const throttle = fault.action === 'throttle';
		return fail(
			new AcsError(
				throttle ? 429 : 503,
				throttle ? '429' : '503',
				throttle
					? 'Too many requests; retry after the interval in Retry-After.'
					: 'The service is temporarily unavailable; retry later.',
				undefined,
				{
					'retry-after': String(ctx.faults.retryAfterSeconds),
					'retry-after-ms': String(ctx.faults.retryAfterMs),
				},
			),
		);
	}

	const authError = verifyHmacRequest(
		{ method, pathAndQuery: url, headers: req.headers, rawBody },
		ctx.key,
		Date.now(),
		ctx.options.clockSkewMs,
	);
	if (authError) return fail(authError);

	const apiVersion = query.get('api-version');
	if (!apiVersion) {
		return fail(
			new AcsError(
				400,
				'MissingApiVersionParameter',
				'The api-version query parameter (?api-version=) is required for all requests.',
			),
		);
	}
	if (!API_VERSION.test(apiVersion)) {
		return fail(
			new AcsError(
				400,
				'UnsupportedApiVersion',
				`The api-version '${apiVersion}' is not valid; use a date such as 2026-03-12.`,
			),
		);
	}
	if (!route) {
		return fail(
			methodMismatch
				? new AcsError(405, 'MethodNotAllowed', `${method} is not supported on ${path}.`)
				: new AcsError(404, 'NotFound', `No Call Automation operation at ${path}.`),
		);
	}

	// Item-specific failures: a valid request that fails on every attempt while the service serves others.
	const failingStatus = ctx.faults.failing(rawBody);
	if (failingStatus !== undefined) {
		log.fault = 'failing';
		return fail(
			failingStatus === 503
				? new AcsError(
						503,
						'503',
						'The service is temporarily unavailable; retry later.',
						undefined,
						{
							'retry-after': String(ctx.faults.retryAfterSeconds),
							'retry-after-ms': String(ctx.faults.retryAfterMs),
						},
					)
				: new AcsError(
						500,
						'InternalServerError',
						'An internal error occurred while processing the request.',
					),
		);
	}

	const repeatId = header(req, 'repeatability-request-id');
	const firstSent = header(req, 'repeatability-first-sent');
	let fingerprint: string | undefined;
	if (repeatId !== undefined || firstSent !== undefined) {
		const rejected = checkRepeatability(repeatId, firstSent, ctx.options.repeatabilityWindowMs);
		if (rejected) return fail(rejected);
	}
	if (repeatId) {
		log.repeatabilityRequestId = repeatId;
		fingerprint = createHash('sha256')
			.update(`${method} ${path}\n`)
			.update(rawBody)
			.digest('base64');
		const stored = ctx.store.repeatability.get(repeatId);
		if (stored && stored.fingerprint !== fingerprint) {
			return fail(
				new AcsError(
					400,
					'400',
					'This Repeatability-Request-ID was first used with a different request.',
					undefined,
					REJECTED,
				),
			);
		}
		if (stored) {
			log.replayed = true;
			if (fault.action === 'dropAfterCommit') {
				req.socket.destroy();
				return finish('dropped');
			}
			return reply({
				status: stored.status,
				body: stored.body,
				headers: { ...stored.headers, 'repeatability-result': 'accepted' },
			});
		}
	}

	let json: unknown;
	if (route.json) {
		if (rawBody.length === 0)
			return fail(new AcsError(400, '8523', 'Invalid request: a JSON request body is required.'));
		try {
			json = JSON.parse(rawBody.toString('utf8'));
		} catch (e) {
			return fail(
				new AcsError(
					400,
					'8523',
					`Invalid request: the body is not valid JSON (${(e as Error).message}).`,
				),
			);
		}
	}

	let result: ApiResult;
	try {
		result = route.handler(ctx, {
			method,
			params,
			json,
			query,
			apiVersion,
			baseUrl: `http://${header(req, 'host') ?? ctx.url.replace(/^http:\/\/|\/$/g, '')}/`,
		});
	} catch (error) {
		if (error instanceof AcsError) return fail(error);
		throw error;
	}
	const requestId = header(req, 'x-ms-client-request-id');
	const headers: Record<string, string> = { ...(result.headers ?? {}) };
	if (requestId) headers['x-ms-client-request-id'] = requestId;
	if (repeatId && result.status < 300) {
		headers['repeatability-result'] = 'accepted';
		ctx.store.remember(repeatId, {
			status: result.status,
			body: result.body,
			headers: result.headers ?? {},
			fingerprint,
		});
	}
	if (fault.action === 'dropAfterCommit') {
		// The work is done (and remembered for a retry with the same Repeatability-Request-ID); the answer is lost.
		req.socket.destroy();
		return finish('dropped');
	}
	reply({ ...result, headers });
}
