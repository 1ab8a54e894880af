/** Call recording: start (by serverCallId locator or callConnectionId), get, stop, pause, resume. */
import { randomUUID } from 'node:crypto';
import { AcsError, invalidField, notFound } from './errors';
import type { ApiRequest, ApiResult, EmulatorContext } from './context';
import { OK } from './events';
import { finishRecording } from './storage';
import type { CallRecord, RecordingRecord } from './types';
import { Fields } from './validation';

function stateResponse(rec: RecordingRecord): Record<string, unknown> {
	return {
		recordingId: rec.recordingId,
		recordingState: rec.state,
		recordingKind: rec.recordingKind,
	};
}

function notify(ctx: EmulatorContext, rec: RecordingRecord): void {
	const call = ctx.store.calls.get(rec.callConnectionId);
	if (!call || !rec.stateCallbackUri) return;
	ctx.events.emitCallEvent(call, 'RecordingStateChanged', rec.stateCallbackUri, {
		recordingId: rec.recordingId,
		state: rec.state,
		startDateTime: rec.startDateTime,
		recordingKind: rec.recordingKind,
		resultInformation: OK,
	});
}

function findCall(ctx: EmulatorContext, b: Fields): CallRecord {
	const locator = b.object('callLocator');
	const callConnectionId = b.string('callConnectionId', { nonEmpty: true });
	if (!locator && !callConnectionId)
		throw invalidField('callLocator', 'is required (or callConnectionId)');
	if (locator && callConnectionId)
		throw invalidField('callConnectionId', 'must not be set together with callLocator');
	if (callConnectionId) return ctx.store.connectedCall(callConnectionId);
	const l = locator as Fields;
	const kind =
		l.enumOf('kind', ['groupCallLocator', 'serverCallLocator', 'roomCallLocator']) ??
		'serverCallLocator';
	if (kind !== 'serverCallLocator') {
		l.string(kind === 'groupCallLocator' ? 'groupCallId' : 'roomId', { required: true });
		throw new AcsError(
			404,
			'8522',
			`No ${kind === 'groupCallLocator' ? 'group call' : 'room call'} with that id is in progress on this resource.`,
		);
	}
	const serverCallId = l.requiredString('serverCallId');
	const id = ctx.store.byServerCallId.get(serverCallId);
	if (!id) throw notFound(`No call with serverCallId ${serverCallId} is in progress.`);
	return ctx.store.connectedCall(id);
}

export function startRecording(ctx: EmulatorContext, r: ApiRequest): ApiResult {
	const b = Fields.body(r.json);
	const call = findCall(ctx, b);
	const stateCallbackUri = b.uri('recordingStateCallbackUri');
	const contentType = b.enumOf('recordingContentType', ['audio', 'audioVideo']) ?? 'audio';
	const channelType = b.enumOf('recordingChannelType', ['mixed', 'unmixed']) ?? 'mixed';
	const formatType =
		b.enumOf('recordingFormatType', ['wav', 'mp3', 'mp4']) ??
		(contentType === 'audioVideo' ? 'mp4' : 'wav');
	if (contentType === 'audioVideo' && (formatType !== 'mp4' || channelType !== 'mixed')) {
		throw invalidField(
			'recordingFormatType',
			'must be mp4 with recordingChannelType mixed for audioVideo recordings',
		);
	}
	if (contentType === 'audio' && formatType === 'mp4')
		throw invalidField('recordingFormatType', 'mp4 needs recordingContentType audioVideo');
	if (channelType === 'unmixed' && formatType !== 'wav')
		throw invalidField('recordingFormatType', 'must be wav for unmixed recordings');
	b.identifiers('audioChannelParticipantOrdering');
	b.objects('channelAffinity')?.forEach((c) => {
		c.integer('channel', { min: 0, max: 4 });
		c.identifier('participant', true);
	});
	const pauseOnStart = b.boolean('pauseOnStart') ?? false;
	const storage = b.object('externalStorage');
	if (storage) {
		const kind = storage.enumOf(
			'recordingStorageKind',
			['azureCommunicationServices', 'azureBlobStorage'],
			true,
		);
		if (kind === 'azureBlobStorage') storage.uri('recordingDestinationContainerUrl', true);
	}
	for (const id of call.recordingIds) {
		if (!ctx.store.recordings.get(id)?.stopped) {
			throw new AcsError(
				400,
				'8553',
				`A recording (${id}) is already in progress for this call; stop it first.`,
			);
		}
	}
	const rec: RecordingRecord = {
		recordingId: Buffer.from(`emulator-recording-${randomUUID()}`).toString('base64url'),
		callConnectionId: call.callConnectionId,
		serverCallId: call.serverCallId,
		state: pauseOnStart ? 'inactive' : 'active',
		recordingKind: 'azureCommunicationServices',
		stateCallbackUri,
		contentType,
		channelType,
		formatType,
		startDateTime: new Date().toISOString(),
		stopped: false,
	};
	ctx.store.recordings.set(rec.recordingId, rec);
	call.recordingIds.add(rec.recordingId);
	notify(ctx, rec);
	return { status: 200, body: stateResponse(rec) };
}

function liveRecording(ctx: EmulatorContext, id: string): RecordingRecord {
	const rec = ctx.store.recordings.get(id);
	if (!rec || rec.stopped)
		throw notFound(`Recording ${id} was not found (it never existed or has stopped).`);
	return rec;
}

export function getRecording(ctx: EmulatorContext, r: ApiRequest): ApiResult {
	return { status: 200, body: stateResponse(liveRecording(ctx, r.params[0])) };
}

export function stopRecording(ctx: EmulatorContext, r: ApiRequest): ApiResult {
	const rec = liveRecording(ctx, r.params[0]);
	rec.stopped = true;
	rec.state = 'inactive';
	notify(ctx, rec);
	finishRecording(ctx, rec);
	return { status: 204 };
}

function setState(ctx: EmulatorContext, r: ApiRequest, state: RecordingRecord['state']): ApiResult {
	const rec = liveRecording(ctx, r.params[0]);
	if (rec.state !== state) {
		rec.state = state;
		notify(ctx, rec);
	}
	return { status: 202 };
}

export const pauseRecording = (ctx: EmulatorContext, r: ApiRequest): ApiResult =>
	setState(ctx, r, 'inactive');
export const resumeRecording = (ctx: EmulatorContext, r: ApiRequest): ApiResult =>
	setState(ctx, r, 'active');
