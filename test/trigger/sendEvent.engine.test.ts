/**
 * The emulator's POST /__emulator/send-event, the documented way to try a trigger before a real call:
 * its sample events pass the trigger's real checks (signed token, Event Grid secret) and start a run
 * with the fields a workflow maps.
 */
import { startEmulator, type Emulator } from '../../emulator';
import { AzureCallAutomationWebhookSecretApi } from '../../credentials/AzureCallAutomationWebhookSecretApi.credentials';
import { AzureCallAutomationTrigger } from '../../nodes/AzureCallAutomation/AzureCallAutomationTrigger.node';
import { clearDedupe } from '../../nodes/AzureCallAutomation/callbacks/dedupe';
import { clearJwtCache } from '../../nodes/AzureCallAutomation/callbacks/jwt';
import { engineLabel } from '../harness/engine';
import { startTrigger, type TriggerHarness } from '../harness/trigger';

const SECRET = 'webhook-secret-0123456789abcdef';

describe(`emulator send-event to a trigger (${engineLabel})`, () => {
	let emu: Emulator;
	let t: TriggerHarness;

	beforeAll(async () => {
		emu = await startEmulator({});
		t = await startTrigger({
			type: 'azureCallAutomationTrigger',
			nodeType: new AzureCallAutomationTrigger(),
			parameters: {
				options: { resourceId: emu.resourceId, openIdConfigurationUrl: emu.openIdConfigurationUrl },
			},
			credentials: {
				azureCallAutomationWebhookSecretApi: {
					type: new AzureCallAutomationWebhookSecretApi(),
					data: { secret: SECRET },
				},
			},
		});
	});
	afterAll(async () => {
		await t.close();
		await emu.close();
	});
	beforeEach(() => {
		clearJwtCache();
		clearDedupe();
	});

	const send = async (
		body: Record<string, unknown>,
	): Promise<{ status: number; json: Record<string, unknown> }> => {
		const res = await fetch(`${emu.url}__emulator/send-event`, {
			method: 'POST',
			body: JSON.stringify(body),
		});
		return { status: res.status, json: (await res.json()) as Record<string, unknown> };
	};

	it('a call event is signed like a real callback and starts a run with its fields', async () => {
		const runs = t.runs.length;
		const res = await send({
			url: t.url,
			type: 'RecognizeCompleted',
			callConnectionId: 'sample-call',
			operationContext: 'menu',
		});
		expect(res.status).toBe(200);
		expect(res.json).toMatchObject({
			status: 'delivered',
			responseStatus: 200,
			type: 'Microsoft.Communication.RecognizeCompleted',
		});
		expect(t.runs).toHaveLength(runs + 1);
		expect(t.runs[runs].items).toMatchObject([
			{
				eventType: 'RecognizeCompleted',
				callConnectionId: 'sample-call',
				operationContext: 'menu',
				dtmfTones: '1#',
			},
		]);
	});

	it('an incoming call goes in the Event Grid schema and needs the secret in the URL', async () => {
		const refused = await send({ url: t.url, type: 'IncomingCall' });
		expect(refused.json).toMatchObject({ status: 'failed', responseStatus: 401 });
		const runs = t.runs.length;
		const res = await send({ url: `${t.url}?secret=${SECRET}`, type: 'IncomingCall' });
		expect(res.json).toMatchObject({ status: 'delivered', responseStatus: 200 });
		expect(t.runs[runs].items).toMatchObject([
			{
				eventType: 'IncomingCall',
				fromPhoneNumber: '+14255550123',
				toPhoneNumber: '+18005550100',
				incomingCallContext: expect.any(String),
			},
		]);
	});

	it('refuses a request without a URL', async () => {
		const res = await send({ type: 'CallConnected' });
		expect(res.status).toBe(400);
	});
});
