/**
 * Call resource on the wire: for the same inputs the node sends what the official SDK
 * (@azure/communication-call-automation 1.6.0) sends — method, path, api-version, JSON body and
 * whether the request is repeatable.
 */
import { CallAutomationClient } from '@azure/communication-call-automation';
import type { CommunicationIdentifier } from '@azure/communication-common';
import type { IDataObject } from 'n8n-workflow';

import { AI_ENDPOINT, CALLBACK, CALLEE, CALLER_ID } from '../harness/action';
import { engineLabel } from '../harness/engine';
import {
	expectSameWire,
	expectSameWireWithRandomContext,
	withWireRecorder,
	type WireRecorder,
} from '../harness/wire';

const ACS_USER = '8:acs:00000000-0000-0000-0000-000000000001_00000000-0000-0000-0000-000000000002';
const TEAMS_USER = '8:orgid:3f2b8c4e-0000-4000-8000-000000000001';
const CONTEXT = 'opaque-incoming-call-context';
const CALL_ID = 'wire-call';
const OP_CALLBACK = 'https://callbacks.example.com/op';

/** The identifiers the SDK accepts as a redirect or transfer target. */
type Target = Parameters<CallAutomationClient['redirectCall']>[1]['targetParticipant'];

describe(`Call resource on the wire, node vs SDK (${engineLabel})`, () => {
	let rec: WireRecorder;
	let sdk: CallAutomationClient;
	withWireRecorder((started) => {
		rec = started;
		sdk = new CallAutomationClient(rec.connectionString, { allowInsecureConnection: true });
	});
	const expectSame = async (parameters: IDataObject, viaSdk: () => Promise<unknown>) =>
		(await expectSameWire(rec, parameters, viaSdk)).shape;

	describe('create', () => {
		it('single phone target with caller id, display name, context and cognitive services', async () => {
			const shape = await expectSame(
				{
					resource: 'call',
					operation: 'create',
					targets: CALLEE,
					callbackUrl: CALLBACK,
					sourceCallerIdNumber: CALLER_ID,
					additionalFields: {
						sourceDisplayName: 'Clinic',
						operationContext: 'ctx-create',
						cognitiveServicesEndpoint: AI_ENDPOINT,
					},
				},
				async () =>
					await sdk.createCall(
						{
							targetParticipant: { phoneNumber: CALLEE },
							sourceCallIdNumber: { phoneNumber: CALLER_ID },
							sourceDisplayName: 'Clinic',
						},
						CALLBACK,
						{
							operationContext: 'ctx-create',
							callIntelligenceOptions: { cognitiveServicesEndpoint: AI_ENDPOINT },
						},
					),
			);
			expect(shape).toMatchObject({
				method: 'POST',
				path: '/calling/callConnections',
				repeatable: true,
			});
		});

		it('single ACS user with only the required fields', async () => {
			await expectSame(
				{ resource: 'call', operation: 'create', targets: ACS_USER, callbackUrl: CALLBACK },
				async () =>
					await sdk.createCall({ targetParticipant: { communicationUserId: ACS_USER } }, CALLBACK),
			);
		});

		it('group call with caller id, display name, context and cognitive services', async () => {
			const targets: CommunicationIdentifier[] = [
				{ phoneNumber: CALLEE },
				{ communicationUserId: ACS_USER },
				{ microsoftTeamsUserId: TEAMS_USER.slice('8:orgid:'.length) },
			];
			const shape = await expectSame(
				{
					resource: 'call',
					operation: 'create',
					targets: `${CALLEE}, ${ACS_USER}; ${TEAMS_USER}`,
					callbackUrl: CALLBACK,
					sourceCallerIdNumber: CALLER_ID,
					additionalFields: {
						sourceDisplayName: 'Clinic',
						operationContext: 'ctx-group',
						cognitiveServicesEndpoint: AI_ENDPOINT,
					},
				},
				async () =>
					await sdk.createGroupCall(targets, CALLBACK, {
						sourceCallIdNumber: { phoneNumber: CALLER_ID },
						sourceDisplayName: 'Clinic',
						operationContext: 'ctx-group',
						callIntelligenceOptions: { cognitiveServicesEndpoint: AI_ENDPOINT },
					}),
			);
			expect((shape.body as { targets: unknown[] }).targets).toHaveLength(3);
		});
	});

	it('get', async () => {
		const shape = await expectSame(
			{ resource: 'call', operation: 'get', callConnectionId: CALL_ID },
			async () => await sdk.getCallConnection(CALL_ID).getCallConnectionProperties(),
		);
		expect(shape).toMatchObject({
			method: 'GET',
			path: `/calling/callConnections/${CALL_ID}`,
			body: undefined,
			repeatable: false,
		});
	});

	describe('hangUp', () => {
		it('for everyone: terminate', async () => {
			const shape = await expectSame(
				{ resource: 'call', operation: 'hangUp', callConnectionId: CALL_ID, forEveryone: true },
				async () => await sdk.getCallConnection(CALL_ID).hangUp(true),
			);
			expect(shape).toMatchObject({
				method: 'POST',
				path: `/calling/callConnections/${CALL_ID}:terminate`,
				body: undefined,
				repeatable: true,
			});
		});

		it('leave only: DELETE', async () => {
			const shape = await expectSame(
				{ resource: 'call', operation: 'hangUp', callConnectionId: CALL_ID, forEveryone: false },
				async () => await sdk.getCallConnection(CALL_ID).hangUp(false),
			);
			expect(shape).toMatchObject({ method: 'DELETE', body: undefined, repeatable: false });
		});
	});

	describe('answer', () => {
		it('with context and cognitive services', async () => {
			const shape = await expectSame(
				{
					resource: 'call',
					operation: 'answer',
					incomingCallContext: CONTEXT,
					callbackUrl: CALLBACK,
					additionalFields: {
						operationContext: 'ctx-answer',
						cognitiveServicesEndpoint: AI_ENDPOINT,
					},
				},
				async () =>
					await sdk.answerCall(CONTEXT, CALLBACK, {
						operationContext: 'ctx-answer',
						callIntelligenceOptions: { cognitiveServicesEndpoint: AI_ENDPOINT },
					}),
			);
			expect(shape).toMatchObject({ path: '/calling/callConnections:answer', repeatable: true });
		});

		it("answered by an ACS user (the SDK client's source identity)", async () => {
			const asUser = new CallAutomationClient(rec.connectionString, {
				allowInsecureConnection: true,
				sourceIdentity: { communicationUserId: ACS_USER },
			});
			const shape = await expectSame(
				{
					resource: 'call',
					operation: 'answer',
					incomingCallContext: CONTEXT,
					callbackUrl: CALLBACK,
					additionalFields: { answeredBy: ACS_USER },
				},
				async () => await asUser.answerCall(CONTEXT, CALLBACK),
			);
			expect((shape.body as IDataObject).answeredBy).toEqual({ id: ACS_USER });
		});
	});

	it.each(['none', 'busy', 'forbidden'] as const)('reject with reason %s', async (reason) => {
		const shape = await expectSame(
			{ resource: 'call', operation: 'reject', incomingCallContext: CONTEXT, reason },
			async () => await sdk.rejectCall(CONTEXT, { callRejectReason: reason }),
		);
		expect(shape).toMatchObject({ path: '/calling/callConnections:reject', repeatable: true });
	});

	describe('redirect', () => {
		it.each<[string, Target]>([
			['phone number', { phoneNumber: '+14255550188' }],
			['ACS user', { communicationUserId: ACS_USER }],
			['Teams user', { microsoftTeamsUserId: TEAMS_USER.slice('8:orgid:'.length) }],
		])('to a %s', async (_label, target) => {
			const text =
				'phoneNumber' in target
					? target.phoneNumber
					: 'communicationUserId' in target
						? target.communicationUserId
						: TEAMS_USER;
			const shape = await expectSame(
				{ resource: 'call', operation: 'redirect', incomingCallContext: CONTEXT, target: text },
				async () => await sdk.redirectCall(CONTEXT, { targetParticipant: target }),
			);
			expect(shape).toMatchObject({ path: '/calling/callConnections:redirect', repeatable: true });
		});
	});

	describe('transfer', () => {
		it('with a custom calling context (UUI, X-MS-Custom-, X- and VoIP headers) as the SDK sends it', async () => {
			const shape = await expectSame(
				{
					resource: 'call',
					operation: 'transfer',
					callConnectionId: CALL_ID,
					target: '+14255550177',
					additionalFields: {
						operationContext: 'ctx-transfer-headers',
						customCallingContext: {
							headers: [
								{ kind: 'sipUui', value: 'case=42' },
								{ kind: 'sipCustom', key: 'CaseId', value: '42' },
								{ kind: 'sipX', key: 'Queue', value: 'billing' },
								{ kind: 'voip', key: 'priority', value: 'high' },
							],
						},
					},
				},
				async () =>
					await sdk.getCallConnection(CALL_ID).transferCallToParticipant(
						{ phoneNumber: '+14255550177' },
						{
							operationContext: 'ctx-transfer-headers',
							customCallingContext: [
								{ kind: 'sipuui', key: 'User-To-User', value: 'case=42' },
								{ kind: 'sipx', key: 'CaseId', value: '42' },
								{ kind: 'sipx', key: 'Queue', value: 'billing', sipHeaderPrefix: 'X-' },
								{ kind: 'voip', key: 'priority', value: 'high' },
							],
						},
					),
			);
			expect(shape.body).toMatchObject({
				customCallingContext: {
					sipHeaders: {
						'User-To-User': 'case=42',
						'X-MS-Custom-CaseId': '42',
						'X-Queue': 'billing',
					},
					voipHeaders: { priority: 'high' },
				},
			});
		});

		it('to a phone number with every option', async () => {
			const shape = await expectSame(
				{
					resource: 'call',
					operation: 'transfer',
					callConnectionId: CALL_ID,
					target: '+14255550177',
					additionalFields: {
						transferee: CALLEE,
						sourceCallerIdNumber: CALLER_ID,
						operationContext: 'ctx-transfer',
						operationCallbackUrl: OP_CALLBACK,
					},
				},
				async () =>
					await sdk.getCallConnection(CALL_ID).transferCallToParticipant(
						{ phoneNumber: '+14255550177' },
						{
							transferee: { phoneNumber: CALLEE },
							sourceCallIdNumber: { phoneNumber: CALLER_ID },
							operationContext: 'ctx-transfer',
							operationCallbackUrl: OP_CALLBACK,
						},
					),
			);
			expect(shape).toMatchObject({
				path: `/calling/callConnections/${CALL_ID}:transferToParticipant`,
				repeatable: true,
				body: { customCallingContext: { voipHeaders: {}, sipHeaders: {} } },
			});
		});

		it.each<[string, string, Target]>([
			['ACS user', ACS_USER, { communicationUserId: ACS_USER }],
			['Teams user', TEAMS_USER, { microsoftTeamsUserId: TEAMS_USER.slice('8:orgid:'.length) }],
		])('to a %s with a context', async (_label, text, target) => {
			await expectSame(
				{
					resource: 'call',
					operation: 'transfer',
					callConnectionId: CALL_ID,
					target: text,
					additionalFields: { operationContext: 'x' },
				},
				async () =>
					await sdk
						.getCallConnection(CALL_ID)
						.transferCallToParticipant(target, { operationContext: 'x' }),
			);
		});

		it('without a context both generate a fresh one; the rest is equal', async () => {
			await expectSameWireWithRandomContext(
				rec,
				{
					resource: 'call',
					operation: 'transfer',
					callConnectionId: CALL_ID,
					target: '+14255550177',
				},
				async () =>
					await sdk
						.getCallConnection(CALL_ID)
						.transferCallToParticipant({ phoneNumber: '+14255550177' }),
			);
		});
	});
});
