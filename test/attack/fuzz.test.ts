/**
 * 10,000 deliveries mutated from real event shapes (seeded, so a failure replays), sent to two triggers
 * in n8n's WebhookContext over loopback: one verifying tokens only, one also requiring the Webhook
 * Secret. Whatever the mutation, a run starts only for a request carrying an issued token or the secret
 * exactly as given, and only with events that proof covers; nothing answers 500.
 * (One engine: the 1.x project runs it; the attack suite covers both engines.)
 */
import { randomUUID } from 'node:crypto';
import type { IDataObject } from 'n8n-workflow';
import { AzureCallAutomationWebhookSecretApi } from '../../credentials/AzureCallAutomationWebhookSecretApi.credentials';
import { AzureCallAutomationTrigger } from '../../nodes/AzureCallAutomation/AzureCallAutomationTrigger.node';
import { clearDedupe } from '../../nodes/AzureCallAutomation/callbacks/dedupe';
import {
	canonicalType,
	isCallbackType,
	isEventGridType,
} from '../../nodes/AzureCallAutomation/callbacks/eventTypes';
import { clearJwtCache } from '../../nodes/AzureCallAutomation/callbacks/jwt';
import { startTrigger, type TriggerHarness } from '../harness/trigger';
import { makeKey, signToken, startIssuer, type TestIssuer } from '../trigger/issuer';
import {
	P,
	callEvent,
	cloudEventGrid,
	eventGridEvent,
	incomingData,
	recordingData,
} from '../trigger/samples';
import { prng } from '../../emulator/prng';

const DELIVERIES = 10_000;
const SEED = 0x5eed2026;
const AUDIENCE = randomUUID();
const SECRET = 'fuzz-secret-1b7e4c9a03d2';

describe('fuzzed deliveries', () => {
	let issuer: TestIssuer;
	let tokenOnly: TriggerHarness;
	let withSecret: TriggerHarness;

	beforeAll(async () => {
		clearJwtCache();
		clearDedupe();
		issuer = await startIssuer(AUDIENCE);
		const parameters = {
			events: [],
			options: { resourceId: AUDIENCE, openIdConfigurationUrl: issuer.openIdConfigurationUrl },
		};
		tokenOnly = await startTrigger({
			type: 'azureCallAutomationTrigger',
			nodeType: new AzureCallAutomationTrigger(),
			parameters,
		});
		withSecret = await startTrigger({
			type: 'azureCallAutomationTrigger',
			nodeType: new AzureCallAutomationTrigger(),
			parameters,
			credentials: {
				azureCallAutomationWebhookSecretApi: {
					type: new AzureCallAutomationWebhookSecretApi(),
					data: { secret: SECRET },
				},
			},
		});
	});
	afterAll(async () => {
		await tokenOnly.close();
		await withSecret.close();
		await issuer.close();
	});

	it(`${DELIVERIES} mutated deliveries: no unauthenticated run, no crash`, async () => {
		const rnd = prng(SEED);
		const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)];
		const issued = Array.from({ length: 8 }, (_, i) => issuer.token({ jti: `issued-${i}` }));
		const issuedSet = new Set(issued);
		const attacker = makeKey(issuer.key.kid);

		const shapes: Array<() => IDataObject> = [
			() => callEvent('CallConnected', `c-${randomUUID()}`),
			() =>
				callEvent('RecognizeCompleted', 'c-1', {
					recognitionType: 'dtmf',
					dtmfResult: { tones: ['one'] },
				}),
			() => callEvent('PlayCompleted', 'c-1', { operationContext: 'ctx' }),
			() =>
				callEvent('ParticipantsUpdated', 'c-1', {
					participants: [{ identifier: { rawId: '4:+1', phoneNumber: { value: '+1' } } }],
				}),
			() => eventGridEvent('IncomingCall', incomingData),
			() => eventGridEvent('RecordingFileStatusUpdated', recordingData),
			() => cloudEventGrid('IncomingCall', incomingData),
			() => ({
				...eventGridEvent('x', { validationCode: randomUUID() }),
				eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent',
			}),
		];
		const typeNames = [
			'CallConnected',
			'RecognizeCompleted',
			'IncomingCall',
			'SubscriptionValidationEvent',
			'constructor',
			'__proto__',
			'Brand.New',
			'',
		];

		const flipCase = (s: string): string =>
			[...s]
				.map((ch) =>
					rnd() < 0.3 ? (ch === ch.toLowerCase() ? ch.toUpperCase() : ch.toLowerCase()) : ch,
				)
				.join('');
		const mutateEvent = (e: IDataObject): unknown => {
			const event: IDataObject = { ...e };
			const typeKey = 'type' in event ? 'type' : 'eventType';
			switch (Math.floor(rnd() * 10)) {
				case 0:
					event[typeKey] = flipCase(String(event[typeKey]));
					break;
				case 1:
					event[typeKey === 'type' ? 'eventType' : 'type'] = event[typeKey];
					delete event[typeKey];
					break;
				case 2:
					event[typeKey] =
						pick([P, 'Microsoft.EventGrid.', '', 'microsoft.communication.']) + pick(typeNames);
					break;
				case 3:
					delete event.data;
					break;
				case 4:
					event.data = pick([null, 7, 'x', [], { __proto__: { polluted: true } }]) as IDataObject;
					break;
				case 5:
					return pick([null, 42, 'text', [], [[]]]);
				case 6:
					event.id = pick(['', 'same-id', 7, null]) as string;
					break;
				case 7:
					event.specversion = pick(['1.0', undefined, 2]) as string;
					break;
			}
			return event;
		};
		const mutateToken = (token: string): string => {
			const i = Math.floor(rnd() * token.length);
			switch (Math.floor(rnd() * 6)) {
				case 0: {
					const ch = token[i] === 'A' ? 'B' : 'A';
					return token.slice(0, i) + ch + token.slice(i + 1);
				}
				case 1:
					return token + pick(['A', '=', '.', ' x', '%00']);
				case 2:
					return token.slice(0, i);
				case 3:
					return signToken(attacker, { iss: issuer.issuer, aud: AUDIENCE, exp: 9999999999 });
				case 4:
					return issuer.token({ aud: pick([randomUUID(), '', AUDIENCE.toUpperCase()]) });
				default:
					return `${Buffer.from(JSON.stringify({ alg: pick(['none', 'HS256', 'RS256']) })).toString('base64url')}.${token.split('.')[1]}.${pick(['', token.split('.')[2]])}`;
			}
		};

		let started = 0;
		for (let n = 0; n < DELIVERIES; n++) {
			const t = rnd() < 0.5 ? tokenOnly : withSecret;
			const count = 1 + Math.floor(rnd() * 3);
			const events = Array.from({ length: count }, () => {
				const base = pick(shapes)();
				return rnd() < 0.6 ? mutateEvent(base) : base;
			});
			let body: string | Buffer = JSON.stringify(rnd() < 0.9 ? events : events[0]);
			const bodyCut = rnd();
			if (bodyCut < 0.05) body = body.slice(0, Math.floor(rnd() * body.length));
			else if (bodyCut < 0.08)
				body = Buffer.concat([
					Buffer.from(body.slice(0, 20)),
					Buffer.from([0xff, 0xfe]),
					Buffer.from(body.slice(20)),
				]);

			const headers: Record<string, string> = {
				'content-type': pick([
					'application/json',
					'application/json',
					'application/cloudevents-batch+json',
					'application/cloudevents+json',
					'text/plain',
					'application/xml',
				]),
			};
			if (rnd() < 0.4)
				headers['aeg-event-type'] = pick([
					'Notification',
					'SubscriptionValidation',
					'notification',
					'',
				]);
			const tokenChoice = rnd();
			let authorization: string | undefined;
			if (tokenChoice < 0.35) authorization = pick(issued);
			else if (tokenChoice < 0.8) authorization = mutateToken(pick(issued));
			if (authorization !== undefined)
				headers.authorization = `${pick(['Bearer ', 'bearer ', 'Bearer  '])}${authorization}`;
			const secretChoice = rnd();
			const query =
				secretChoice < 0.35
					? `?secret=${SECRET}`
					: secretChoice < 0.6
						? `?secret=${encodeURIComponent(pick([SECRET.slice(1), `${SECRET} `, SECRET.toUpperCase(), '', 'x']))}`
						: '';

			const before = t.runs.length;
			const res = await t.request('POST', body, headers, query);
			expect(res.status).not.toBe(500);
			if (t.runs.length === before) continue;

			// A run started: the request must have carried an issued token or the exact secret, covering each event.
			started++;
			const tokenOk = authorization !== undefined && issuedSet.has(authorization);
			const secretOk = t === withSecret && query === `?secret=${SECRET}`;
			// A secret that is given must be the right one, whatever else the request carries.
			expect(query === '' || secretOk).toBe(true);
			for (const item of t.runs.at(-1)!.items) {
				const type = canonicalType(String(item.type));
				if (isEventGridType(type)) expect(secretOk).toBe(true);
				else if (isCallbackType(type)) expect(tokenOk).toBe(true);
				else expect(tokenOk || secretOk).toBe(true);
			}
		}
		// The fuzz also reached the accepting paths, not only refusals.
		expect(started).toBeGreaterThan(100);
	});
});
