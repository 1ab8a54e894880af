import { parseCallAutomationEvent } from '@azure/communication-call-automation';
import { startEmulator, type Emulator } from '../../emulator';
import { signedRequest, startReceiver } from './receiver';

const V = 'api-version=2026-03-12';

async function createCall(emu: Emulator, callbackUri: string): Promise<string> {
	const res = await signedRequest(
		emu.url,
		emu.accessKey,
		'POST',
		`/calling/callConnections?${V}`,
		JSON.stringify({
			targets: [{ rawId: '8:acs:res_user' }],
			callbackUri,
			operationContext: 'ctx',
		}),
	);
	expect(res.status).toBe(201);
	return res.json.callConnectionId;
}

describe('emulator callback delivery', () => {
	it('retries a failed delivery with back-off and records attempts; other 4xx are final', async () => {
		const emu = await startEmulator({ deliveryBackoffMs: 1 });
		let calls = 0;
		const rx = await startReceiver(emu, {
			status: (r) => (r.path === '/reject' ? 401 : ++calls <= 2 ? 503 : 200),
		});
		try {
			const id = await createCall(emu, `${rx.url}/flaky`);
			const connected = await emu.waitForEvent('CallConnected', { callConnectionId: id });
			const record = emu.state().events.find((e: any) => e.event.id === connected.id) as any;
			expect(record).toMatchObject({ status: 'delivered', attempts: 3, responseStatus: 200 });
			const rejected = await createCall(emu, `${rx.url}/reject`);
			await emu.waitForEvent('CallConnected', { callConnectionId: rejected });
			expect(emu.state().events.find((e: any) => e.callConnectionId === rejected)).toMatchObject({
				status: 'failed',
				attempts: 1,
				responseStatus: 401,
			});
		} finally {
			await emu.close();
			await rx.close();
		}
	});

	it('records events for non-loopback callbacks as skipped, and can switch events off', async () => {
		const emu = await startEmulator();
		const quiet = await startEmulator({ deliverEvents: false });
		try {
			const id = await createCall(emu, 'https://app.example.com/callbacks');
			await emu.waitForEvent('ParticipantsUpdated', { callConnectionId: id });
			expect(emu.state().events.map((e: any) => e.status)).toEqual(['skipped', 'skipped']);
			await createCall(quiet, 'http://127.0.0.1:9/cb');
			expect(quiet.state().events).toEqual([]);
			await expect(quiet.waitForEvent('CallConnected')).rejects.toThrow(/switched off/);
		} finally {
			await emu.close();
			await quiet.close();
		}
	});

	it('lets configured targets decline: CreateCallFailed for a call, AddParticipantFailed for an invitation', async () => {
		const emu = await startEmulator({ declinedTargets: ['8:acs:res_user', '+14255550666'] });
		const rx = await startReceiver(emu);
		try {
			const declined = await createCall(emu, `${rx.url}/cb`);
			const failed = await emu.waitForEvent('CreateCallFailed', { callConnectionId: declined });
			expect(failed.data).toMatchObject({
				operationContext: 'ctx',
				resultInformation: { code: 603 },
			});
			expect(parseCallAutomationEvent(JSON.stringify([failed])).kind).toBe('CreateCallFailed');
			const ok = await signedRequest(
				emu.url,
				emu.accessKey,
				'POST',
				`/calling/callConnections?${V}`,
				JSON.stringify({ targets: [{ rawId: '8:acs:res_other' }], callbackUri: `${rx.url}/cb` }),
			);
			const id = ok.json.callConnectionId;
			await emu.waitForEvent('CallConnected', { callConnectionId: id });
			const since = emu.eventSeq();
			await signedRequest(
				emu.url,
				emu.accessKey,
				'POST',
				`/calling/callConnections/${id}/participants:add?${V}`,
				JSON.stringify({
					participantToAdd: { rawId: '4:+14255550666' },
					sourceCallerIdNumber: { value: '+14255550199' },
					operationContext: 'add',
				}),
			);
			const addFailed = await emu.waitForEvent('AddParticipantFailed', {
				callConnectionId: id,
				afterSeq: since,
			});
			expect(addFailed.data).toMatchObject({
				operationContext: 'add',
				participant: { rawId: '4:+14255550666' },
			});
			expect(parseCallAutomationEvent(JSON.stringify([addFailed])).kind).toBe(
				'AddParticipantFailed',
			);
		} finally {
			await emu.close();
			await rx.close();
		}
	});

	it('fails waitForEvent with a helpful message instead of hanging', async () => {
		const emu = await startEmulator();
		try {
			await expect(
				emu.waitForEvent('PlayCompleted', { callConnectionId: 'x', timeoutMs: 1 }),
			).rejects.toThrow(/No Microsoft.Communication.PlayCompleted event/);
		} finally {
			await emu.close();
		}
	});
});

describe('emulator Event Grid subscriptions and incoming calls', () => {
	let emu: Emulator;
	beforeAll(async () => {
		emu = await startEmulator({ deliveryTimeoutMs: 500 });
	});
	afterAll(() => emu.close());
	beforeEach(() => emu.reset());

	it('refuses a subscription whose endpoint does not answer the validation handshake', async () => {
		const rx = await startReceiver(emu, { answerValidation: false });
		try {
			await expect(emu.eventGrid.add({ endpointUrl: `${rx.url}/eg` })).rejects.toThrow(
				/validation handshake failed/,
			);
			expect(rx.received[0].headers['aeg-event-type']).toBe('SubscriptionValidation');
			expect((rx.received[0].json as any)[0].eventType).toBe(
				'Microsoft.EventGrid.SubscriptionValidationEvent',
			);
			expect(emu.eventGrid.list()).toEqual([]);
		} finally {
			await rx.close();
		}
	});

	it('validates CloudEvents endpoints with the OPTIONS handshake and delivers IncomingCall as a CloudEvent', async () => {
		const rx = await startReceiver(emu);
		const refuses = await startReceiver(emu, { allowCloudEvents: false });
		try {
			await expect(
				emu.eventGrid.add({ endpointUrl: `${refuses.url}/eg`, schema: 'CloudEventSchemaV1_0' }),
			).rejects.toThrow(/abuse-protection/);
			await emu.eventGrid.add({ endpointUrl: `${rx.url}/eg`, schema: 'CloudEventSchemaV1_0' });
			expect(rx.received[0]).toMatchObject({
				method: 'OPTIONS',
				headers: { 'webhook-request-origin': 'eventgrid.azure.net' },
			});
			const ring = await emu.simulateIncomingCall({
				from: '+14255550123',
				to: '+18005550100',
				callerDisplayName: 'Ada',
			});
			const delivery = rx.received[1];
			expect(delivery.headers['content-type']).toMatch(/application\/cloudevents\+json/);
			expect(delivery.json).toMatchObject({
				specversion: '1.0',
				type: 'Microsoft.Communication.IncomingCall',
				source: emu.resource.armId,
				data: {
					incomingCallContext: ring.incomingCallContext,
					callerDisplayName: 'Ada',
					to: { rawId: '4:+18005550100' },
				},
			});
		} finally {
			await rx.close();
			await refuses.close();
		}
	});

	it('delivers only to subscriptions that include IncomingCall; the HTTP route simulates calls too', async () => {
		const rx = await startReceiver(emu);
		try {
			await emu.eventGrid.add({
				endpointUrl: `${rx.url}/incoming`,
				includedEventTypes: ['Microsoft.Communication.IncomingCall'],
			});
			await emu.eventGrid.add({
				endpointUrl: `${rx.url}/other`,
				includedEventTypes: ['Microsoft.Communication.CallEnded'],
			});
			const res = await fetch(`${emu.url}__emulator/incoming-call`, {
				method: 'POST',
				body: JSON.stringify({ from: '+14255550123', to: '8:acs:res_bot' }),
			});
			expect(res.status).toBe(200);
			const body = (await res.json()) as { deliveries: unknown[] };
			expect(body.deliveries).toHaveLength(1);
			const notifications = rx.received.filter(
				(r) => r.headers['aeg-event-type'] === 'Notification',
			);
			expect(notifications.map((r) => r.path)).toEqual(['/incoming']);
			const [event] = notifications[0].json as any[];
			expect(event).toMatchObject({
				eventType: 'Microsoft.Communication.IncomingCall',
				topic: emu.resource.armId,
				subject: '/caller/4:+14255550123/recipient/8:acs:res_bot',
				data: {
					from: { kind: 'phoneNumber', rawId: '4:+14255550123' },
					to: { kind: 'communicationUser', rawId: '8:acs:res_bot' },
				},
			});
			// A context can be used once.
			const context = event.data.incomingCallContext;
			const reject = () =>
				signedRequest(
					emu.url,
					emu.accessKey,
					'POST',
					`/calling/callConnections:reject?${V}`,
					JSON.stringify({ incomingCallContext: context }),
				);
			expect((await reject()).status).toBe(204);
			expect((await reject()).status).toBe(404);
			const tampered = `${context.slice(0, -2)}xx`;
			const bad = await signedRequest(
				emu.url,
				emu.accessKey,
				'POST',
				`/calling/callConnections:answer?${V}`,
				JSON.stringify({ incomingCallContext: tampered, callbackUri: 'http://127.0.0.1:9/cb' }),
			);
			expect(bad.status).toBe(400);
			expect(bad.json.error.target).toBe('incomingCallContext');
		} finally {
			await rx.close();
		}
	});

	it('exposes state, key presses and reset over HTTP', async () => {
		const rx = await startReceiver(emu);
		try {
			const id = await createCall(emu, `${rx.url}/cb`);
			await emu.waitForEvent('CallConnected', { callConnectionId: id });
			await signedRequest(
				emu.url,
				emu.accessKey,
				'POST',
				`/calling/callConnections/${id}:startContinuousDtmfRecognition?${V}`,
				JSON.stringify({ targetParticipant: { rawId: '8:acs:res_user' } }),
			);
			const keys = await fetch(`${emu.url}__emulator/calls/${id}/keys`, {
				method: 'POST',
				body: JSON.stringify({ tones: '9*' }),
			});
			expect(await keys.json()).toMatchObject({
				tones: ['nine', 'asterisk'],
				continuousDtmfEvents: 2,
			});
			await emu.waitForEvent('ContinuousDtmfRecognitionToneReceived', {
				callConnectionId: id,
				match: (e) => e.data.tone === 'asterisk',
			});
			const state = (await (await fetch(`${emu.url}__emulator/state`)).json()) as any;
			expect(state.calls[0]).toMatchObject({
				callConnectionId: id,
				state: 'connected',
				participants: [{ identifier: { rawId: '8:acs:res_user' } }],
			});
			expect(state.requests.byRoute.createCall).toEqual({ 201: 1 });
			expect(
				(
					await fetch(`${emu.url}__emulator/calls/unknown/keys`, {
						method: 'POST',
						body: '{"tones":"1"}',
					})
				).status,
			).toBe(404);
			expect((await fetch(`${emu.url}__emulator/reset`, { method: 'POST' })).status).toBe(204);
			expect(emu.state().calls).toEqual([]);
		} finally {
			await rx.close();
		}
	});
});
