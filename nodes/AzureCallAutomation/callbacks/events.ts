/**
 * Pure parsing and normalisation of what arrives at the trigger's URL: Call Automation callback events
 * (CloudEvents arrays) and Event Grid deliveries (Event Grid schema or CloudEvents schema).
 */
import type { IDataObject } from 'n8n-workflow';

export const PREFIX = 'Microsoft.Communication.';
export const VALIDATION_EVENT = 'Microsoft.EventGrid.SubscriptionValidationEvent';
export const SUBSCRIPTION_DELETED_EVENT = 'Microsoft.EventGrid.SubscriptionDeletedEvent';
export const INCOMING_CALL = `${PREFIX}IncomingCall`;
export const RECORDING_FILE_STATUS_UPDATED = `${PREFIX}RecordingFileStatusUpdated`;

export type Family = 'call' | 'media' | 'recognize' | 'participants' | 'recording' | 'incomingCall' | 'other';

/** Output order when the node splits by family; display names short enough for the canvas's output labels. */
export const FAMILIES: Array<{ family: Family; displayName: string; contents: string }> = [
	{ family: 'call', displayName: 'Call', contents: 'connected, disconnected, failed, transfers' },
	{ family: 'media', displayName: 'Media', contents: 'play, hold, streaming, transcription' },
	{ family: 'recognize', displayName: 'Keys', contents: 'collected input and DTMF' },
	{ family: 'participants', displayName: 'People', contents: 'participants added, removed, updated' },
	{ family: 'recording', displayName: 'Recording', contents: 'recording state and files' },
	{ family: 'incomingCall', displayName: 'Incoming', contents: 'incoming calls' },
	{ family: 'other', displayName: 'Other', contents: 'anything else' },
];
export const FAMILY_INDEX: Record<Family, number> = Object.fromEntries(
	FAMILIES.map((f, i) => [f.family, i]),
) as Record<Family, number>;

/** Mid-call events ACS posts to a callback URL (they carry the ACS JWT). Short names → family. */
export const CALLBACK_EVENTS: Record<string, Family> = {
	CallConnected: 'call',
	CallDisconnected: 'call',
	CreateCallFailed: 'call',
	AnswerFailed: 'call',
	ConnectFailed: 'call',
	CallTransferAccepted: 'call',
	CallTransferFailed: 'call',
	ParticipantsUpdated: 'participants',
	AddParticipantSucceeded: 'participants',
	AddParticipantFailed: 'participants',
	RemoveParticipantSucceeded: 'participants',
	RemoveParticipantFailed: 'participants',
	CancelAddParticipantSucceeded: 'participants',
	CancelAddParticipantFailed: 'participants',
	MoveParticipantSucceeded: 'participants',
	MoveParticipantFailed: 'participants',
	PlayStarted: 'media',
	PlayCompleted: 'media',
	PlayFailed: 'media',
	PlayCanceled: 'media',
	HoldFailed: 'media',
	MediaStreamingStarted: 'media',
	MediaStreamingStopped: 'media',
	MediaStreamingFailed: 'media',
	TranscriptionStarted: 'media',
	TranscriptionStopped: 'media',
	TranscriptionUpdated: 'media',
	TranscriptionFailed: 'media',
	RecognizeCompleted: 'recognize',
	RecognizeFailed: 'recognize',
	RecognizeCanceled: 'recognize',
	ContinuousDtmfRecognitionToneReceived: 'recognize',
	ContinuousDtmfRecognitionToneFailed: 'recognize',
	ContinuousDtmfRecognitionStopped: 'recognize',
	SendDtmfTonesCompleted: 'recognize',
	SendDtmfTonesFailed: 'recognize',
	RecordingStateChanged: 'recording',
	StartRecordingFailed: 'recording',
};

/** Event Grid system events of the Communication Services resource this node handles (no ACS JWT). */
export const EVENT_GRID_EVENTS: Record<string, Family> = {
	IncomingCall: 'incomingCall',
	RecordingFileStatusUpdated: 'recording',
};

/** Full type names that may be registered with Event Grid. */
export const EVENT_GRID_TYPES = Object.keys(EVENT_GRID_EVENTS).map((n) => PREFIX + n);

/** Every known type name by its lower-case form: senders' letter case never changes what a type means. */
const CANONICAL = new Map<string, string>(
	[...Object.keys(CALLBACK_EVENTS), ...Object.keys(EVENT_GRID_EVENTS)]
		.map((name) => PREFIX + name)
		.concat(VALIDATION_EVENT, SUBSCRIPTION_DELETED_EVENT)
		.map((type) => [type.toLowerCase(), type]),
);

/**
 * The one spelling of an event type used everywhere (filters, families, authentication): known types
 * in their documented case whatever case or surrounding spaces they arrive with; others as sent.
 */
export function canonicalType(type: string): string {
	const trimmed = type.trim();
	return CANONICAL.get(trimmed.toLowerCase()) ?? trimmed;
}

/** A table lookup that never answers with inherited members ("constructor", "__proto__"). */
function own(table: Record<string, Family>, name: string): Family | undefined {
	return Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
}

export function shortName(type: string): string {
	return type.startsWith(PREFIX) ? type.slice(PREFIX.length) : type.replace(/^.*\./, '');
}

export function familyOf(raw: string): Family {
	const type = canonicalType(raw);
	const name = type.startsWith(PREFIX) ? type.slice(PREFIX.length) : undefined;
	if (name === undefined) return 'other';
	return own(CALLBACK_EVENTS, name) ?? own(EVENT_GRID_EVENTS, name) ?? 'other';
}

export function isCallbackType(raw: string): boolean {
	const type = canonicalType(raw);
	return type.startsWith(PREFIX) && own(CALLBACK_EVENTS, type.slice(PREFIX.length)) !== undefined;
}

/** Types only Event Grid delivers (they never carry an ACS token). */
export function isEventGridType(raw: string): boolean {
	const type = canonicalType(raw);
	if (type.toLowerCase().startsWith('microsoft.eventgrid.')) return true;
	return type.startsWith(PREFIX) && own(EVENT_GRID_EVENTS, type.slice(PREFIX.length)) !== undefined;
}

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
	if (typeof value.type === 'string' && (value.specversion !== undefined || value.eventType === undefined)) {
		schema = 'CloudEvents';
	} else if (typeof value.eventType === 'string') {
		schema = 'EventGrid';
	} else {
		throw new BodyError(400, `Event ${index} has neither a CloudEvents "type" nor an Event Grid "eventType".`);
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
	if (tooDeep(body, MAX_DEPTH)) throw new BodyError(400, `The body is nested deeper than ${MAX_DEPTH} levels.`);
	if (Array.isArray(body) && body.length > MAX_EVENTS) {
		throw new BodyError(413, `The body holds more than ${MAX_EVENTS} events.`);
	}
	if (Array.isArray(body)) {
		if (body.length === 0) throw new BodyError(400, 'The body is an empty array: expected at least one event.');
		const events = new Array<ReceivedEvent>(body.length);
		for (let i = 0; i < body.length; i++) events[i] = toEvent(body[i], i);
		return events;
	}
	if (isObject(body)) return [toEvent(body, 0)];
	throw new BodyError(400, 'The body must be a JSON array of events or a single event object.');
}

const TONE_CHARS: Record<string, string> = {
	zero: '0',
	one: '1',
	two: '2',
	three: '3',
	four: '4',
	five: '5',
	six: '6',
	seven: '7',
	eight: '8',
	nine: '9',
	a: 'A',
	b: 'B',
	c: 'C',
	d: 'D',
	pound: '#',
	asterisk: '*',
	flash: '!',
};

/** Tone name ("one", "pound") → key ("1", "#"); unknown names pass through. */
export function toneChar(tone: unknown): string {
	if (typeof tone !== 'string') return '';
	return TONE_CHARS[tone.toLowerCase()] ?? tone;
}

/** rawId of a CommunicationIdentifierModel (or a string id), as used by the action node's fields. */
export function rawIdOf(identifier: unknown): string | undefined {
	if (typeof identifier === 'string') return identifier;
	if (!isObject(identifier)) return undefined;
	if (typeof identifier.rawId === 'string' && identifier.rawId) return identifier.rawId;
	const phone = identifier.phoneNumber as IDataObject | undefined;
	if (isObject(phone) && typeof phone.value === 'string') return `4:${phone.value}`;
	const user = identifier.communicationUser as IDataObject | undefined;
	if (isObject(user) && typeof user.id === 'string') return user.id;
	const teams = identifier.microsoftTeamsUser as IDataObject | undefined;
	if (isObject(teams) && typeof teams.userId === 'string') return `8:orgid:${teams.userId}`;
	const app = identifier.microsoftTeamsApp as IDataObject | undefined;
	if (isObject(app) && typeof app.appId === 'string') return `28:orgid:${app.appId}`;
	return undefined;
}

function phoneOf(identifier: unknown): string | undefined {
	if (!isObject(identifier)) return undefined;
	const phone = identifier.phoneNumber as IDataObject | undefined;
	if (isObject(phone) && typeof phone.value === 'string') return phone.value;
	const raw = rawIdOf(identifier);
	return raw?.startsWith('4:') ? raw.slice(2) : undefined;
}

const IDENTIFIER_FIELDS = ['participant', 'transferTarget', 'transferee', 'onBehalfOfCallee', 'from', 'to', 'fromCall'];
const RECORDING_SUBJECT = /\/serverCallId\/([^/]+)/;

/**
 * The item for one event: the short and full type, the call ids and result, the data flattened for
 * expressions (identifiers as raw ids, tones as a string), and `raw`, the event as received.
 */
export function normalizeEvent(event: ReceivedEvent): IDataObject {
	const { data, type } = event;
	const name = shortName(type);
	const item: IDataObject = {
		eventType: name,
		type,
		family: familyOf(type),
		schema: event.schema,
		id: event.id,
		time: event.time,
		subject: event.subject,
		callConnectionId: data.callConnectionId,
		serverCallId: data.serverCallId,
		correlationId: data.correlationId,
		operationContext: data.operationContext,
	};
	for (const key of Object.keys(data)) {
		// A "__proto__" key from JSON.parse is an own property; assigning it would replace the item's prototype.
		if (key !== '__proto__' && !Object.prototype.hasOwnProperty.call(item, key)) item[key] = data[key];
	}
	const result = data.resultInformation;
	if (isObject(result)) {
		item.resultCode = result.code;
		item.resultSubCode = result.subCode;
		item.resultMessage = result.message;
	}
	for (const field of IDENTIFIER_FIELDS) {
		const value = data[field];
		if (value !== undefined && typeof value !== 'string') {
			const raw = rawIdOf(value);
			if (raw !== undefined) {
				item[field] = raw;
				item[`${field}Identifier`] = value;
			}
		}
	}
	switch (name) {
		case 'RecognizeCompleted': {
			const dtmf = data.dtmfResult;
			if (isObject(dtmf) && Array.isArray(dtmf.tones)) {
				item.tones = dtmf.tones;
				item.dtmfTones = dtmf.tones.map(toneChar).join('');
			}
			const speech = data.speechResult;
			if (isObject(speech)) {
				item.speech = speech.speech;
				item.confidence = speech.confidence;
			}
			const choice = data.choiceResult;
			if (isObject(choice)) {
				item.choiceLabel = choice.label;
				item.recognizedPhrase = choice.recognizedPhrase;
				item.confidence = choice.confidence;
			}
			break;
		}
		case 'ContinuousDtmfRecognitionToneReceived':
			item.toneName = data.tone;
			item.tone = toneChar(data.tone);
			break;
		case 'ParticipantsUpdated': {
			const list = Array.isArray(data.participants) ? data.participants : [];
			item.participants = list.map((p) => (isObject(p) ? rawIdOf(p.identifier) : undefined) ?? null);
			item.participantDetails = list.map((p) =>
				isObject(p) ? { rawId: rawIdOf(p.identifier) ?? null, isMuted: p.isMuted, isOnHold: p.isOnHold, identifier: p.identifier } : p,
			);
			break;
		}
		case 'RecordingStateChanged':
			item.recordingState = data.state;
			break;
		case 'IncomingCall':
			item.fromPhoneNumber = phoneOf(data.from);
			item.toPhoneNumber = phoneOf(data.to);
			break;
		case 'RecordingFileStatusUpdated': {
			const storage = data.recordingStorageInfo;
			const chunks = isObject(storage) && Array.isArray(storage.recordingChunks) ? storage.recordingChunks : [];
			item.recordingChunks = chunks;
			const first = chunks[0];
			if (isObject(first)) {
				item.contentLocation = first.contentLocation;
				item.metadataLocation = first.metadataLocation;
				item.deleteLocation = first.deleteLocation;
			}
			if (item.serverCallId === undefined && event.subject) {
				const match = RECORDING_SUBJECT.exec(event.subject);
				if (match) item.serverCallId = decodeURIComponent(match[1]);
			}
			break;
		}
	}
	item.raw = event.raw;
	return item;
}

export interface EventFilter {
	/** Full type names; empty = all. */
	types: Set<string>;
	/** Call connection ids; empty = all. */
	callConnectionIds: Set<string>;
	/** Exact operationContext; empty = all. */
	operationContext: string;
}

export function buildFilter(types: string[], callConnectionIds: string, operationContext: string): EventFilter {
	return {
		types: new Set(types.map((t) => canonicalType(t.includes('.') ? t : PREFIX + t))),
		callConnectionIds: new Set(
			callConnectionIds
				.split(',')
				.map((s) => s.trim())
				.filter(Boolean),
		),
		operationContext: operationContext.trim(),
	};
}

export function matches(filter: EventFilter, event: ReceivedEvent): boolean {
	if (filter.types.size > 0 && !filter.types.has(canonicalType(event.type))) return false;
	if (filter.callConnectionIds.size > 0 && !filter.callConnectionIds.has(String(event.data.callConnectionId ?? ''))) {
		return false;
	}
	if (filter.operationContext && event.data.operationContext !== filter.operationContext) return false;
	return true;
}
