/**
 * Request handling of the trigger: shared secret, size and JSON checks, Event Grid handshakes, the ACS
 * token on mid-call events, then filtering and routing of the normalised events.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IDataObject, INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import {
	BodyError,
	FAMILIES,
	FAMILY_INDEX,
	SUBSCRIPTION_DELETED_EVENT,
	VALIDATION_EVENT,
	buildFilter,
	familyOf,
	isCallbackType,
	isEventGridType,
	matches,
	normalizeEvent,
	parseEvents,
	type Family,
	type ReceivedEvent,
} from '../callbacks/events';
import { DEFAULT_OPENID_CONFIGURATION_URL, JwtError, bearerToken, verifyAcsToken } from '../callbacks/jwt';

/** Largest body accepted (ACS sends one small event per request; Event Grid batches stay well below). */
export const MAX_BODY_BYTES = 1024 * 1024;

export interface TriggerOptions {
	callConnectionId?: string;
	operationContext?: string;
	splitByFamily?: boolean;
	verifyToken?: boolean;
	openIdConfigurationUrl?: string;
	resourceId?: string;
	sharedSecret?: string;
}

interface ResponseLike {
	writeHead(status: number, headers: Record<string, string>): unknown;
	end(body?: string): unknown;
	headersSent?: boolean;
}

function reply(res: ResponseLike, status: number, body?: unknown, headers: Record<string, string> = {}): IWebhookResponseData {
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

function refuse(res: ResponseLike, status: number, code: string, message: string): IWebhookResponseData {
	const headers: Record<string, string> = status === 401 ? { 'www-authenticate': 'Bearer' } : {};
	return reply(res, status, { error: { code, message } }, headers);
}

function digest(value: string): Buffer {
	return createHash('sha256').update(value, 'utf8').digest();
}

/** Constant-time comparison (hashing first makes the lengths equal). */
export function secretMatches(given: unknown, expected: string): boolean {
	const value = Array.isArray(given) ? given[0] : given;
	if (typeof value !== 'string') return false;
	return timingSafeEqual(digest(value), digest(expected));
}

function header(headers: Record<string, unknown>, name: string): string | undefined {
	const v = headers[name];
	return typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined;
}

function isEmptyObject(value: unknown): boolean {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
	for (const _ in value) return false;
	return true;
}

/** The parsed body: n8n has parsed application/json already; other types (cloudevents+json) come raw. */
function readBody(body: unknown, rawBody: unknown): unknown {
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
	return parseJson(raw.toString('utf8'));
}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		throw new BodyError(400, 'The body is not valid JSON.');
	}
}

export async function handleWebhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const req = this.getRequestObject() as unknown as {
		method?: string;
		headers: Record<string, unknown>;
		body: unknown;
		rawBody?: unknown;
	};
	const res = this.getResponseObject() as unknown as ResponseLike;
	const options = this.getNodeParameter('options', {}) as TriggerOptions;
	const headers = req.headers ?? {};

	const secret = options.sharedSecret ?? '';
	if (secret && !secretMatches((this.getQueryData() as IDataObject).secret, secret)) {
		return refuse(res, 401, 'InvalidSecret', 'The secret query parameter is missing or wrong.');
	}

	// CloudEvents abuse-protection handshake, should a server route OPTIONS here (n8n itself does not).
	if (req.method === 'OPTIONS') {
		const origin = header(headers, 'webhook-request-origin');
		if (!origin) return reply(res, 200, undefined, { allow: 'POST, OPTIONS' });
		return reply(res, 200, undefined, {
			'webhook-allowed-origin': origin,
			'webhook-allowed-rate': '*',
			allow: 'POST, OPTIONS',
		});
	}

	let events: ReceivedEvent[];
	try {
		events = parseEvents(readBody(req.body, req.rawBody));
	} catch (error) {
		if (error instanceof BodyError) {
			return refuse(res, error.status, error.status === 413 ? 'RequestEntityTooLarge' : 'InvalidBody', error.message);
		}
		throw error;
	}

	const validation = events.find((e) => e.type === VALIDATION_EVENT);
	if (validation) {
		const code = validation.data.validationCode;
		if (typeof code !== 'string') {
			return refuse(res, 400, 'InvalidBody', 'The subscription validation event has no validationCode.');
		}
		return reply(res, 200, { validationResponse: code });
	}

	// Mid-call event types always need the ACS token; Event Grid events never carry one.
	const fromEventGrid = header(headers, 'aeg-event-type') !== undefined;
	const needsToken = events.some((e) => isCallbackType(e.type) || (!fromEventGrid && !isEventGridType(e.type)));
	if (needsToken && options.verifyToken !== false) {
		const audience = (options.resourceId ?? '').trim();
		if (!audience) {
			return refuse(
				res,
				401,
				'ResourceIdNotSet',
				'The trigger cannot verify the ACS token: set Options > ACS Resource ID (the resource\'s immutable id) on the trigger node, or turn off Verify Token.',
			);
		}
		const token = bearerToken(headers.authorization);
		if (!token) return refuse(res, 401, 'MissingToken', 'Mid-call events need an Authorization: Bearer token signed by ACS.');
		try {
			await verifyAcsToken(
				token,
				{ openIdConfigurationUrl: options.openIdConfigurationUrl || DEFAULT_OPENID_CONFIGURATION_URL, audience },
				async (url) => await this.helpers.httpRequest({ method: 'GET', url, json: true }),
			);
		} catch (error) {
			if (error instanceof JwtError) {
				return refuse(res, error.status, error.status === 401 ? 'InvalidToken' : 'KeysUnavailable', error.message);
			}
			throw error;
		}
	}

	const filter = buildFilter(
		this.getNodeParameter('events', []) as string[],
		options.callConnectionId ?? '',
		options.operationContext ?? '',
	);
	const split = options.splitByFamily === true;
	const outputs: INodeExecutionData[][] = split ? FAMILIES.map(() => []) : [[]];
	let count = 0;
	for (const event of events) {
		if (event.type === SUBSCRIPTION_DELETED_EVENT || !matches(filter, event)) continue;
		const json = normalizeEvent(event);
		outputs[split ? FAMILY_INDEX[familyOf(event.type) as Family] : 0].push({ json });
		count++;
	}
	if (count === 0) return { webhookResponse: { received: events.length, started: false } };
	return { workflowData: outputs };
}
