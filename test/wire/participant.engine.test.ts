/**
 * Participant resource on the wire: for the same inputs the node sends what the official SDK
 * (@azure/communication-call-automation 1.6.0) sends — method, path, api-version, JSON body and
 * whether the request is repeatable.
 */
import { CallAutomationClient, type CallConnection } from '@azure/communication-call-automation';
import { createIdentifierFromRawId } from '@azure/communication-common';
import type { IDataObject } from 'n8n-workflow';

import { CALLEE, CALLER_ID } from '../harness/action';
import { engineLabel } from '../harness/engine';
import { RAW_IDS } from '../harness/rawIds';
import {
	expectSameWire,
	expectSameWireWithRandomContext,
	withWireRecorder,
	type WireRecorder,
} from '../harness/wire';

const ACS_USER = '8:acs:00000000-0000-0000-0000-000000000001_00000000-0000-0000-0000-000000000002';
const TEAMS_USER_ID = '3f2b8c4e-0000-4000-8000-000000000001';
const CALL_ID = 'wire-call';
const OP_CALLBACK = 'https://callbacks.example.com/op';

describe(`Participant resource on the wire, node vs SDK (${engineLabel})`, () => {
	let rec: WireRecorder;
	let call: CallConnection;
	withWireRecorder((started) => {
		rec = started;
		call = new CallAutomationClient(rec.connectionString, {
			allowInsecureConnection: true,
		}).getCallConnection(CALL_ID);
	});
	const participant = (parameters: IDataObject) => ({
		resource: 'participant',
		callConnectionId: CALL_ID,
		...parameters,
	});
	const expectSame = async (parameters: IDataObject, viaSdk: () => Promise<unknown>) =>
		(await expectSameWire(rec, participant(parameters), viaSdk)).shape;

	describe('add', () => {
		it('phone number with caller id, display name, timeout, context and operation callback', async () => {
			const shape = await expectSame(
				{
					operation: 'add',
					participant: CALLEE,
					additionalFields: {
						sourceCallerIdNumber: CALLER_ID,
						sourceDisplayName: 'Clinic',
						invitationTimeoutInSeconds: 30,
						operationContext: 'ctx-add',
						operationCallbackUrl: OP_CALLBACK,
					},
				},
				async () =>
					await call.addParticipant(
						{
							targetParticipant: { phoneNumber: CALLEE },
							sourceCallIdNumber: { phoneNumber: CALLER_ID },
							sourceDisplayName: 'Clinic',
						},
						{
							invitationTimeoutInSeconds: 30,
							operationContext: 'ctx-add',
							operationCallbackUrl: OP_CALLBACK,
						},
					),
			);
			expect(shape).toMatchObject({
				method: 'POST',
				path: `/calling/callConnections/${CALL_ID}/participants:add`,
				repeatable: true,
			});
			// The SDK sends an empty custom calling context with every invitation.
			expect(shape.body).toMatchObject({
				customCallingContext: { voipHeaders: {}, sipHeaders: {} },
			});
		});

		it('ACS user with VoIP and SIP headers in its custom calling context', async () => {
			const shape = await expectSame(
				{
					operation: 'add',
					participant: ACS_USER,
					additionalFields: {
						operationContext: 'ctx-add-headers',
						customCallingContext: {
							headers: [
								{ kind: 'voip', key: 'ticket', value: 'T-9' },
								{ kind: 'sipUui', value: 'uui' },
							],
						},
					},
				},
				async () =>
					await call.addParticipant(
						{
							targetParticipant: { communicationUserId: ACS_USER },
							customCallingContext: [
								{ kind: 'voip', key: 'ticket', value: 'T-9' },
								{ kind: 'sipuui', key: 'User-To-User', value: 'uui' },
							],
						},
						{ operationContext: 'ctx-add-headers' },
					),
			);
			expect(shape.body).toMatchObject({
				customCallingContext: {
					voipHeaders: { ticket: 'T-9' },
					sipHeaders: { 'User-To-User': 'uui' },
				},
			});
		});

		it('ACS user with nothing else', async () => {
			await expectSame(
				{ operation: 'add', participant: ACS_USER },
				async () =>
					await call.addParticipant({ targetParticipant: { communicationUserId: ACS_USER } }),
			);
		});

		it('Teams user with a context', async () => {
			await expectSame(
				{
					operation: 'add',
					participant: `8:orgid:${TEAMS_USER_ID}`,
					additionalFields: { operationContext: 'ctx-teams' },
				},
				async () =>
					await call.addParticipant(
						{ targetParticipant: { microsoftTeamsUserId: TEAMS_USER_ID } },
						{ operationContext: 'ctx-teams' },
					),
			);
		});
	});

	describe('remove', () => {
		it('phone number with context and operation callback', async () => {
			const shape = await expectSame(
				{
					operation: 'remove',
					participant: CALLEE,
					operationContext: 'ctx-remove',
					operationCallbackUrl: OP_CALLBACK,
				},
				async () =>
					await call.removeParticipant(
						{ phoneNumber: CALLEE },
						{ operationContext: 'ctx-remove', operationCallbackUrl: OP_CALLBACK },
					),
			);
			expect(shape).toMatchObject({
				method: 'POST',
				path: `/calling/callConnections/${CALL_ID}/participants:remove`,
				repeatable: true,
			});
		});

		it('without a context both generate a random one', async () => {
			await expectSameWireWithRandomContext(
				rec,
				participant({ operation: 'remove', participant: ACS_USER }),
				async () => await call.removeParticipant({ communicationUserId: ACS_USER }),
			);
		});
	});

	it('remove by raw id (Participant Type: Raw ID)', async () => {
		await expectSame(
			{
				operation: 'remove',
				participant: '99:custom:participant',
				participantType: 'unknown',
				operationContext: 'ctx-raw',
			},
			async () =>
				await call.removeParticipant(
					{ id: '99:custom:participant' },
					{ operationContext: 'ctx-raw' },
				),
		);
	});

	it('get a Teams user given as a bare id (Participant Type: Teams User)', async () => {
		const shape = await expectSame(
			{ operation: 'get', participant: TEAMS_USER_ID, participantType: 'microsoftTeamsUser' },
			async () => await call.getParticipant({ microsoftTeamsUserId: TEAMS_USER_ID }),
		);
		expect(shape.path).toBe(
			`/calling/callConnections/${CALL_ID}/participants/8:orgid:${TEAMS_USER_ID}`,
		);
	});

	it('list', async () => {
		const shape = await expectSame(
			{ operation: 'list', returnAll: true },
			async () => await call.listParticipants(),
		);
		expect(shape).toMatchObject({
			method: 'GET',
			path: `/calling/callConnections/${CALL_ID}/participants`,
			body: undefined,
			repeatable: false,
		});
	});

	it('get (raw id in the path)', async () => {
		const shape = await expectSame(
			{ operation: 'get', participant: CALLEE },
			async () => await call.getParticipant({ phoneNumber: CALLEE }),
		);
		expect(shape).toMatchObject({
			method: 'GET',
			path: `/calling/callConnections/${CALL_ID}/participants/4:${CALLEE}`,
			repeatable: false,
		});
	});

	it('mute sends a one-element list', async () => {
		const shape = await expectSame(
			{ operation: 'mute', participant: CALLEE, operationContext: 'ctx-mute' },
			async () =>
				await call.muteParticipant({ phoneNumber: CALLEE }, { operationContext: 'ctx-mute' }),
		);
		expect(shape).toMatchObject({
			method: 'POST',
			path: `/calling/callConnections/${CALL_ID}/participants:mute`,
			repeatable: true,
		});
		expect((shape.body as IDataObject).targetParticipants).toHaveLength(1);
	});

	it('mute without a context', async () => {
		await expectSame(
			{ operation: 'mute', participant: ACS_USER },
			async () => await call.muteParticipant({ communicationUserId: ACS_USER }),
		);
	});

	describe('cancelAdd', () => {
		it('with context and operation callback', async () => {
			const shape = await expectSame(
				{
					operation: 'cancelAdd',
					invitationId: 'inv-1',
					operationContext: 'ctx-cancel',
					operationCallbackUrl: OP_CALLBACK,
				},
				async () =>
					await call.cancelAddParticipantOperation('inv-1', {
						operationContext: 'ctx-cancel',
						operationCallbackUrl: OP_CALLBACK,
					}),
			);
			expect(shape).toMatchObject({
				method: 'POST',
				path: `/calling/callConnections/${CALL_ID}/participants:cancelAddParticipant`,
				repeatable: true,
			});
		});

		it('without a context both generate a random one', async () => {
			await expectSameWireWithRandomContext(
				rec,
				participant({ operation: 'cancelAdd', invitationId: 'inv-2' }),
				async () => await call.cancelAddParticipantOperation('inv-2'),
			);
		});
	});
});

describe(`Every identifier kind on the wire, node vs SDK's createIdentifierFromRawId (${engineLabel})`, () => {
	let rec: WireRecorder;
	let call: CallConnection;
	withWireRecorder((started) => {
		rec = started;
		call = new CallAutomationClient(rec.connectionString, {
			allowInsecureConnection: true,
		}).getCallConnection(CALL_ID);
	});

	it.each(RAW_IDS)('%s in a body (remove) and in a path (get)', async (rawId) => {
		const removed = await expectSameWire(
			rec,
			{
				resource: 'participant',
				callConnectionId: CALL_ID,
				operation: 'remove',
				participant: rawId,
				operationContext: 'ctx-kind',
			},
			async () =>
				await call.removeParticipant(createIdentifierFromRawId(rawId), {
					operationContext: 'ctx-kind',
				}),
		);
		expect((removed.shape.body as IDataObject).participantToRemove).toMatchObject({ rawId });
		const got = await expectSameWire(
			rec,
			{ resource: 'participant', callConnectionId: CALL_ID, operation: 'get', participant: rawId },
			async () => await call.getParticipant(createIdentifierFromRawId(rawId)),
		);
		expect(got.shape.path).toBe(`/calling/callConnections/${CALL_ID}/participants/${rawId}`);
	});

	it.each(RAW_IDS)('%s given as Participant Type: Raw ID (remove, mute)', async (rawId) => {
		const removed = await expectSameWire(
			rec,
			{
				resource: 'participant',
				callConnectionId: CALL_ID,
				operation: 'remove',
				participant: rawId,
				participantType: 'unknown',
				operationContext: 'ctx-raw-kind',
			},
			async () =>
				await call.removeParticipant(createIdentifierFromRawId(rawId), {
					operationContext: 'ctx-raw-kind',
				}),
		);
		expect((removed.shape.body as IDataObject).participantToRemove).toMatchObject({
			rawId,
			kind: createIdentifierFromRawId(rawId).kind,
		});
		await expectSameWire(
			rec,
			{
				resource: 'participant',
				callConnectionId: CALL_ID,
				operation: 'mute',
				participant: rawId,
				participantType: 'unknown',
				operationContext: 'ctx-raw-kind',
			},
			async () =>
				await call.muteParticipant(createIdentifierFromRawId(rawId), {
					operationContext: 'ctx-raw-kind',
				}),
		);
	});
});
