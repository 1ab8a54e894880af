/**
 * Call resource in n8n's engine against the emulator: every operation changes the emulated call the
 * way the service would, and outputs what ACS answered.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Emulator } from '../../emulator';
import {
	AI_ENDPOINT,
	CALLBACK,
	CALLEE,
	CALLER_ID,
	callSnapshot,
	connectedCall,
	outputJson,
	runAction,
	runResource,
	withEmulator,
} from '../harness/action';
import { engineLabel } from '../harness/engine';

const ACS_USER = '8:acs:00000000-0000-0000-0000-000000000001_00000000-0000-0000-0000-000000000002';
const OTHER_CALLBACK = 'https://other-callbacks.example.com/transfer';

describe(`Call resource (${engineLabel})`, () => {
	let emu: Emulator;
	withEmulator({ port: 0 }, (started) => (emu = started));

	const runCall = async (parameters: IDataObject) =>
		outputJson(await runResource(emu, 'call', parameters));
	const ended = (id: string) => emu.state().endedCalls.find((c) => c.callConnectionId === id);
	const incoming = (serverCallId: string) =>
		(emu.state().incomingCalls as Array<Record<string, unknown>>).find(
			(c) => c.serverCallId === serverCallId,
		);

	describe('create', () => {
		it('calls one phone number with caller id, display name, context and cognitive services', async () => {
			const [created] = await runCall({
				operation: 'create',
				targets: CALLEE,
				callbackUrl: CALLBACK,
				sourceCallerIdNumber: CALLER_ID,
				additionalFields: {
					sourceDisplayName: 'Clinic',
					operationContext: 'reminder',
					cognitiveServicesEndpoint: AI_ENDPOINT,
				},
			});
			const id = String(created.callConnectionId);
			expect(created.callConnectionState).toBe('connecting');
			const connected = await emu.waitForEvent('CallConnected', { callConnectionId: id });
			expect(connected.data.operationContext).toBe('reminder');
			expect(callSnapshot(emu, id)).toMatchObject({
				direction: 'outbound',
				state: 'connected',
				callbackUri: CALLBACK,
				targets: [{ kind: 'phoneNumber', rawId: `4:${CALLEE}`, phoneNumber: { value: CALLEE } }],
				sourceCallerIdNumber: { value: CALLER_ID },
				sourceDisplayName: 'Clinic',
				operationContext: 'reminder',
				cognitiveServicesEndpoint: AI_ENDPOINT,
			});
		});

		it('rings several targets in one group call', async () => {
			const [created] = await runCall({
				operation: 'create',
				targets: `${CALLEE}, ${ACS_USER}`,
				callbackUrl: CALLBACK,
				sourceCallerIdNumber: CALLER_ID,
			});
			const id = String(created.callConnectionId);
			await emu.waitForEvent('CallConnected', { callConnectionId: id });
			const call = callSnapshot(emu, id) as {
				targets: Array<{ rawId: string }>;
				participants: unknown[];
			};
			expect(call.targets.map((t) => t.rawId)).toEqual([`4:${CALLEE}`, ACS_USER]);
			expect(call.participants).toHaveLength(2);
			expect(emu.state().callsCreated).toBe(1);
		});

		it('calls an ACS user without a caller id', async () => {
			const [created] = await runCall({
				operation: 'create',
				targets: ACS_USER,
				callbackUrl: CALLBACK,
			});
			expect(callSnapshot(emu, String(created.callConnectionId))).toMatchObject({
				targets: [{ kind: 'communicationUser', rawId: ACS_USER }],
			});
			expect(
				callSnapshot(emu, String(created.callConnectionId))?.sourceCallerIdNumber,
			).toBeUndefined();
		});
	});

	describe('get', () => {
		it('reads the state of a connected call', async () => {
			const id = await connectedCall(emu, { operationContext: 'read-me' });
			const [props] = await runCall({ operation: 'get', callConnectionId: id });
			expect(props).toMatchObject({
				callConnectionId: id,
				callConnectionState: 'connected',
				callbackUri: CALLBACK,
				sourceCallerIdNumber: { value: CALLER_ID },
			});
			expect(props.serverCallId).toBe(callSnapshot(emu, id)?.serverCallId);
		});
	});

	describe('hangUp', () => {
		it('ends the call for everyone (terminate)', async () => {
			const id = await connectedCall(emu);
			const [out] = await runCall({ operation: 'hangUp', callConnectionId: id, forEveryone: true });
			expect(out).toEqual({ callConnectionId: id, hungUp: true, forEveryone: true });
			await emu.waitForEvent('CallDisconnected', { callConnectionId: id });
			expect(callSnapshot(emu, id)).toBeUndefined();
			expect(ended(id)?.endReason).toBe('terminated for everyone');
			expect(emu.state().requests.byRoute.terminate).toEqual({ 204: 1 });
			expect(emu.state().requests.byRoute.hangUp).toBeUndefined();
		});

		it('leaves the call (DELETE)', async () => {
			const id = await connectedCall(emu);
			const [out] = await runCall({
				operation: 'hangUp',
				callConnectionId: id,
				forEveryone: false,
			});
			expect(out.forEveryone).toBe(false);
			await emu.waitForEvent('CallDisconnected', { callConnectionId: id });
			expect(ended(id)?.endReason).toBe('hung up');
			expect(emu.state().requests.byRoute.hangUp).toEqual({ 204: 1 });
			expect(emu.state().requests.byRoute.terminate).toBeUndefined();
		});
	});

	describe('answer', () => {
		it('answers the incoming call given by the trigger item', async () => {
			const ring = await emu.simulateIncomingCall({
				from: '+14255550123',
				to: '+18005550100',
				callerDisplayName: 'Ada',
			});
			const [answered] = outputJson(
				await runAction(emu, {
					items: [{ incomingCallContext: ring.incomingCallContext, from: '+14255550123' }],
					parameters: {
						resource: 'call',
						operation: 'answer',
						incomingCallContext: '={{ $json.incomingCallContext }}',
						callbackUrl: CALLBACK,
						additionalFields: {
							operationContext: 'inbound',
							cognitiveServicesEndpoint: AI_ENDPOINT,
							answeredBy: ACS_USER,
						},
					},
				}),
			);
			const id = String(answered.callConnectionId);
			expect(answered).toMatchObject({
				serverCallId: ring.serverCallId,
				callConnectionState: 'connecting',
				answeredBy: { id: ACS_USER },
			});
			const connected = await emu.waitForEvent('CallConnected', { callConnectionId: id });
			expect(connected.data.operationContext).toBe('inbound');
			expect(incoming(ring.serverCallId)?.state).toBe('answered');
			expect(callSnapshot(emu, id)).toMatchObject({
				direction: 'inbound',
				callbackUri: CALLBACK,
				cognitiveServicesEndpoint: AI_ENDPOINT,
				targets: [{ rawId: '4:+14255550123' }],
				answeredFor: { value: '+18005550100' },
			});
		});

		it('a context that was already used fails with ACS 404', async () => {
			const ring = await emu.simulateIncomingCall({ from: '+14255550123', to: '+18005550100' });
			const parameters = {
				resource: 'call',
				operation: 'answer',
				incomingCallContext: ring.incomingCallContext,
				callbackUrl: CALLBACK,
			};
			outputJson(await runAction(emu, { parameters }));
			const again = await runAction(emu, { parameters });
			expect(again.error?.message).toMatch(/404/);
			expect(again.error?.message).toMatch(/already answered/);
			expect(emu.state().callsCreated).toBe(1);
		});
	});

	describe('reject', () => {
		it.each(['none', 'busy', 'forbidden'])('declines with reason %s', async (reason) => {
			const ring = await emu.simulateIncomingCall({ from: '+14255550124', to: '+18005550100' });
			const [out] = await runCall({
				operation: 'reject',
				incomingCallContext: ring.incomingCallContext,
				reason,
			});
			expect(out).toEqual({ rejected: true, reason });
			expect(incoming(ring.serverCallId)?.state).toBe('rejected');
			expect(emu.state().callsCreated).toBe(0);
		});
	});

	describe('redirect', () => {
		it('sends the incoming call to another number without answering it', async () => {
			const ring = await emu.simulateIncomingCall({ from: '+14255550125', to: '+18005550100' });
			const [out] = await runCall({
				operation: 'redirect',
				incomingCallContext: ring.incomingCallContext,
				target: '+1 (425) 555-0188',
			});
			expect(out).toEqual({ redirected: true, target: '4:+14255550188' });
			expect(incoming(ring.serverCallId)?.state).toBe('redirected');
			expect(emu.state().callsCreated).toBe(0);
		});
	});

	describe('transfer', () => {
		it('hands the call to a phone number; events carry the operation context', async () => {
			const id = await connectedCall(emu);
			const [out] = await runCall({
				operation: 'transfer',
				callConnectionId: id,
				target: '+14255550177',
				additionalFields: { operationContext: 'to-sales', sourceCallerIdNumber: CALLER_ID },
			});
			expect(out).toEqual({
				callConnectionId: id,
				transferTarget: '4:+14255550177',
				operationContext: 'to-sales',
			});
			const accepted = await emu.waitForEvent('CallTransferAccepted', { callConnectionId: id });
			expect(accepted.data).toMatchObject({
				operationContext: 'to-sales',
				transferTarget: { rawId: '4:+14255550177' },
				transferee: { rawId: `4:${CALLEE}` },
			});
			await emu.waitForEvent('CallDisconnected', { callConnectionId: id });
			expect(ended(id)?.endReason).toBe('transferred');
		});

		it('transfers a named participant of a group call, with events sent to the operation callback URL', async () => {
			const id = await connectedCall(emu, { targets: `${CALLEE}, +14255550111` });
			const [out] = await runCall({
				operation: 'transfer',
				callConnectionId: id,
				target: ACS_USER,
				additionalFields: { transferee: '+14255550111', operationCallbackUrl: OTHER_CALLBACK },
			});
			// No context given: one is generated (as the SDK does) so the events can still be matched.
			expect(out.operationContext).toMatch(/^[0-9a-f-]{36}$/);
			const accepted = await emu.waitForEvent('CallTransferAccepted', { callConnectionId: id });
			expect(accepted.data).toMatchObject({
				operationContext: out.operationContext,
				transferee: { rawId: '4:+14255550111' },
			});
			const record = (
				emu.state().events as Array<{ type: string; url: string; callConnectionId?: string }>
			).find((e) => e.callConnectionId === id && e.type.endsWith('CallTransferAccepted'));
			expect(record?.url).toBe(OTHER_CALLBACK);
		});

		it('a transferee who is not on the call is refused by ACS (400)', async () => {
			const id = await connectedCall(emu);
			const result = await runAction(emu, {
				parameters: {
					resource: 'call',
					operation: 'transfer',
					callConnectionId: id,
					target: ACS_USER,
					additionalFields: { transferee: '+14255550999' },
				},
			});
			expect(result.error?.message).toMatch(/400/);
			expect(result.error?.message).toMatch(/transferee/);
			expect(callSnapshot(emu, id)?.state).toBe('connected');
		});
	});
});
