/**
 * Reading a delivery's body strictly, within limits: JSON only, at most MAX_BODY_BYTES, MAX_DEPTH levels
 * and MAX_EVENTS events, then each event read from its schema (CloudEvents or Event Grid).
 */
import type { IDataObject } from 'n8n-workflow';

import { canonicalType } from './eventTypes';

/** Largest body accepted (ACS sends one small event per request; Event Grid batches stay well below). */
export const MAX_BODY_BYTES = 1024 * 1024;

/** One event as received, independent of its schema. */
export interface ReceivedEvent {
	schema: 'CloudEvents' | 'EventGrid';
	type: string;
	id?: string;
	time?: string;
	subject?: string;
	source?: string;
	data: IDataObject;
	raw: IDataObject;
}

export class BodyError extends Error {
	constructor(
		readonly status: number,
		message: string,
	) {
		super(message);
	}
}

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalText(value: unknown): string | undefined {
	return typeof value === 'string' ? value : undefined;
}

/** Where each schema keeps the common fields. */
const SCHEMA_KEYS = {
	CloudEvents: { type: 'type', time: 'time', source: 'source' },
	EventGrid: { type: 'eventType', time: 'eventTime', source: 'topic' },
} as const;

function toEvent(value: unknown, index: number): ReceivedEvent {
	if (!isObject(value)) throw new BodyError(400, `Event ${index} is not a JSON object.`);
	let schema: ReceivedEvent['schema'];
	if (
		typeof value.type === 'string' &&
		(value.specversion !== undefined || value.eventType === undefined)
	) {
		schema = 'CloudEvents';
	} else if (typeof value.eventType === 'string') {
		schema = 'EventGrid';
	} else {
		throw new BodyError(
			400,
			`Event ${index} has neither a CloudEvents "type" nor an Event Grid "eventType".`,
		);
	}
	const keys = SCHEMA_KEYS[schema];
	return {
		schema,
		type: canonicalType(value[keys.type] as string),
		id: optionalText(value.id),
		time: optionalText(value[keys.time]),
		subject: optionalText(value.subject),
		source: optionalText(value[keys.source]),
		data: isObject(value.data) ? value.data : {},
		raw: value,
	};
}

/** Deepest nesting accepted: real events stay below 10 levels; deeper bodies are refused before use. */
export const MAX_DEPTH = 32;
/** Most events accepted in one request (Event Grid batches hold at most a few). */
export const MAX_EVENTS = 100;

function tooDeep(root: unknown, limit: number): boolean {
	const stack: Array<[unknown, number]> = [[root, 1]];
	while (stack.length > 0) {
		const [value, depth] = stack.pop() as [unknown, number];
		if (typeof value !== 'object' || value === null) continue;
		if (depth > limit) return true;
		for (const child of Object.values(value)) stack.push([child, depth + 1]);
	}
	return false;
}

/** Accepts a JSON array of events or a single event object (CloudEvents structured mode). */
export function parseEvents(body: unknown): ReceivedEvent[] {
	if (tooDeep(body, MAX_DEPTH))
		throw new BodyError(400, `The body is nested deeper than ${MAX_DEPTH} levels.`);
	if (Array.isArray(body) && body.length > MAX_EVENTS) {
		throw new BodyError(413, `The body holds more than ${MAX_EVENTS} events.`);
	}
	if (Array.isArray(body)) {
		if (body.length === 0)
			throw new BodyError(400, 'The body is an empty array: expected at least one event.');
		const events = new Array<ReceivedEvent>(body.length);
		for (let i = 0; i < body.length; i++) events[i] = toEvent(body[i], i);
		return events;
	}
	if (isObject(body)) return [toEvent(body, 0)];
	throw new BodyError(400, 'The body must be a JSON array of events or a single event object.');
}

function isEmptyObject(value: unknown): boolean {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
	for (const _ in value) return false;
	return true;
}

/** JSON media types ACS and Event Grid send (application/json, application/cloudevents(-batch)+json). */
const JSON_TYPE = /^application\/(?:[a-z0-9.+-]+\+)?json$/;

/** The parsed body: n8n has parsed application/json already; other JSON types (cloudevents+json) come raw. */
export function readBody(
	contentType: string | undefined,
	body: unknown,
	rawBody: unknown,
): unknown {
	const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
	// n8n also turns XML and forms into objects: only JSON is an event delivery.
	if (!JSON_TYPE.test(type))
		throw new BodyError(415, 'The body must be JSON (Content-Type: application/json).');
	const raw = Buffer.isBuffer(rawBody) ? rawBody : undefined;
	if (raw && raw.length > MAX_BODY_BYTES) {
		throw new BodyError(413, `The body exceeds ${MAX_BODY_BYTES} bytes.`);
	}
	if ((Array.isArray(body) || (typeof body === 'object' && body !== null)) && !isEmptyObject(body))
		return body;
	if (typeof body === 'string' && !raw) return parseJson(body);
	if (!raw || raw.length === 0) {
		if (isEmptyObject(body))
			throw new BodyError(400, 'The body is empty: expected a JSON array of events.');
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
