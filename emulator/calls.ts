/** Call connections: create, answer/redirect/reject/connect, get, hang up, terminate, transfer — and the call lifecycle. */
import { badRequest, invalidField } from './errors';
import type { ApiRequest, ApiResult, EmulatorContext } from './context';
import { OK } from './events';
import { attachCaller } from './caller';
import { consumeIncomingCall } from './eventGrid';
import { clearCallTimers, participantModel } from './state';
import type { CallRecord, IdentifierModel } from './types';
import { finishRecording } from './storage';
import { attachStreaming, readStreamingOptions, subscriptions } from './streaming';
import { Fields } from './validation';

const MAX_CONTEXT = 5000;

export function callProperties(call: CallRecord): Record<string, unknown> {
	return {
		callConnectionId: call.callConnectionId,
		serverCallId: call.serverCallId,
		targets: call.targets,
		callConnectionState: call.state,
		callbackUri: call.callbackUri,
		sourceCallerIdNumber: call.sourceCallerIdNumber,
		sourceDisplayName: call.sourceDisplayName,
		source: call.source ? { id: call.source.id } : undefined,
		correlationId: call.correlationId,
		answeredBy: call.answeredBy,
		answeredFor: call.answeredFor,
		...subscriptions(call),
	};
}

export function callbackFor(call: CallRecord, operationCallbackUri: string | undefined): string {
	return operationCallbackUri ?? call.callbackUri;
}

export function emitParticipantsUpdated(ctx: EmulatorContext, call: CallRecord): void {
	call.sequenceNumber++;
	ctx.events.emitCallEvent(call, 'ParticipantsUpdated', call.callbackUri, {
		sequenceNumber: call.sequenceNumber,
		participants: [...call.participants.values()].map(participantModel),
		resultInformation: OK,
	});
}

export function addParticipant(call: CallRecord, identifier: IdentifierModel): void {
	if (!call.participants.has(identifier.rawId)) {
		call.participants.set(identifier.rawId, { identifier, isMuted: false, isOnHold: false });
	}
}

/** Schedules connecting → connected: CallConnected + ParticipantsUpdated (the service's order). */
function scheduleConnect(ctx: EmulatorContext, call: CallRecord, joining: IdentifierModel[]): void {
	ctx.schedule(call, ctx.options.connectDelayMs, () => {
		if (call.state !== 'connecting') return;
		const declined =
			joining.length > 0 && joining.every((p) => ctx.options.declinedTargets.has(p.rawId));
		if (declined && call.direction === 'outbound') {
			ctx.events.emitCallEvent(call, 'CreateCallFailed', call.callbackUri, {
				operationContext: call.operationContext,
				resultInformation: {
					code: 603,
					subCode: 0,
					message: 'The call was declined by the callee.',
				},
			});
			call.state = 'disconnected';
			call.endedAt = new Date().toISOString();
			call.endReason = 'declined';
			ctx.store.removeCall(call);
			return;
		}
		call.state = 'connected';
		call.connectedAt = new Date().toISOString();
		for (const p of joining) if (!ctx.options.declinedTargets.has(p.rawId)) addParticipant(call, p);
		ctx.events.emitCallEvent(call, 'CallConnected', call.callbackUri, {
			operationContext: call.operationContext,
			resultInformation: OK,
		});
		emitParticipantsUpdated(ctx, call);
	});
}

/** Ends the call: stops its media and recordings, emits CallDisconnected, forgets it (later requests 404). */
export function disconnectCall(
	ctx: EmulatorContext,
	call: CallRecord,
	reason: string,
	operationContext?: string,
): void {
	if (call.state === 'disconnected') return;
	clearCallTimers(call);
	for (const inv of call.invitations.values()) if (inv.timer) clearTimeout(inv.timer);
	call.invitations.clear();
	call.plays = [];
	call.recognize = undefined;
	call.continuousDtmf.clear();
	for (const recordingId of call.recordingIds) {
		const rec = ctx.store.recordings.get(recordingId);
		if (rec && !rec.stopped) {
			rec.stopped = true;
			rec.state = 'inactive';
			finishRecording(ctx, rec);
			if (rec.stateCallbackUri) {
				ctx.events.emitCallEvent(call, 'RecordingStateChanged', rec.stateCallbackUri, {
					recordingId: rec.recordingId,
					state: 'inactive',
					startDateTime: rec.startDateTime,
					recordingKind: rec.recordingKind,
					resultInformation: OK,
				});
			}
		}
	}
	call.state = 'disconnected';
	call.endedAt = new Date().toISOString();
	call.endReason = reason;
	ctx.events.emitCallEvent(call, 'CallDisconnected', call.callbackUri, {
		operationContext,
		resultInformation: { code: 200, subCode: 0, message: `The call was disconnected (${reason}).` },
	});
	ctx.store.removeCall(call);
}

function readCallOptions(b: Fields): {
	cognitiveServicesEndpoint?: string;
	streaming: ReturnType<typeof readStreamingOptions>;
} {
	const intelligence = b.object('callIntelligenceOptions');
	const cognitiveServicesEndpoint = intelligence?.uri('cognitiveServicesEndpoint');
	return { cognitiveServicesEndpoint, streaming: readStreamingOptions(b) };
}

export function createCall(ctx: EmulatorContext, r: ApiRequest): ApiResult {
	const b = Fields.body(r.json);
	const targets = b.identifiers('targets', {
		required: true,
		min: 1,
		max: 350,
	}) as IdentifierModel[];
	const callbackUri = b.uri('callbackUri', true) as string;
	const sourceCallerIdNumber = b.phoneNumber('sourceCallerIdNumber');
	const sourceDisplayName = b.string('sourceDisplayName', { maxLength: 256 });
	const source = b.communicationUser('source');
	const operationContext = b.string('operationContext', { maxLength: MAX_CONTEXT });
	const teamsAppSource = b.object('teamsAppSource');
	teamsAppSource?.requiredString('appId');
	const { cognitiveServicesEndpoint, streaming } = readCallOptions(b);
	const pstn = targets.findIndex((t) => t.kind === 'phoneNumber');
	if (pstn >= 0 && !sourceCallerIdNumber) {
		throw invalidField(
			'sourceCallerIdNumber',
			`is required to call the phone number in targets[${pstn}] (use a number your resource owns)`,
		);
	}
	const call = ctx.store.newCall({
		direction: 'outbound',
		callbackUri,
		targets,
		sourceCallerIdNumber,
		sourceDisplayName,
		source,
		operationContext,
		cognitiveServicesEndpoint,
	});
	attachCaller(ctx, call, targets);
	scheduleConnect(ctx, call, targets);
	attachStreaming(ctx, call, streaming);
	return { status: 201, body: callProperties(call) };
}

export function answerCall(ctx: EmulatorContext, r: ApiRequest): ApiResult {
	const b = Fields.body(r.json);
	const context = b.requiredString('incomingCallContext');
	const callbackUri = b.uri('callbackUri', true) as string;
	const operationContext = b.string('operationContext', { maxLength: MAX_CONTEXT });
	const answeredBy = b.communicationUser('answeredBy');
	const { cognitiveServicesEndpoint, streaming } = readCallOptions(b);
	const incoming = consumeIncomingCall(ctx, context, 'answered');
	const call = ctx.store.newCall({
		direction: 'inbound',
		callbackUri,
		targets: [incoming.from],
		operationContext,
		answeredBy,
		answeredFor: incoming.to.phoneNumber ? { value: incoming.to.phoneNumber.value } : undefined,
		cognitiveServicesEndpoint,
		serverCallId: incoming.serverCallId,
		correlationId: incoming.correlationId,
	});
	ctx.store.byServerCallId.set(call.serverCallId, call.callConnectionId);
	attachCaller(ctx, call, [incoming.from], incoming.caller);
	scheduleConnect(ctx, call, [incoming.from]);
	attachStreaming(ctx, call, streaming);
	return { status: 200, body: callProperties(call) };
}

export function redirectCall(ctx: EmulatorContext, r: ApiRequest): ApiResult {
	const b = Fields.body(r.json);
	const context = b.requiredString('incomingCallContext');
	b.identifier('target', true);
	b.object('customCallingContext');
	consumeIncomingCall(ctx, context, 'redirected');
	return { status: 204 };
}

export function rejectCall(ctx: EmulatorContext, r: ApiRequest): ApiResult {
	const b = Fields.body(r.json);
	const context = b.requiredString('incomingCallContext');
	b.enumOf('callRejectReason', ['none', 'busy', 'forbidden']);
	consumeIncomingCall(ctx, context, 'rejected');
	return { status: 204 };
}

export function connectCall(ctx: EmulatorContext, r: ApiRequest): ApiResult {
	const b = Fields.body(r.json);
	const locator = b.object('callLocator', true) as Fields;
	const kind = locator.enumOf('kind', ['groupCallLocator', 'serverCallLocator', 'roomCallLocator']);
	const ids = {
		groupCallLocator: 'groupCallId',
		serverCallLocator: 'serverCallId',
		roomCallLocator: 'roomId',
	} as const;
	const given = Object.values(ids).filter((f) => locator.string(f) !== undefined);
	if (given.length !== 1) {
		throw invalidField('callLocator', 'must set exactly one of groupCallId, serverCallId, roomId');
	}
	if (kind && ids[kind] !== given[0])
		throw invalidField('callLocator.kind', `is ${kind} but ${given[0]} is set`);
	const callbackUri = b.uri('callbackUri', true) as string;
	const operationContext = b.string('operationContext', { maxLength: MAX_CONTEXT });
	const { cognitiveServicesEndpoint, streaming } = readCallOptions(b);
	let joining: IdentifierModel[] = [];
	if (given[0] === 'serverCallId') {
		const existing = ctx.store.byServerCallId.get(locator.value.serverCallId as string);
		const other = existing ? ctx.store.calls.get(existing) : undefined;
		if (!other)
			throw badRequest(
				`No call with serverCallId ${String(locator.value.serverCallId)} is in progress.`,
				'8522',
				'callLocator.serverCallId',
			);
		joining = [...other.participants.values()].map((p) => p.identifier);
	}
	const call = ctx.store.newCall({
		direction: 'connect',
		callbackUri,
		targets: [],
		operationContext,
		cognitiveServicesEndpoint,
	});
	scheduleConnect(ctx, call, joining);
	attachStreaming(ctx, call, streaming);
	return { status: 200, body: callProperties(call) };
}

export function getCall(ctx: EmulatorContext, r: ApiRequest): ApiResult {
	return { status: 200, body: callProperties(ctx.store.getCall(r.params[0])) };
}

export function hangUp(ctx: EmulatorContext, r: ApiRequest): ApiResult {
	disconnectCall(ctx, ctx.store.getCall(r.params[0]), 'hung up');
	return { status: 204 };
}

export function terminate(ctx: EmulatorContext, r: ApiRequest): ApiResult {
	disconnectCall(ctx, ctx.store.getCall(r.params[0]), 'terminated for everyone');
	return { status: 204 };
}

export function transfer(ctx: EmulatorContext, r: ApiRequest): ApiResult {
	const call = ctx.store.connectedCall(r.params[0]);
	const b = Fields.body(r.json);
	const target = b.identifier('targetParticipant', true) as IdentifierModel;
	const transferee = b.identifier('transferee');
	const operationContext = b.string('operationContext', { maxLength: MAX_CONTEXT });
	const operationCallbackUri = b.uri('operationCallbackUri');
	const custom = b.object('customCallingContext');
	custom?.stringMap('voipHeaders');
	custom?.stringMap('sipHeaders');
	b.phoneNumber('sourceCallerIdNumber');
	if (transferee && !call.participants.has(transferee.rawId)) {
		throw invalidField('transferee', `${transferee.rawId} is not a participant of the call`);
	}
	const transferred = transferee ?? [...call.participants.values()][0]?.identifier;
	call.state = 'transferring';
	const url = callbackFor(call, operationCallbackUri);
	ctx.schedule(call, 0, () => {
		call.state = 'transferAccepted';
		ctx.events.emitCallEvent(call, 'CallTransferAccepted', url, {
			operationContext,
			resultInformation: OK,
			transferTarget: target,
			transferee: transferred,
		});
		disconnectCall(ctx, call, 'transferred', operationContext);
	});
	return { status: 202, body: { operationContext } };
}
