/**
 * What the trigger accepts and refuses, in n8n's WebhookContext (n8n 1.x and 2.x) over loopback HTTP:
 * token checks (forged, expired, wrong audience, unsigned), shared secret, body checks, Event Grid
 * deliveries in both schemas, filters, per-family outputs, and SDK-shaped sample events.
 */
import { randomUUID } from 'node:crypto';
import { parseCallAutomationEvent } from '@azure/communication-call-automation';
import * as workflowPkg from 'n8n-workflow';
import type { IDataObject, INodeTypeDescription } from 'n8n-workflow';
import { startEmulator, type Emulator } from '../../emulator';
import { AzureCallAutomationWebhookSecretApi } from '../../credentials/AzureCallAutomationWebhookSecretApi.credentials';
import { AzureCallAutomationTrigger } from '../../nodes/AzureCallAutomation/AzureCallAutomationTrigger.node';
import { clearDedupe } from '../../nodes/AzureCallAutomation/callbacks/dedupe';
import { clearJwtCache } from '../../nodes/AzureCallAutomation/callbacks/jwt';
import { engineLabel } from '../harness/engine';
import { startTrigger, type HttpResult, type TriggerHarness } from '../harness/trigger';
import { makeKey, signToken, startIssuer, type TestIssuer } from './issuer';
import {
	P,
	callEvent,
	cloudEventGrid,
	eventGridEvent,
	incomingData,
	recordingData,
} from './samples';

const TYPE = 'azureCallAutomationTrigger';
const AUDIENCE = randomUUID();
describe(`trigger requests in ${engineLabel}`, () => {
	let emu: Emulator;
	let issuer: TestIssuer;
	const open: TriggerHarness[] = [];

	beforeAll(async () => {
		emu = await startEmulator({});
		issuer = await startIssuer(AUDIENCE);
	});
	afterAll(async () => {
		for (const t of open) await t.close();
		await issuer.close();
		await emu.close();
	});
	beforeEach(() => {
		clearJwtCache();
		clearDedupe();
	});

	const SECRET = 'webhook-secret-0123456789abcdef';
	const Q = `?secret=${SECRET}`;
	const secretCredential = {
		azureCallAutomationWebhookSecretApi: {
			type: new AzureCallAutomationWebhookSecretApi(),
			data: { secret: SECRET },
		},
	};

	async function trigger(
		parameters: IDataObject,
		routeOptions = false,
		typeVersion?: number,
		withSecret = true,
	): Promise<TriggerHarness> {
		const t = await startTrigger({
			type: TYPE,
			nodeType: new AzureCallAutomationTrigger(),
			parameters,
			routeOptions,
			typeVersion,
			credentials: withSecret ? secretCredential : {},
		});
		open.push(t);
		if (withSecret) withSecretCredential.add(t);
		return t;
	}
	const withSecretCredential = new WeakSet<TriggerHarness>();
	const withIssuer = (extra: IDataObject = {}, events: string[] = []): IDataObject => ({
		events,
		options: {
			resourceId: AUDIENCE,
			openIdConfigurationUrl: issuer.openIdConfigurationUrl,
			...extra,
		},
	});
	const withEmulator = (extra: IDataObject = {}, events: string[] = []): IDataObject => ({
		events,
		options: {
			resourceId: emu.resourceId,
			openIdConfigurationUrl: emu.openIdConfigurationUrl,
			...extra,
		},
	});
	const json = { 'content-type': 'application/json' };
	// Triggers with the Webhook Secret credential get it by default.
	const post = (
		t: TriggerHarness,
		body: unknown,
		token?: string,
		query = withSecretCredential.has(t) ? Q : '',
		headers: Record<string, string> = {},
	): Promise<HttpResult> =>
		t.request(
			'POST',
			typeof body === 'string' ? body : JSON.stringify(body),
			{ ...json, ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
			query,
		);
	const emuToken = (): string => emu.context.jwt.token();

	describe('token verification', () => {
		let t: TriggerHarness;
		beforeAll(async () => {
			t = await trigger(withIssuer(), false, undefined, false);
		});

		async function refused(token: string | undefined, status = 401): Promise<HttpResult> {
			const before = t.runs.length;
			const res = await post(t, [callEvent('CallConnected', 'c-refused')], token);
			expect(res.status).toBe(status);
			expect(t.runs.length).toBe(before);
			return res;
		}

		it('accepts a token signed by the published key for this audience', async () => {
			const res = await post(t, [callEvent('CallConnected', 'c-ok')], issuer.token());
			expect(res.status).toBe(200);
			expect(t.runs.at(-1)?.items[0]).toMatchObject({
				eventType: 'CallConnected',
				callConnectionId: 'c-ok',
			});
		});

		it('accepts a token that expired within the 5 minute clock skew', async () => {
			const now = Math.floor(Date.now() / 1000);
			const res = await post(
				t,
				[callEvent('CallConnected', 'c-skew')],
				issuer.token({ iat: now - 400, nbf: now - 400, exp: now - 100 }),
			);
			expect(res.status).toBe(200);
		});

		it('refuses a forged token (same kid, other key)', async () => {
			const res = await refused(issuer.token({}, {}, { ...makeKey(issuer.key.kid) }));
			expect((res.json as IDataObject).error).toMatchObject({
				code: 'InvalidToken',
				message: expect.stringMatching(/signature/),
			});
		});

		it('refuses a token with a tampered payload', async () => {
			const [h, , s] = issuer.token().split('.');
			const forgedClaims = Buffer.from(
				JSON.stringify({ iss: issuer.issuer, aud: AUDIENCE, exp: 9999999999 }),
			).toString('base64url');
			await refused(`${h}.${forgedClaims}.${s}`);
		});

		it('refuses an expired token', async () => {
			const now = Math.floor(Date.now() / 1000);
			const res = await refused(issuer.token({ iat: now - 1200, nbf: now - 1200, exp: now - 900 }));
			expect(res.text).toMatch(/expired/);
		});

		it('refuses a token not valid yet', async () => {
			const now = Math.floor(Date.now() / 1000);
			await refused(issuer.token({ nbf: now + 900, exp: now + 1200 }));
		});

		it('refuses a token for another audience', async () => {
			const res = await refused(issuer.token({ aud: randomUUID() }));
			expect(res.text).toMatch(/audience/);
		});

		it('refuses a token from another issuer', async () => {
			await refused(issuer.token({ iss: 'https://evil.example' }));
		});

		it('refuses unsigned tokens and missing tokens', async () => {
			const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
			const claims = Buffer.from(
				JSON.stringify({ iss: issuer.issuer, aud: AUDIENCE, exp: 9999999999 }),
			).toString('base64url');
			await refused(`${header}.${claims}.`);
			await refused(
				signToken(
					issuer.key,
					{ iss: issuer.issuer, aud: AUDIENCE, exp: 9999999999 },
					{ alg: 'HS256' },
				),
			);
			const res = await refused(undefined);
			expect(res.headers['www-authenticate']).toBe('Bearer');
			await refused('not-a-jwt');
		});

		it('refuses a token signed with a key the JWKS does not publish', async () => {
			await refused(issuer.token({}, {}, makeKey()));
		});

		it('refuses mid-call events posing as Event Grid deliveries without a token', async () => {
			const before = t.runs.length;
			const res = await post(t, [callEvent('CallConnected', 'c-aeg')], undefined, '', {
				'aeg-event-type': 'Notification',
			});
			expect(res.status).toBe(401);
			expect(t.runs.length).toBe(before);
		});
	});

	it('without an ACS Resource ID: activation fails and callbacks get 401 saying what to set', async () => {
		const t = await trigger(
			{ events: [], options: { openIdConfigurationUrl: emu.openIdConfigurationUrl } },
			false,
			undefined,
			false,
		);
		await expect(t.activate()).rejects.toThrow(/ACS Resource ID/);
		const res = await post(t, [callEvent('CallConnected', 'c-nores')], emuToken());
		expect(res.status).toBe(401);
		expect((res.json as IDataObject).error).toMatchObject({
			code: 'ResourceIdNotSet',
			message: expect.stringMatching(/ACS Resource ID/),
		});
		expect(t.runs).toHaveLength(0);
	});

	it('a trigger for Event Grid events only activates without an ACS Resource ID', async () => {
		const t = await trigger({ events: [`${P}IncomingCall`], options: {} });
		await expect(t.activate()).resolves.toEqual({ existed: true });
	});

	it('with Verify Token off, call events need the secret instead of a token', async () => {
		const t = await trigger({ events: [], options: { verifyToken: false } });
		await t.activate();
		expect((await post(t, [callEvent('CallConnected', 'c-noverify')], undefined, '')).status).toBe(
			401,
		);
		expect(t.runs).toHaveLength(0);
		expect((await post(t, [callEvent('CallConnected', 'c-noverify')], undefined, Q)).status).toBe(
			200,
		);
		expect(t.runs).toHaveLength(1);
	});

	it('with Verify Token off and no secret, refuses everything unless unauthenticated requests are allowed', async () => {
		const closed = await trigger(
			{ events: [], options: { verifyToken: false } },
			false,
			undefined,
			false,
		);
		expect((await post(closed, [callEvent('CallConnected', 'c-open')])).status).toBe(401);
		expect(
			(
				await post(closed, [eventGridEvent('IncomingCall', incomingData)], undefined, '', {
					'aeg-event-type': 'Notification',
				})
			).status,
		).toBe(401);
		expect(closed.runs).toHaveLength(0);
		const open = await trigger(
			{ events: [], options: { verifyToken: false, allowUnauthenticated: true } },
			false,
			undefined,
			false,
		);
		expect((await post(open, [callEvent('CallConnected', 'c-open')])).status).toBe(200);
		expect(open.runs).toHaveLength(1);
	});

	describe('shared secret', () => {
		it('the Webhook Secret credential: a wrong secret is refused even with a token; call events need no secret', async () => {
			const t = await trigger(withEmulator());
			const body = () => [callEvent('CallConnected', `c-secret-${randomUUID()}`)];
			expect((await post(t, body(), emuToken(), `${Q}x`)).status).toBe(401);
			expect((await post(t, body(), emuToken(), Q.slice(0, -1))).status).toBe(401);
			expect((await post(t, body(), emuToken(), '?secret=')).status).toBe(401);
			expect(t.runs).toHaveLength(0);
			expect((await post(t, body(), emuToken(), Q)).status).toBe(200);
			expect((await post(t, body(), emuToken(), '')).status).toBe(200);
			expect(t.runs).toHaveLength(2);
		});

		it('version 1 still honours its Shared Secret option (compared exactly); version 2 ignores it', async () => {
			const t = await trigger(withEmulator({ sharedSecret: 'right-secret' }), false, 1, false);
			const body = [eventGridEvent('IncomingCall', incomingData)];
			expect((await post(t, body, undefined, '')).status).toBe(401);
			expect((await post(t, body, undefined, '?secret=wrong-secret')).status).toBe(401);
			expect((await post(t, body, undefined, '?secret=right-secre')).status).toBe(401);
			expect(t.runs).toHaveLength(0);
			expect((await post(t, body, undefined, '?secret=right-secret')).status).toBe(200);
			expect(t.runs).toHaveLength(1);
			const v2 = await trigger(withEmulator({ sharedSecret: 'right-secret' }), false, 2, false);
			expect(
				(
					await post(
						v2,
						[eventGridEvent('IncomingCall', incomingData)],
						undefined,
						'?secret=right-secret',
					)
				).status,
			).toBe(401);
			expect(v2.runs).toHaveLength(0);
		});

		it('protects Event Grid deliveries, which carry no token (version 1 option)', async () => {
			const t = await trigger(withEmulator({ sharedSecret: 'eg-secret' }), false, 1, false);
			const body = [eventGridEvent('IncomingCall', incomingData)];
			const aeg = { 'aeg-event-type': 'Notification' };
			expect((await post(t, body, undefined, '', aeg)).status).toBe(401);
			expect((await post(t, body, undefined, '?secret=nope', aeg)).status).toBe(401);
			expect(t.runs).toHaveLength(0);
			expect((await post(t, body, undefined, '?secret=eg-secret', aeg)).status).toBe(200);
			expect(t.runs[0].items[0]).toMatchObject({
				eventType: 'IncomingCall',
				incomingCallContext: 'opaque.context',
			});
		});
	});

	describe('body checks', () => {
		let t: TriggerHarness;
		beforeAll(async () => {
			t = await trigger(withEmulator());
		});

		async function refusedBody(
			body: string | Buffer,
			contentType: string,
			status: number,
		): Promise<HttpResult> {
			const before = t.runs.length;
			const res = await t.request(
				'POST',
				body,
				{ 'content-type': contentType, authorization: `Bearer ${emuToken()}` },
				Q,
			);
			expect(res.status).toBe(status);
			expect(t.runs.length).toBe(before);
			return res;
		}

		it('refuses bodies that are not JSON', async () => {
			await refusedBody('hello', 'text/plain', 415);
			await refusedBody('{not json', 'application/cloudevents-batch+json', 400);
			await refusedBody('', 'application/json', 400);
			// n8n itself answers 422 when an application/json body does not parse.
			await refusedBody('{not json', 'application/json', 422);
		});

		it('refuses JSON that is not an event or an array of events', async () => {
			await refusedBody('42', 'application/json', 400);
			await refusedBody('"text"', 'application/json', 400);
			await refusedBody('[]', 'application/json', 400);
			await refusedBody('{"foo":1}', 'application/json', 400);
			const res = await refusedBody(
				'[{"type":"Microsoft.Communication.CallConnected","data":{}}, 7]',
				'application/json',
				400,
			);
			expect(res.text).toMatch(/Event 1/);
		});

		it('refuses bodies over 1 MiB with 413', async () => {
			const big = JSON.stringify([
				callEvent('CallConnected', 'c-big', { operationContext: 'x'.repeat(1024 * 1024) }),
			]);
			const res = await refusedBody(big, 'application/json', 413);
			expect((res.json as IDataObject).error).toMatchObject({ code: 'RequestEntityTooLarge' });
		});
	});

	describe('Event Grid deliveries', () => {
		it('answers the subscription validation handshake without starting the workflow', async () => {
			const t = await trigger(withEmulator());
			const code = randomUUID();
			const res = await post(
				t,
				[
					{
						...eventGridEvent('x', { validationCode: code, validationUrl: 'https://x' }),
						eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent',
					},
				],
				undefined,
				Q,
				{
					'aeg-event-type': 'SubscriptionValidation',
				},
			);
			expect(res.status).toBe(200);
			expect(res.json).toEqual({ validationResponse: code });
			expect(t.runs).toHaveLength(0);
			// The emulator's Event Grid validates the endpoint the same way.
			const sub = await emu.eventGrid.add({
				endpointUrl: t.url + Q,
				includedEventTypes: [`${P}IncomingCall`],
			});
			expect(t.runs).toHaveLength(0);
			emu.eventGrid.remove(sub.id);
		});

		it('takes IncomingCall and RecordingFileStatusUpdated in the Event Grid schema', async () => {
			const t = await trigger(withEmulator());
			const subject = '/recording/call/call-1/serverCallId/server-rec-1';
			const res = await post(
				t,
				[
					eventGridEvent('IncomingCall', incomingData),
					eventGridEvent('RecordingFileStatusUpdated', recordingData, subject),
				],
				undefined,
				Q,
				{
					'aeg-event-type': 'Notification',
				},
			);
			expect(res.status).toBe(200);
			const [incoming, recording] = t.runs[0].items;
			expect(incoming).toMatchObject({
				eventType: 'IncomingCall',
				schema: 'EventGrid',
				incomingCallContext: 'opaque.context',
				from: '4:+14255550123',
				to: '4:+18005550100',
				serverCallId: 'server-incoming',
				correlationId: 'corr-incoming',
			});
			expect(recording).toMatchObject({
				eventType: 'RecordingFileStatusUpdated',
				family: 'recording',
				serverCallId: 'server-rec-1',
				contentLocation: 'https://storage.example/recording/content',
				metadataLocation: 'https://storage.example/recording/metadata',
				recordingDurationMs: 12000,
			});
		});

		it('takes them in the CloudEvents schema (single event and batch, not parsed by n8n)', async () => {
			const t = await trigger(withEmulator());
			const headers = {
				'content-type': 'application/cloudevents+json; charset=utf-8',
				'aeg-event-type': 'Notification',
				origin: 'eventgrid.azure.net',
			};
			const single = await t.request(
				'POST',
				JSON.stringify(cloudEventGrid('IncomingCall', incomingData)),
				headers,
				Q,
			);
			expect(single.status).toBe(200);
			const batch = await t.request(
				'POST',
				JSON.stringify([
					cloudEventGrid(
						'RecordingFileStatusUpdated',
						recordingData,
						'/recording/call/c/serverCallId/s-2',
					),
				]),
				{ ...headers, 'content-type': 'application/cloudevents-batch+json' },
				Q,
			);
			expect(batch.status).toBe(200);
			expect(t.runs.map((r) => r.items[0])).toMatchObject([
				{
					eventType: 'IncomingCall',
					schema: 'CloudEvents',
					incomingCallContext: 'opaque.context',
					from: '4:+14255550123',
				},
				{ eventType: 'RecordingFileStatusUpdated', schema: 'CloudEvents', serverCallId: 's-2' },
			]);
		});

		it('the CloudEvents OPTIONS handshake: answered by the node when routed to it; n8n answers OPTIONS itself', async () => {
			const routed = await trigger(withEmulator(), true);
			const res = await routed.request('OPTIONS', undefined, {
				'webhook-request-origin': 'eventgrid.azure.net',
			});
			expect(res.status).toBe(200);
			expect(res.headers['webhook-allowed-origin']).toBe('eventgrid.azure.net');
			const sub = await emu.eventGrid.add({
				endpointUrl: routed.url + Q,
				schema: 'CloudEventSchemaV1_0',
			});
			emu.eventGrid.remove(sub.id);
			expect(routed.runs).toHaveLength(0);

			// Behind n8n (204 without WebHook-Allowed-Origin) a CloudEvents-schema subscription cannot validate:
			// this is why the node registers its subscription in the Event Grid schema.
			const n8nLike = await trigger(withEmulator());
			await expect(
				emu.eventGrid.add({ endpointUrl: n8nLike.url + Q, schema: 'CloudEventSchemaV1_0' }),
			).rejects.toThrow(/abuse-protection/);
		});
	});

	describe('filters and outputs', () => {
		const batch = (): IDataObject[] => [
			callEvent('CallConnected', 'call-a', { operationContext: 'start' }),
			callEvent('PlayCompleted', 'call-a', { operationContext: 'greeting' }),
			callEvent('RecognizeCompleted', 'call-b', {
				operationContext: 'menu',
				recognitionType: 'dtmf',
				dtmfResult: { tones: ['one', 'pound'] },
			}),
		];

		it('filters by event type', async () => {
			const t = await trigger(withEmulator({}, [`${P}PlayCompleted`, `${P}RecognizeCompleted`]));
			expect((await post(t, batch(), emuToken())).status).toBe(200);
			expect(t.runs[0].items.map((i) => i.eventType)).toEqual([
				'PlayCompleted',
				'RecognizeCompleted',
			]);
			// Nothing left: answered 200, no run.
			const none = await post(t, [callEvent('CallDisconnected', 'call-a')], emuToken());
			expect(none.status).toBe(200);
			expect(none.json).toEqual({ status: 'ignored' });
			expect(t.runs).toHaveLength(1);
		});

		it('Trigger On picks a group of event types; Event Types applies only with "Event Types Chosen Below"', async () => {
			const t = await trigger({
				...withEmulator({}, [`${P}PlayCompleted`]),
				triggerOn: 'inputCollected',
			});
			await post(t, batch(), emuToken());
			expect(t.runs[0].items.map((i) => i.eventType)).toEqual(['RecognizeCompleted']);
			const chosen = await trigger({
				...withEmulator({}, [`${P}PlayCompleted`]),
				triggerOn: 'chosen',
			});
			await post(chosen, batch(), emuToken());
			expect(chosen.runs[0].items.map((i) => i.eventType)).toEqual(['PlayCompleted']);
			// Incoming Call only: no ACS Resource ID needed to activate.
			const incoming = await trigger({ triggerOn: 'incomingCall', options: {} });
			await expect(incoming.activate()).resolves.toEqual({ existed: true });
		});

		it('filters by call connection id and by operation context', async () => {
			const byCall = await trigger(withEmulator({ callConnectionId: 'call-x, call-a' }));
			await post(byCall, batch(), emuToken());
			expect(byCall.runs[0].items.map((i) => i.eventType)).toEqual([
				'CallConnected',
				'PlayCompleted',
			]);
			const byContext = await trigger(withEmulator({ operationContext: 'menu' }));
			await post(byContext, batch(), emuToken());
			expect(byContext.runs[0].items).toMatchObject([
				{ eventType: 'RecognizeCompleted', dtmfTones: '1#', callConnectionId: 'call-b' },
			]);
		});

		it('splits events into one output per family', async () => {
			const t = await trigger(withEmulator({ splitByFamily: true }));
			const desc = t.workflow.nodeTypes.getByNameAndVersion(TYPE, 1)
				.description as INodeTypeDescription;
			const outputs = workflowPkg.NodeHelpers.getNodeOutputs(t.workflow, t.node, desc) as Array<{
				displayName: string;
			}>;
			expect(outputs.map((o) => o.displayName)).toEqual([
				'Call',
				'Media',
				'Keys',
				'People',
				'Recording',
				'Incoming',
				'Other',
			]);
			await post(
				t,
				[
					...batch(),
					callEvent('ParticipantsUpdated', 'call-a', {
						participants: [
							{
								identifier: {
									rawId: '4:+14255550100',
									kind: 'phoneNumber',
									phoneNumber: { value: '+14255550100' },
								},
								isMuted: false,
							},
						],
					}),
					callEvent('RecordingStateChanged', 'call-a', { recordingId: 'rec-1', state: 'active' }),
					callEvent('BrandNewEvent', 'call-a'),
				],
				emuToken(),
			);
			await post(t, [eventGridEvent('IncomingCall', incomingData)], undefined, Q, {
				'aeg-event-type': 'Notification',
			});
			const types = (run: number) => t.runs[run].outputs.map((o) => o.map((i) => i.eventType));
			expect(types(0)).toEqual([
				['CallConnected'],
				['PlayCompleted'],
				['RecognizeCompleted'],
				['ParticipantsUpdated'],
				['RecordingStateChanged'],
				[],
				['BrandNewEvent'],
			]);
			expect(types(1)).toEqual([[], [], [], [], [], ['IncomingCall'], []]);
			expect(t.runs[0].outputs[3][0]).toMatchObject({ participants: ['4:+14255550100'] });

			const single = await trigger(withEmulator());
			const one = workflowPkg.NodeHelpers.getNodeOutputs(single.workflow, single.node, desc);
			expect(one).toEqual(['main']);
		});
	});

	it('handles sample events shaped as the official SDK parses them', async () => {
		const t = await trigger(withEmulator());
		const user = {
			kind: 'communicationUser',
			rawId: '8:acs:user-1',
			communicationUser: { id: '8:acs:user-1' },
		};
		const phone = {
			kind: 'phoneNumber',
			rawId: '4:+14255550100',
			phoneNumber: { value: '+14255550100' },
		};
		const samples: Array<[IDataObject, IDataObject]> = [
			[callEvent('CallConnected', 'c1', { operationContext: 'ctx' }), { operationContext: 'ctx' }],
			[
				callEvent('AddParticipantSucceeded', 'c1', { participant: phone, operationContext: 'add' }),
				{ participant: '4:+14255550100' },
			],
			[
				callEvent('RemoveParticipantFailed', 'c1', {
					participant: user,
					resultInformation: { code: 400, subCode: 8523, message: 'bad' },
				}),
				{ participant: '8:acs:user-1', resultCode: 400, resultSubCode: 8523 },
			],
			[
				callEvent('CallTransferAccepted', 'c1', { transferTarget: phone, transferee: user }),
				{ transferTarget: '4:+14255550100', transferee: '8:acs:user-1' },
			],
			[
				callEvent('ParticipantsUpdated', 'c1', {
					sequenceNumber: 3,
					participants: [
						{ identifier: user, isMuted: true, isOnHold: false },
						{ identifier: phone, isMuted: false, isOnHold: true },
					],
				}),
				{ sequenceNumber: 3, participants: ['8:acs:user-1', '4:+14255550100'] },
			],
			[
				callEvent('PlayFailed', 'c1', {
					failedPlaySourceIndex: 0,
					resultInformation: { code: 400, subCode: 8535, message: 'format' },
				}),
				{ failedPlaySourceIndex: 0, resultSubCode: 8535 },
			],
			[
				callEvent('RecognizeCompleted', 'c1', {
					recognitionType: 'dtmf',
					dtmfResult: { tones: ['one', 'two', 'three'] },
				}),
				{ dtmfTones: '123', recognitionType: 'dtmf' },
			],
			[
				callEvent('RecognizeCompleted', 'c1', {
					recognitionType: 'choices',
					choiceResult: { label: 'sales', recognizedPhrase: 'buy', confidence: 0.9 },
				}),
				{ choiceLabel: 'sales', recognizedPhrase: 'buy' },
			],
			[
				callEvent('RecognizeCompleted', 'c1', {
					recognitionType: 'speech',
					speechResult: { speech: 'refund please', confidence: 0.8 },
				}),
				{ speech: 'refund please' },
			],
			[
				callEvent('RecognizeFailed', 'c1', {
					resultInformation: { code: 400, subCode: 8510, message: 'timeout' },
				}),
				{ resultSubCode: 8510 },
			],
			[
				callEvent('ContinuousDtmfRecognitionToneReceived', 'c1', { tone: 'pound', sequenceId: 4 }),
				{ tone: '#', toneName: 'pound', sequenceId: 4 },
			],
			[
				callEvent('RecordingStateChanged', 'c1', {
					recordingId: 'r1',
					state: 'active',
					startDateTime: '2026-11-24T12:00:00Z',
				}),
				{ recordingId: 'r1', recordingState: 'active' },
			],
			[
				callEvent('CancelAddParticipantSucceeded', 'c1', { invitationId: 'inv-1' }),
				{ invitationId: 'inv-1' },
			],
			[callEvent('CallDisconnected', 'c1'), { family: 'call' }],
		];
		for (const [event, expected] of samples) {
			const parsed = parseCallAutomationEvent(JSON.stringify([event])) as unknown as IDataObject;
			expect(parsed.kind).toBe(String(event.type).slice(P.length));
			expect((await post(t, [event], emuToken())).status).toBe(200);
			const item = t.runs.at(-1)!.items[0];
			expect(item).toMatchObject({
				eventType: parsed.kind,
				callConnectionId: parsed.callConnectionId,
				serverCallId: parsed.serverCallId,
				...expected,
			});
			expect(item.raw).toEqual(event);
		}
	});
});
