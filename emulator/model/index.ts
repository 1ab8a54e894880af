/**
 * Model stand-in: an OpenAI-compatible loopback server for the AI phone agent examples and tests. It answers what
 * n8n's OpenAI credential test and OpenAI Chat Model call (models list, chat completions plain and streamed with tool
 * calls, Responses plain and streamed) with deterministic replies (rules.ts), and logs every request.
 * It is a stand-in, not a model: every body says `acs-emulator-stand-in` / `system_fingerprint: "stand-in"`.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fromChatCompletions, fromResponses, type Conversation } from './conversation';
import { decide, type Reply } from './rules';
import {
	chatCompletion,
	chatCompletionChunks,
	response,
	responseEvents,
	STAND_IN_MODEL,
	type Ids,
} from './wire';

export { STAND_IN_MODEL } from './wire';
export type { Reply } from './rules';

export interface ModelStandInOptions {
	/** 0 (default) = any free port. */
	port?: number;
	host?: string;
	/** Request bodies above this answer 413 (default 4 MiB). */
	maxBodyBytes?: number;
}

export interface LoggedRequest {
	at: string;
	method: string;
	path: string;
	api: 'models' | 'chat.completions' | 'responses' | 'other';
	stream: boolean;
	status: number;
	/** `Bearer <redacted>` when a key came (any key is accepted). */
	authorization?: string;
	/** Parsed JSON body. */
	body?: unknown;
	/** What the stand-in decided (text, tool calls or error). */
	reply?: Reply;
}

/** Alias of LoggedRequest (the name the agent interface notes use). */
export type Logged = LoggedRequest;

export interface ModelStandIn {
	/** Base URL for the OpenAI credential: `http://127.0.0.1:PORT/v1`. */
	readonly url: string;
	readonly port: number;
	/** Every request so far, oldest first. */
	requests(): LoggedRequest[];
	clearRequests(): void;
	close(): Promise<void>;
}

const LOG_LIMIT = 1000;

class HttpError extends Error {
	constructor(
		readonly status: number,
		message: string,
		readonly type = 'invalid_request_error',
		readonly param: string | null = null,
	) {
		super(message);
	}
}

function isObject(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function send(res: ServerResponse, status: number, body?: unknown): void {
	const text = body === undefined ? '' : JSON.stringify(body);
	res.writeHead(status, {
		'content-type': 'application/json',
		'content-length': Buffer.byteLength(text),
		'x-stand-in': STAND_IN_MODEL,
		'x-request-id': `req_standin_${Date.now().toString(36)}`,
	});
	res.end(text);
}

function sendError(res: ServerResponse, error: HttpError): void {
	send(res, error.status, {
		error: {
			message: error.message,
			type: error.type,
			param: error.param,
			code: error.status === 500 ? 'stand_in_error' : null,
		},
	});
}

/** Server-sent events: `data: {json}` per chunk (Responses also name the event), then `data: [DONE]` for chat. */
function sendStream(
	res: ServerResponse,
	events: Array<Record<string, unknown>>,
	named: boolean,
): void {
	res.writeHead(200, {
		'content-type': 'text/event-stream; charset=utf-8',
		'cache-control': 'no-cache',
		connection: 'keep-alive',
		'x-stand-in': STAND_IN_MODEL,
	});
	for (const e of events)
		res.write(`${named ? `event: ${String(e.type)}\n` : ''}data: ${JSON.stringify(e)}\n\n`);
	if (!named) res.write('data: [DONE]\n\n');
	res.end();
}

function modelObject(): Record<string, unknown> {
	return { id: STAND_IN_MODEL, object: 'model', created: 1_700_000_000, owned_by: 'acs-emulator' };
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (c: Buffer) => {
			size += c.length;
			if (size > limit) {
				reject(new HttpError(413, `The request body is larger than ${limit} bytes.`));
				req.destroy();
				return;
			}
			chunks.push(c);
		});
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

function parseBody(raw: Buffer): Record<string, unknown> {
	let body: unknown;
	try {
		body = JSON.parse(raw.toString('utf8'));
	} catch {
		throw new HttpError(400, 'The body must be JSON.');
	}
	if (!isObject(body)) throw new HttpError(400, 'The body must be a JSON object.');
	return body;
}

function ids(api: string, body: Record<string, unknown>, conv: Conversation): Ids {
	const { stream: _s, stream_options: _o, ...rest } = body;
	const hash = createHash('sha256')
		.update(`${api}\n${JSON.stringify(rest)}`)
		.digest('hex');
	const promptTokens = conv.messages.reduce(
		(n, m) => n + m.text.split(/\s+/).filter(Boolean).length,
		0,
	);
	return { hash, created: Math.floor(Date.now() / 1000), promptTokens };
}

export async function startModelStandIn(options: ModelStandInOptions = {}): Promise<ModelStandIn> {
	const log: LoggedRequest[] = [];
	const limit = options.maxBodyBytes ?? 4 * 1024 * 1024;

	const handle = async (
		req: IncomingMessage,
		res: ServerResponse,
		entry: LoggedRequest,
	): Promise<void> => {
		const path = entry.path.replace(/\/+$/, '').replace(/^\/v1(?=\/|$)/, '');
		const raw = await readBody(req, limit);
		if (req.method === 'GET' && path === '/models') {
			entry.api = 'models';
			return send(res, 200, { object: 'list', data: [modelObject()] });
		}
		if (req.method === 'GET' && path.startsWith('/models/')) {
			entry.api = 'models';
			const id = decodeURIComponent(path.slice('/models/'.length));
			if (id !== STAND_IN_MODEL)
				throw new HttpError(
					404,
					`The model '${id}' does not exist; the stand-in serves '${STAND_IN_MODEL}' (any model id is answered by it).`,
					'invalid_request_error',
					'model',
				);
			return send(res, 200, modelObject());
		}
		if (req.method === 'GET' && path === '/__stand-in/requests')
			return send(res, 200, { requests: log.filter((e) => !e.path.includes('/__stand-in/')) });
		if (req.method === 'DELETE' && path === '/__stand-in/requests') {
			log.length = 0;
			return send(res, 204);
		}
		const chat = path === '/chat/completions';
		if (req.method !== 'POST' || (!chat && path !== '/responses')) {
			throw new HttpError(
				404,
				`The stand-in serves GET /v1/models, POST /v1/chat/completions and POST /v1/responses, not ${req.method} ${entry.path}.`,
			);
		}
		entry.api = chat ? 'chat.completions' : 'responses';
		const body = parseBody(raw);
		entry.body = body;
		entry.stream = body.stream === true;
		if (typeof body.model !== 'string' || !body.model)
			throw new HttpError(
				400,
				"'model' is required (any id works, e.g. acs-emulator-stand-in).",
				'invalid_request_error',
				'model',
			);
		if (chat && (!Array.isArray(body.messages) || body.messages.length === 0)) {
			throw new HttpError(
				400,
				"'messages' must be a non-empty array.",
				'invalid_request_error',
				'messages',
			);
		}
		if (!chat && body.input === undefined)
			throw new HttpError(400, "'input' is required.", 'invalid_request_error', 'input');
		const conv = chat ? fromChatCompletions(body) : fromResponses(body);
		const reply = decide(conv);
		entry.reply = reply;
		if (reply.kind === 'error') throw new HttpError(reply.status, reply.message, 'server_error');
		const id = ids(entry.api, body, conv);
		if (chat) {
			const includeUsage =
				isObject(body.stream_options) && body.stream_options.include_usage === true;
			return entry.stream
				? sendStream(res, chatCompletionChunks(reply, id, includeUsage), false)
				: send(res, 200, chatCompletion(reply, id));
		}
		return entry.stream
			? sendStream(res, responseEvents(reply, id, body), true)
			: send(res, 200, response(reply, id, body));
	};

	const server = createServer((req, res) => {
		const entry: LoggedRequest = {
			at: new Date().toISOString(),
			method: req.method ?? '',
			path: new URL(req.url ?? '/', 'http://stand-in').pathname,
			api: 'other',
			stream: false,
			status: 0,
			authorization: req.headers.authorization
				? `${req.headers.authorization.split(' ')[0]} <redacted>`
				: undefined,
		};
		log.push(entry);
		if (log.length > LOG_LIMIT) log.splice(0, log.length - LOG_LIMIT);
		res.on('finish', () => {
			entry.status = res.statusCode;
		});
		handle(req, res, entry).catch((error: unknown) => {
			const e =
				error instanceof HttpError
					? error
					: new HttpError(500, (error as Error).message, 'server_error');
			if (!res.headersSent) sendError(res, e);
			else res.end();
		});
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
			server.off('error', reject);
			resolve();
		});
	});
	const port = (server.address() as AddressInfo).port;
	const host = options.host ?? '127.0.0.1';
	return {
		url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/v1`,
		port,
		requests: () => log.filter((e) => !e.path.includes('/__stand-in/')).map((e) => ({ ...e })),
		clearRequests: () => {
			log.length = 0;
		},
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}
