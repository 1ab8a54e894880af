/**
 * The item for one received event: the data flattened for expressions (identifiers as raw ids, tones
 * as keys, results and recording locations lifted to the top), and the event as received.
 */
import type { IDataObject } from 'n8n-workflow';

import { rawIdOf } from '../../../acs/identifiers';
import { keyOfTone } from '../helpers/tones';
import type { ReceivedEvent } from './body';
import { familyOf, shortName } from './eventTypes';

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The phone number of an identifier (its phoneNumber, or a `4:` raw id), if it is one. */
export function phoneOf(identifier: unknown): string | undefined {
	if (!isObject(identifier)) return undefined;
	const phone = identifier.phoneNumber as IDataObject | undefined;
	if (isObject(phone) && typeof phone.value === 'string') return phone.value;
	const raw = rawIdOf(identifier);
	return raw?.startsWith('4:') ? raw.slice(2) : undefined;
}

const IDENTIFIER_FIELDS = [
	'participant',
	'transferTarget',
	'transferee',
	'onBehalfOfCallee',
	'from',
	'to',
	'fromCall',
];
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
		if (key !== '__proto__' && !Object.prototype.hasOwnProperty.call(item, key))
			item[key] = data[key];
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
				item.dtmfTones = dtmf.tones.map(keyOfTone).join('');
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
			item.tone = keyOfTone(data.tone);
			break;
		case 'ParticipantsUpdated': {
			const list = Array.isArray(data.participants) ? data.participants : [];
			item.participants = list.map(
				(p) => (isObject(p) ? rawIdOf(p.identifier) : undefined) ?? null,
			);
			item.participantDetails = list.map((p) =>
				isObject(p)
					? {
							rawId: rawIdOf(p.identifier) ?? null,
							isMuted: p.isMuted,
							isOnHold: p.isOnHold,
							identifier: p.identifier,
						}
					: p,
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
			const chunks =
				isObject(storage) && Array.isArray(storage.recordingChunks) ? storage.recordingChunks : [];
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
