/**
 * The HTTP side of receiving ACS requests, shared by the trigger and the steps that wait for an
 * outcome: reading a JSON body strictly, and small fixed answers written straight to the response.
 */
import type { IWebhookResponseData } from 'n8n-workflow';
import { BodyError } from './events';

/** Largest body accepted (ACS sends one small event per request; Event Grid batches stay well below). */
export const MAX_BODY_BYTES = 1024 * 1024;

export interface ResponseLike {
	writeHead(status: number, headers: Record<string, string>): unknown;
	end(body?: string): unknown;
	headersSent?: boolean;
}

export function reply(res: ResponseLike, status: number, body?: unknown, headers: Record<string, string> = {}): IWebhookResponseData {
	if (!res.headersSent) {
		if (body === undefined) {
			res.writeHead(status, { ...headers, 'content-length': '0' });
			res.end();
		} else {
			const text = JSON.stringify(body);
			res.writeHead(status, {
				...headers,
				'content-type': 'application/json; charset=utf-8',
				'content-length': String(Buffer.byteLength(text)),
			});
			res.end(text);
		}
	}
	return { noWebhookResponse: true };
}

export function refuse(res: ResponseLike, status: number, code: string, message: string): IWebhookResponseData {
	const headers: Record<string, string> = status === 401 ? { 'www-authenticate': 'Bearer' } : {};
	return reply(res, status, { error: { code, message } }, headers);
}

export function header(headers: Record<string, unknown>, name: string): string | undefined {
	const v = headers[name];
	return typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined;
}

function isEmptyObject(value: unknown): boolean {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
	for (const _ in value) return false;
	return true;
}

/** JSON media types ACS and Event Grid send (application/json, application/cloudevents(-batch)+json). */
const JSON_TYPE = /^application\/(?:[a-z0-9.+-]+\+)?json$/;

/** The parsed body: n8n has parsed application/json already; other JSON types (cloudevents+json) come raw. */
export function readBody(contentType: string | undefined, body: unknown, rawBody: unknown): unknown {
	const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
	// n8n also turns XML and forms into objects: only JSON is an event delivery.
	if (!JSON_TYPE.test(type)) throw new BodyError(415, 'The body must be JSON (Content-Type: application/json).');
	const raw = Buffer.isBuffer(rawBody) ? rawBody : undefined;
	if (raw && raw.length > MAX_BODY_BYTES) {
		throw new BodyError(413, `The body exceeds ${MAX_BODY_BYTES} bytes.`);
	}
	if ((Array.isArray(body) || (typeof body === 'object' && body !== null)) && !isEmptyObject(body)) return body;
	if (typeof body === 'string' && !raw) return parseJson(body);
	if (!raw || raw.length === 0) {
		if (isEmptyObject(body)) throw new BodyError(400, 'The body is empty: expected a JSON array of events.');
		throw new BodyError(400, 'The body is not JSON.');
	}
	let text: string | undefined;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
	} catch {
		text = undefined;
	}
	if (text === undefined) throw new BodyError(400, 'The body is not valid UTF-8.');
	return parseJson(text);
}

const INVALID = Symbol('invalid');

function parseJson(text: string): unknown {
	let value: unknown = INVALID;
	try {
		value = JSON.parse(text);
	} catch {
		value = INVALID;
	}
	if (value === INVALID) throw new BodyError(400, 'The body is not valid JSON.');
	return value;
}

