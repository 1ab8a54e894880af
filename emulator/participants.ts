/** Participants: list (paged), get, add (invitation rings for addParticipantDelayMs), remove, mute, cancel add. */
import { randomUUID } from 'node:crypto';
import { invalidField, notFound } from './errors';
import type { ApiRequest, ApiResult, EmulatorContext } from './context';
import { addParticipant, callbackFor, disconnectCall, emitParticipantsUpdated } from './calls';
import { OK } from './events';
import { participantModel } from './state';
import type { IdentifierModel, Invitation } from './types';
import { Fields } from './validation';

const MAX_CONTEXT = 5000;

export function listParticipants(ctx: EmulatorContext, r: ApiRequest): ApiResult {
	const call = ctx.store.getCall(r.params[0]);
	const all = [...call.participants.values()];
	const skipText = r.query.get('skipToken') ?? '0';
	const skip = /^\d+$/.test(skipText) ? Number(skipText) : NaN;
	if (Number.isNaN(skip)) throw invalidField('skipToken', 'is not a valid continuation token');
	const size = ctx.options.participantsPageSize;
	const page = all.slice(skip, skip + size);
	const body: Record<string, unknown> = { value: page.map(participantModel) };
	if (skip + size < all.length) {
		// Absolute and self-contained: the SDK GETs nextLink verbatim.
		const next = new URL(
			`calling/callConnections/${encodeURIComponent(call.callConnectionId)}/participants`,
			r.baseUrl,
		);
		next.searchParams.set('api-version', r.apiVersion);
		next.searchParams.set('skipToken', String(skip + size));
		body.nextLink = next.toString();
	}
	return { status: 200, body };
}

export function getParticipant(ctx: EmulatorContext, r: ApiRequest): ApiResult {
	const call = ctx.store.getCall(r.params[0]);
	const participant = call.participants.get(r.params[1]);
	if (!participant)
		throw notFound(`Participant ${r.params[1]} was not found in call ${call.callConnectionId}.`);
	return { status: 200, body: participantModel(participant) };
}

export function add(ctx: EmulatorContext, r: ApiRequest): ApiResult {
	const call = ctx.store.connectedCall(r.params[0]);
	const b = Fields.body(r.json);
	const participant = b.identifier('participantToAdd', true) as IdentifierModel;
	const sourceCallerIdNumber = b.phoneNumber('sourceCallerIdNumber');
	b.string('sourceDisplayName', { maxLength: 256 });
	b.integer('invitationTimeoutInSeconds', { min: 0, max: 180 });
	const operationContext = b.string('operationContext', { maxLength: MAX_CONTEXT });
	const url = callbackFor(call, b.uri('operationCallbackUri'));
	const custom = b.object('customCallingContext');
	custom?.stringMap('voipHeaders');
	custom?.stringMap('sipHeaders');
	if (
		participant.kind === 'phoneNumber' &&
		!sourceCallerIdNumber &&
		!call.sourceCallerIdNumber &&
		call.direction === 'outbound'
	) {
		throw invalidField(
			'sourceCallerIdNumber',
			'is required to add a phone number to a call that has no caller id',
		);
	}
	const invitation: Invitation = {
		invitationId: randomUUID(),
		participant,
		operationContext,
		callbackUri: url,
	};
	call.invitations.set(invitation.invitationId, invitation);
	invitation.timer = setTimeout(() => {
		call.timers.delete(invitation.timer as NodeJS.Timeout);
		if (!call.invitations.delete(invitation.invitationId)) return;
		if (ctx.options.declinedTargets.has(participant.rawId)) {
			ctx.events.emitCallEvent(call, 'AddParticipantFailed', url, {
				operationContext,
				participant,
				resultInformation: {
					code: 603,
					subCode: 0,
					message: 'The invitation was declined by the participant.',
				},
			});
			return;
		}
		addParticipant(call, participant);
		ctx.events.emitCallEvent(call, 'AddParticipantSucceeded', url, {
			operationContext,
			participant,
			resultInformation: OK,
		});
		emitParticipantsUpdated(ctx, call);
	}, ctx.options.addParticipantDelayMs);
	call.timers.add(invitation.timer);
	return {
		status: 202,
		body: {
			participant: { identifier: participant, isMuted: false, isOnHold: false },
			operationContext,
			invitationId: invitation.invitationId,
		},
	};
}

export function remove(ctx: EmulatorContext, r: ApiRequest): ApiResult {
	const call = ctx.store.connectedCall(r.params[0]);
	const b = Fields.body(r.json);
	const participant = b.identifier('participantToRemove', true) as IdentifierModel;
	const operationContext = b.string('operationContext', { maxLength: MAX_CONTEXT });
	const url = callbackFor(call, b.uri('operationCallbackUri'));
	if (!call.participants.has(participant.rawId)) {
		throw notFound(
			`Participant ${participant.rawId} was not found in call ${call.callConnectionId}.`,
		);
	}
	ctx.schedule(call, 0, () => {
		if (!call.participants.delete(participant.rawId)) return;
		call.continuousDtmf.delete(participant.rawId);
		ctx.events.emitCallEvent(call, 'RemoveParticipantSucceeded', url, {
			operationContext,
			participant,
			resultInformation: OK,
		});
		emitParticipantsUpdated(ctx, call);
		// Nobody left but the application: the service ends the call.
		if (call.participants.size === 0) disconnectCall(ctx, call, 'last participant removed');
	});
	return { status: 202, body: { operationContext } };
}

export function mute(ctx: EmulatorContext, r: ApiRequest): ApiResult {
	const call = ctx.store.connectedCall(r.params[0]);
	const b = Fields.body(r.json);
	const targets = b.identifiers('targetParticipants', {
		required: true,
		min: 1,
		max: 1,
	}) as IdentifierModel[];
	const operationContext = b.string('operationContext', { maxLength: MAX_CONTEXT });
	const participant = call.participants.get(targets[0].rawId);
	if (!participant)
		throw notFound(
			`Participant ${targets[0].rawId} was not found in call ${call.callConnectionId}.`,
		);
	if (!participant.isMuted) {
		participant.isMuted = true;
		emitParticipantsUpdated(ctx, call);
	}
	return { status: 200, body: { operationContext } };
}

export function cancelAddParticipant(ctx: EmulatorContext, r: ApiRequest): ApiResult {
	const call = ctx.store.connectedCall(r.params[0]);
	const b = Fields.body(r.json);
	const invitationId = b.requiredString('invitationId');
	const operationContext = b.string('operationContext', { maxLength: MAX_CONTEXT });
	const url = callbackFor(call, b.uri('operationCallbackUri'));
	const invitation = call.invitations.get(invitationId);
	if (invitation) {
		if (invitation.timer) {
			clearTimeout(invitation.timer);
			call.timers.delete(invitation.timer);
		}
		call.invitations.delete(invitationId);
	}
	// Like the service, the outcome arrives as an event: the invitation may have been answered meanwhile.
	ctx.schedule(call, 0, () => {
		if (invitation) {
			ctx.events.emitCallEvent(call, 'CancelAddParticipantSucceeded', url, {
				operationContext,
				invitationId,
				resultInformation: OK,
			});
		} else {
			ctx.events.emitCallEvent(call, 'CancelAddParticipantFailed', url, {
				operationContext,
				invitationId,
				resultInformation: {
					code: 400,
					subCode: 8522,
					message: `Invitation ${invitationId} is not pending (unknown, answered or already canceled).`,
				},
			});
		}
	});
	return { status: 202, body: { invitationId, operationContext } };
}

/** Moves participants of another live call of this resource into this one (participants:moveHere). */
export function moveHere(ctx: EmulatorContext, r: ApiRequest): ApiResult {
	const call = ctx.store.connectedCall(r.params[0]);
	const b = Fields.body(r.json);
	const targets = b.identifiers('targetParticipants', {
		required: true,
		min: 1,
		max: 100,
	}) as IdentifierModel[];
	const fromCallId = b.requiredString('fromCall');
	const operationContext = b.string('operationContext', { maxLength: MAX_CONTEXT });
	const url = callbackFor(call, b.uri('operationCallbackUri'));
	if (fromCallId === call.callConnectionId)
		throw invalidField('fromCall', 'is the call the participants are moved into');
	const from = ctx.store.calls.get(fromCallId);
	if (!from || from.state !== 'connected')
		throw invalidField('fromCall', `${fromCallId} is not a connected call of this resource`);
	targets.forEach((t, i) => {
		if (!from.participants.has(t.rawId))
			throw invalidField(
				`targetParticipants[${i}]`,
				`${t.rawId} is not a participant of call ${fromCallId}`,
			);
	});
	const moving = targets.map(
		(t) => from.participants.get(t.rawId) as NonNullable<ReturnType<typeof from.participants.get>>,
	);
	ctx.schedule(call, ctx.options.addParticipantDelayMs, () => {
		for (const p of moving) {
			from.participants.delete(p.identifier.rawId);
			addParticipant(call, p.identifier);
			ctx.events.emitCallEvent(call, 'MoveParticipantSucceeded', url, {
				operationContext,
				participant: p.identifier,
				fromCall: fromCallId,
				resultInformation: OK,
			});
		}
		emitParticipantsUpdated(ctx, call);
		if (from.state === 'connected') emitParticipantsUpdated(ctx, from);
	});
	return {
		status: 202,
		body: { participants: moving.map(participantModel), operationContext, fromCall: fromCallId },
	};
}
