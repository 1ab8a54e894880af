/**
 * POST /__emulator/send-event: one sample event to any URL (e.g. a trigger's Test URL), so a workflow
 * can be designed before a real call. Call events carry a token signed like every other callback
 * (the trigger verifies it as usual); Event Grid events go in the Event Grid schema (put the trigger's
 * ?secret= in the URL).
 */
import { randomUUID } from 'node:crypto';
import type { EmulatorContext } from './context';
import { AcsError } from './errors';
import { EVENT_PREFIX, OK } from './events';
import type { EventRecord } from './types';

const PHONE_FROM = '+14255550123';
const PHONE_TO = '+18005550100';
const phone = (value: string) => ({
	kind: 'phoneNumber',
	rawId: `4:${value}`,
	phoneNumber: { value },
});

/** Event Grid system events of the resource (no ACS token). */
const EVENT_GRID = new Set(['IncomingCall', 'RecordingFileStatusUpdated']);

/** Data as ACS sends it for the event types people build on most; other types get a plain result. */
export function sampleEventData(
	name: string,
	callConnectionId: string,
	operationContext: string | undefined,
): Record<string, unknown> {
	const context = operationContext === undefined ? {} : { operationContext };
	switch (name) {
		case 'CallConnected':
		case 'CallDisconnected':
			return { ...context };
		case 'RecognizeCompleted':
			return {
				...context,
				recognitionType: 'dtmf',
				dtmfResult: { tones: ['one', 'pound'] },
				resultInformation: OK,
			};
		case 'RecognizeFailed':
			return {
				...context,
				resultInformation: {
					code: 400,
					subCode: 8510,
					message: 'Action failed, initial silence timeout reached.',
				},
			};
		case 'ParticipantsUpdated':
			return {
				sequenceNumber: 1,
				participants: [{ identifier: phone(PHONE_FROM), isMuted: false, isOnHold: false }],
			};
		case 'AddParticipantSucceeded':
		case 'RemoveParticipantSucceeded':
			return { ...context, participant: phone(PHONE_FROM), resultInformation: OK };
		case 'RecordingStateChanged':
			return {
				recordingId: randomUUID(),
				state: 'active',
				startDateTime: new Date().toISOString(),
			};
		case 'IncomingCall':
			return {
				to: phone(PHONE_TO),
				from: phone(PHONE_FROM),
				callerDisplayName: '',
				incomingCallContext: `sample-incoming-call-context-${randomUUID()}`,
				correlationId: randomUUID(),
				serverCallId: Buffer.from(`sample-server-call-${callConnectionId}`).toString('base64url'),
			};
		case 'RecordingFileStatusUpdated':
			return {
				recordingStorageInfo: {
					recordingChunks: [
						{
							documentId: randomUUID(),
							index: 0,
							endReason: 'SessionEnded',
							contentLocation: 'https://storage.asm.skype.com/v1/objects/sample/content/video',
							metadataLocation:
								'https://storage.asm.skype.com/v1/objects/sample/content/acsmetadata',
						},
					],
				},
				recordingStartTime: new Date().toISOString(),
				recordingDurationMs: 30_000,
			};
		default:
			return { ...context, resultInformation: OK };
	}
}

export interface SendEventResult {
	type: string;
	url: string;
	status: EventRecord['status'];
	responseStatus?: number;
	error?: string;
	event: unknown;
}

export async function sendSampleEvent(
	ctx: EmulatorContext,
	input: Record<string, unknown>,
): Promise<SendEventResult> {
	const url = typeof input.url === 'string' ? input.url : '';
	if (!/^https?:\/\//.test(url)) {
		throw new AcsError(
			400,
			'BadRequest',
			'Send {"url":"http://localhost:5678/webhook-test/…/webhook","type":"CallConnected"}.',
		);
	}
	const name = String(input.type ?? 'CallConnected').replace(EVENT_PREFIX, '');
	const callConnectionId =
		typeof input.callConnectionId === 'string' && input.callConnectionId
			? input.callConnectionId
			: randomUUID();
	const operationContext =
		typeof input.operationContext === 'string' ? input.operationContext : undefined;
	const data = {
		...sampleEventData(name, callConnectionId, operationContext),
		...(isObject(input.data) ? input.data : {}),
	};
	const type = EVENT_PREFIX + name;
	if (EVENT_GRID.has(name)) {
		const event = {
			id: randomUUID(),
			topic: ctx.resource.armId,
			subject:
				name === 'IncomingCall'
					? `/phonenumber/${PHONE_TO.slice(1)}`
					: `/recording/call/${callConnectionId}`,
			data,
			eventType: type,
			eventTime: new Date().toISOString(),
			metadataVersion: '1',
			dataVersion: '1.0',
		};
		const body = JSON.stringify([event]);
		const record = await ctx.events.deliverEventGrid(
			url,
			type,
			[event],
			() => ({ 'content-type': 'application/json', 'aeg-event-type': 'Notification' }),
			body,
		);
		return result(record, url);
	}
	const call = {
		callConnectionId,
		serverCallId: Buffer.from(`sample-server-call-${callConnectionId}`).toString('base64url'),
		correlationId: randomUUID(),
	};
	const before = ctx.events.lastSeq;
	ctx.events.emitCallEvent(call, name, url, data);
	const record = ctx.events.records.find((r) => r.seq > before && r.url === url);
	if (record === undefined)
		throw new AcsError(409, 'Conflict', 'Event delivery is switched off in this emulator.');
	// Delivery is queued: wait until it has an answer (the bus gives up after its own retries).
	while (record.status === 'pending') await new Promise((r) => setTimeout(r, 20));
	return result(record, url);
}

function result(record: EventRecord, url: string): SendEventResult {
	return {
		type: record.type,
		url,
		status: record.status,
		responseStatus: record.responseStatus,
		error: record.error,
		event: record.event,
	};
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
