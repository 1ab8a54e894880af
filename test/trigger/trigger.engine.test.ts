/**
 * The trigger node in n8n's WebhookContext / HookContext (n8n 1.x and 2.x) over loopback HTTP, fed by the
 * emulator: callback events of a real call flow with verified JWTs, Event Grid registration (ARM) with the
 * validation handshake, incoming calls, and deactivation.
 */
import { CallAutomationClient, DtmfTone } from '@azure/communication-call-automation';
import type { IDataObject } from 'n8n-workflow';
import { AzureCallAutomationEventGridApi } from '../../credentials/AzureCallAutomationEventGridApi.credentials';
import { AzureCallAutomationWebhookSecretApi } from '../../credentials/AzureCallAutomationWebhookSecretApi.credentials';
import { deriveEventGridSecret } from '../../nodes/AzureCallAutomation/trigger/settings';
import { startEmulator, type Emulator } from '../../emulator';
import { AzureCallAutomationTrigger } from '../../nodes/AzureCallAutomation/AzureCallAutomationTrigger.node';
import { clearJwtCache } from '../../nodes/AzureCallAutomation/callbacks/jwt';
import { engineLabel } from '../harness/engine';
import type { CredentialEntry } from '../harness/engine';
import { startTrigger, type TriggerHarness } from '../harness/trigger';

const TYPE = 'azureCallAutomationTrigger';
const CALLEE = { communicationUserId: '8:acs:resource_callee-1' };
const SECRET = 's3cr3t-value';

describe(`Azure Call Automation Trigger in ${engineLabel}`, () => {
	let emu: Emulator;
	let client: CallAutomationClient;
	const open: TriggerHarness[] = [];

	beforeAll(async () => {
		emu = await startEmulator({});
		client = new CallAutomationClient(emu.connectionString, { allowInsecureConnection: true });
	});
	afterAll(async () => {
		for (const t of open) await t.close();
		await emu.close();
	});
	beforeEach(() => clearJwtCache());

	async function trigger(
		parameters: IDataObject,
		withArm = false,
		armOverrides: IDataObject = {},
		secret?: string,
	): Promise<TriggerHarness> {
		const t = await startTrigger({
			type: TYPE,
			nodeType: new AzureCallAutomationTrigger(),
			parameters,
			credentials: {
				...(withArm
					? {
							azureCallAutomationEventGridApi: {
								type: new AzureCallAutomationEventGridApi(),
								data: { ...emu.arm, ...armOverrides },
							},
						}
					: {}),
				...(secret
					? {
							azureCallAutomationWebhookSecretApi: {
								type: new AzureCallAutomationWebhookSecretApi(),
								data: { secret },
							},
						}
					: {}),
			},
		});
		open.push(t);
		return t;
	}

	const verified = (extra: IDataObject = {}): IDataObject => ({
		events: [],
		options: {
			resourceId: emu.resourceId,
			openIdConfigurationUrl: emu.openIdConfigurationUrl,
			...extra,
		},
	});

	it('turns a call flow into items in order, each delivery carrying a verified JWT', async () => {
		const t = await trigger(verified());
		await t.activate();
		const created = await client.createCall({ targetParticipant: CALLEE }, t.url, {
			operationContext: 'create-ctx',
		});
		const id = created.callConnectionProperties.callConnectionId as string;
		await emu.waitForEvent('CallConnected', { callConnectionId: id });
		const media = client.getCallConnection(id).getCallMedia();
		await media.playToAll([{ kind: 'fileSource', url: 'https://audio.example/hello.wav' }], {
			operationContext: 'play-ctx',
		});
		await emu.waitForEvent('PlayCompleted', { callConnectionId: id });
		await media.startRecognizing(CALLEE, {
			kind: 'callMediaRecognizeDtmfOptions',
			maxTonesToCollect: 3,
			stopDtmfTones: [DtmfTone.Pound],
			operationContext: 'menu',
		});
		emu.pressKeys(id, '12#');
		await emu.waitForEvent('RecognizeCompleted', { callConnectionId: id });
		await client.getCallConnection(id).hangUp(true);
		await emu.waitForEvent('CallDisconnected', { callConnectionId: id });
		const items = await t.waitForItems((all) =>
			all.some((i) => i.eventType === 'CallDisconnected'),
		);

		const mine = items.filter((i) => i.callConnectionId === id);
		expect(mine.map((i) => i.eventType)).toEqual([
			'CallConnected',
			'ParticipantsUpdated',
			'PlayStarted',
			'PlayCompleted',
			'RecognizeCompleted',
			'CallDisconnected',
		]);
		expect(mine[0]).toMatchObject({
			type: 'Microsoft.Communication.CallConnected',
			family: 'call',
			operationContext: 'create-ctx',
			serverCallId: created.callConnectionProperties.serverCallId,
			correlationId: created.callConnectionProperties.correlationId,
			resultCode: 200,
		});
		expect(mine[1].participants).toEqual(expect.arrayContaining(['8:acs:resource_callee-1']));
		expect(mine[3]).toMatchObject({ operationContext: 'play-ctx', family: 'media' });
		expect(mine[4]).toMatchObject({
			operationContext: 'menu',
			recognitionType: 'dtmf',
			dtmfTones: '12',
			family: 'recognize',
		});
		expect((mine[4].raw as IDataObject).type).toBe('Microsoft.Communication.RecognizeCompleted');
		// Every callback was accepted (200) by the node: the JWT verified.
		const deliveries = emu.state().events as Array<{
			callConnectionId?: string;
			status: string;
			lastStatus?: number;
		}>;
		const forCall = deliveries.filter((e) => e.callConnectionId === id);
		expect(forCall.length).toBe(6);
		expect(forCall.every((e) => e.status === 'delivered')).toBe(true);
	});

	it('registers an Event Grid subscription on activation, receives an incoming call, deletes it on deactivation', async () => {
		const t = await trigger({ ...verified(), registerEventGrid: true }, true);
		const activation = await t.activate();
		expect(activation.existed).toBe(false);
		const subs = emu.eventGrid.list();
		const sub = subs.find((s) => s.endpointUrl.startsWith(t.url));
		// Without a Webhook Secret credential the endpoint carries a secret derived from the Event Grid credential.
		const derived = deriveEventGridSecret(emu.arm.clientSecret, t.workflow.id, t.node.id);
		expect(sub).toMatchObject({
			endpointUrl: `${t.url}?secret=${derived}`,
			includedEventTypes: ['Microsoft.Communication.IncomingCall'],
			schema: 'EventGridSchema',
		});
		expect(t.staticData()).toMatchObject({ eventGridSubscriptionName: sub!.name });
		// The validation handshake was answered by the node and started nothing.
		expect(t.runs).toHaveLength(0);

		// A second activation finds the subscription through ARM.
		expect((await t.activate()).existed).toBe(true);

		const incoming = await emu.simulateIncomingCall({
			from: '+14255550123',
			to: '+18005550100',
			callerDisplayName: 'Ann',
		});
		const [item] = await t.waitForItems((all) => all.some((i) => i.eventType === 'IncomingCall'));
		expect(item).toMatchObject({
			eventType: 'IncomingCall',
			type: 'Microsoft.Communication.IncomingCall',
			family: 'incomingCall',
			schema: 'EventGrid',
			incomingCallContext: incoming.incomingCallContext,
			from: '4:+14255550123',
			to: '4:+18005550100',
			fromPhoneNumber: '+14255550123',
			callerDisplayName: 'Ann',
			serverCallId: incoming.serverCallId,
			correlationId: incoming.correlationId,
		});
		// The context is usable as is: answer the call with it.
		const answered = await client.answerCall(item.incomingCallContext as string, t.url);
		expect(answered.callConnectionProperties.callConnectionId).toBeTruthy();

		expect(await t.deactivate()).toBe(true);
		expect(emu.eventGrid.list().some((s) => s.name === sub!.name)).toBe(false);
		expect(t.staticData().eventGridSubscriptionName).toBeUndefined();
	});

	it('registers the Webhook Secret when one is set, and re-registers when the secret changes', async () => {
		const t = await trigger({ ...verified(), registerEventGrid: true }, true, {}, SECRET);
		expect((await t.activate()).existed).toBe(false);
		const name = t.staticData().eventGridSubscriptionName as string;
		expect(emu.eventGrid.get(name)).toMatchObject({ endpointUrl: `${t.url}?secret=${SECRET}` });
		// Without the secret, a delivery to the registered base URL is refused.
		const bare = await t.request(
			'POST',
			JSON.stringify([{ id: 'x', eventType: 'Microsoft.Communication.IncomingCall', data: {} }]),
			{
				'content-type': 'application/json',
				'aeg-event-type': 'Notification',
			},
		);
		expect(bare.status).toBe(401);
		expect(t.runs).toHaveLength(0);
		await t.deactivate();

		// Rotated secret: activation sees the endpoint no longer matches and updates the subscription in place.
		const credentials: Record<string, CredentialEntry> = {
			azureCallAutomationEventGridApi: {
				type: new AzureCallAutomationEventGridApi(),
				data: { ...emu.arm },
			},
			azureCallAutomationWebhookSecretApi: {
				type: new AzureCallAutomationWebhookSecretApi(),
				data: { secret: 'first-secret' },
			},
		};
		const r = await startTrigger({
			type: TYPE,
			nodeType: new AzureCallAutomationTrigger(),
			parameters: { ...verified(), registerEventGrid: true },
			credentials,
		});
		open.push(r);
		expect((await r.activate()).existed).toBe(false);
		expect((await r.activate()).existed).toBe(true);
		credentials.azureCallAutomationWebhookSecretApi.data.secret = 'rotated-secret';
		expect((await r.activate()).existed).toBe(false);
		const rotated = emu.eventGrid.get(r.staticData().eventGridSubscriptionName as string);
		expect(rotated).toMatchObject({ endpointUrl: `${r.url}?secret=rotated-secret` });
		expect(emu.eventGrid.list().filter((x) => x.endpointUrl.startsWith(r.url))).toHaveLength(1);
		await r.deactivate();
	});

	it('with Called Numbers, only incoming calls to those numbers start a run (several workflows, one resource)', async () => {
		const t = await trigger(
			{ ...verified({ calledNumbers: '+1 800 555 0177' }), registerEventGrid: true },
			true,
		);
		await t.activate();
		const other = await emu.simulateIncomingCall({ from: '+14255550123', to: '+18005550100' });
		// Delivered and acknowledged, and nothing started.
		expect(other.deliveries.find((d) => d.url.startsWith(t.url))?.responseStatus).toBe(200);
		expect(t.runs).toHaveLength(0);
		const ours = await emu.simulateIncomingCall({ from: '+14255550123', to: '+18005550177' });
		const items = await t.waitForItems((all) => all.some((i) => i.eventType === 'IncomingCall'));
		expect(items.map((i) => [i.to, i.incomingCallContext])).toEqual([
			['4:+18005550177', ours.incomingCallContext],
		]);
		expect(await t.deactivate()).toBe(true);
	});

	it('refuses to activate with a Called Number that is not E.164, saying which', async () => {
		const t = await trigger(verified({ calledNumbers: '+18005550100, 555-CALL' }));
		await expect(t.activate()).rejects.toThrow(
			'Options > Called Numbers: "555-CALL" is not an E.164 phone number',
		);
	});

	it('without an Event Grid credential, registration fails with what to pick', async () => {
		const t = await trigger({ ...verified(), registerEventGrid: true });
		await expect(t.activate()).rejects.toThrow(
			/needs an Azure Event Grid \(Call Automation\) credential/,
		);
	});

	it('fails activation with a clear error when the Event Grid credential is wrong, creating nothing', async () => {
		const before = emu.eventGrid.list().length;
		const t = await trigger({ ...verified(), registerEventGrid: true }, true, {
			clientSecret: 'wrong',
		});
		await expect(t.activate()).rejects.toThrow(/Microsoft Entra token/);
		expect(emu.eventGrid.list()).toHaveLength(before);
	});

	it('deactivation does not fail when registration was switched off (n8n then withholds the credential)', async () => {
		const t = await trigger({ ...verified(), registerEventGrid: true }, true);
		await t.activate();
		const name = t.staticData().eventGridSubscriptionName as string;
		expect(emu.eventGrid.get(name)).toBeDefined();
		t.node.parameters.registerEventGrid = false;
		expect(await t.deactivate()).toBe(true);
		expect(t.staticData().eventGridSubscriptionName).toBeUndefined();
		emu.eventGrid.remove(name);
	});
});
