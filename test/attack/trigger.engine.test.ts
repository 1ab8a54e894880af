/**
 * The trigger attacked as someone on the internet would, in n8n's WebhookContext (1.x and 2.x) over
 * loopback HTTP: nothing unauthenticated starts a run, whatever its type, case, schema or headers say.
 */
import { randomUUID } from 'node:crypto';
import type { IDataObject } from 'n8n-workflow';
import { AzureCallAutomationWebhookSecretApi } from '../../credentials/AzureCallAutomationWebhookSecretApi.credentials';
import { AzureCallAutomationTrigger } from '../../nodes/AzureCallAutomation/AzureCallAutomationTrigger.node';
import { clearDedupe } from '../../nodes/AzureCallAutomation/callbacks/dedupe';
import { clearJwtCache } from '../../nodes/AzureCallAutomation/callbacks/jwt';
import { engineLabel } from '../harness/engine';
import { startTrigger, type HttpResult, type TriggerHarness } from '../harness/trigger';
import { makeKey, signToken, startIssuer, type TestIssuer } from '../trigger/issuer';
import { P, callEvent, eventGridEvent, incomingData } from '../trigger/samples';

const TYPE = 'azureCallAutomationTrigger';
const AUDIENCE = randomUUID();
const SECRET = 'attack-suite-secret-7f3c9b2e5d1a';
const JSON_TYPE = { 'content-type': 'application/json' };
const b64 = (v: unknown): string =>
	Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

describe(`the trigger under attack in ${engineLabel}`, () => {
	let issuer: TestIssuer;
	const open: TriggerHarness[] = [];

	beforeAll(async () => {
		issuer = await startIssuer(AUDIENCE);
	});
	afterAll(async () => {
		for (const t of open) await t.close();
		await issuer.close();
	});
	beforeEach(() => {
		clearJwtCache();
		clearDedupe();
		issuer.failing = false;
	});

	/** A trigger as users set it up: token verification on, with or without a Webhook Secret credential. */
	async function trigger(
		options: IDataObject = {},
		secret?: string,
		events: string[] = [],
	): Promise<TriggerHarness> {
		const t = await startTrigger({
			type: TYPE,
			nodeType: new AzureCallAutomationTrigger(),
			parameters: {
				events,
				options: {
					resourceId: AUDIENCE,
					openIdConfigurationUrl: issuer.openIdConfigurationUrl,
					...options,
				},
			},
			credentials: secret
				? {
						azureCallAutomationWebhookSecretApi: {
							type: new AzureCallAutomationWebhookSecretApi(),
							data: { secret },
						},
					}
				: {},
		});
		open.push(t);
		return t;
	}

	async function send(
		t: TriggerHarness,
		body: unknown,
		headers: Record<string, string> = {},
		query = '',
	): Promise<HttpResult> {
		return await t.request(
			'POST',
			typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
			{ ...JSON_TYPE, ...headers },
			query,
		);
	}
	const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

	/** Sends, then checks the request was refused with `status` and started nothing. */
	async function refused(
		t: TriggerHarness,
		body: unknown,
		headers: Record<string, string> = {},
		query = '',
		status = 401,
	): Promise<HttpResult> {
		const before = t.runs.length;
		const res = await send(t, body, headers, query);
		expect(res.status).toBe(status);
		expect(t.runs.length).toBe(before);
		return res;
	}

	describe('what got through before, refused now', () => {
		it('a call event in other letter case, posing as an Event Grid delivery, without a token', async () => {
			const t = await trigger();
			const forged = {
				...callEvent('RecognizeCompleted', 'c-forged', {
					recognitionType: 'dtmf',
					dtmfResult: { tones: ['one'] },
				}),
			};
			for (const type of [
				'microsoft.communication.recognizecompleted',
				'MICROSOFT.COMMUNICATION.RECOGNIZECOMPLETED',
				' Microsoft.Communication.RecognizeCompleted ',
			]) {
				await refused(t, [{ ...forged, type }], { 'aeg-event-type': 'Notification' });
				await refused(t, [{ ...forged, type }], { 'aeg-event-type': 'SubscriptionValidation' });
				// The same in the Event Grid schema.
				await refused(
					t,
					[
						{
							id: randomUUID(),
							eventType: type,
							topic: 't',
							subject: '',
							data: forged.data,
							eventTime: new Date().toISOString(),
							dataVersion: '1',
						},
					],
					{ 'aeg-event-type': 'Notification' },
				);
			}
			// Filters see the canonical name too: a trigger for RecognizeCompleted takes the upper-case one only with a token.
			const filtered = await trigger({}, undefined, [`${P}RecognizeCompleted`]);
			await refused(filtered, [{ ...forged, type: 'MICROSOFT.COMMUNICATION.RECOGNIZECOMPLETED' }]);
			const ok = await send(
				filtered,
				[{ ...forged, type: 'MICROSOFT.COMMUNICATION.RECOGNIZECOMPLETED' }],
				bearer(issuer.token()),
			);
			expect(ok.status).toBe(200);
			expect(filtered.runs[0].items[0]).toMatchObject({
				type: `${P}RecognizeCompleted`,
				dtmfTones: '1',
			});
		});

		it('an XML body (n8n parses it into an object)', async () => {
			const t = await trigger();
			const xml =
				'<root><type>Microsoft.Communication.CallConnected</type><data><callConnectionId>c</callConnectionId></data></root>';
			await refused(t, xml, {
				'content-type': 'application/xml',
				'aeg-event-type': 'Notification',
			});
			await refused(
				t,
				xml,
				{ 'content-type': 'application/xml', ...bearer(issuer.token()) },
				'',
				415,
			);
		});

		it('with the defaults (no secret), a forged IncomingCall or any Event Grid type', async () => {
			const t = await trigger();
			for (const name of ['IncomingCall', 'RecordingFileStatusUpdated', 'SomethingNew']) {
				await refused(t, [eventGridEvent(name, incomingData)], {
					'aeg-event-type': 'Notification',
				});
			}
			// A live ACS token does not make an Event Grid event believable: Event Grid never sends one.
			await refused(t, [eventGridEvent('IncomingCall', incomingData)], bearer(issuer.token()));
			// Nor the validation handshake: it is answered only with the secret.
			const validation = [
				{
					...eventGridEvent('x', { validationCode: 'code-1' }),
					eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent',
				},
			];
			const res = await refused(t, validation, { 'aeg-event-type': 'SubscriptionValidation' });
			expect(res.text).not.toContain('code-1');
		});

		it('a valid token with junk appended to its signature, or any segment re-encoded leniently', async () => {
			const t = await trigger();
			const token = issuer.token();
			const [h, c, s] = token.split('.');
			for (const bad of [
				`${token}A`,
				`${token}==`,
				`${token}%`,
				`${h}.${c}.${s}.`,
				`${h}=.${c}.${s}`,
				`${h}.${c}=.${s}`,
				`${h}.${c}.${s.replace(/-/g, '+').replace(/_/g, '/')}`,
			]) {
				await refused(t, [callEvent('CallConnected', 'c-junk')], bearer(bad));
			}
			// The untouched token still works.
			expect((await send(t, [callEvent('CallConnected', 'c-junk')], bearer(token))).status).toBe(
				200,
			);
		});

		it('the same event id delivered twice starts one run', async () => {
			const t = await trigger();
			const event = callEvent('CallConnected', 'c-dup');
			expect((await send(t, [event], bearer(issuer.token()))).status).toBe(200);
			const again = await send(t, [event], bearer(issuer.token({ jti: randomUUID() })));
			expect(again.status).toBe(200);
			expect(again.json).toEqual({ status: 'ignored' });
			expect(t.runs).toHaveLength(1);
			// In the Event Grid schema too (Event Grid retries carry the same id).
			const s = await trigger({}, SECRET);
			const incoming = eventGridEvent('IncomingCall', incomingData);
			for (let i = 0; i < 3; i++) {
				expect(
					(
						await send(
							s,
							[incoming],
							{ 'aeg-event-type': 'Notification', 'aeg-delivery-count': String(i) },
							`?secret=${SECRET}`,
						)
					).status,
				).toBe(200);
			}
			expect(s.runs).toHaveLength(1);
		});

		it('while the key endpoint fails, tokens do not each trigger an outbound fetch', async () => {
			const t = await trigger();
			issuer.failing = true;
			const before = issuer.requests.length;
			for (let i = 0; i < 25; i++) {
				const res = await refused(
					t,
					[callEvent('CallConnected', `c-outage-${i}`)],
					bearer(issuer.token({ jti: String(i) })),
					'',
					503,
				);
				expect((res.json as IDataObject).error).toMatchObject({ code: 'KeysUnavailable' });
			}
			// One try, then the back-off answers without fetching.
			expect(issuer.requests.length - before).toBe(1);
		});

		it('a started run is answered with a small fixed body, never workflow data', async () => {
			const t = await trigger();
			const res = await send(
				t,
				[callEvent('CallConnected', 'c-body', { operationContext: 'private-context' })],
				bearer(issuer.token()),
			);
			expect(res.status).toBe(200);
			expect(res.json).toEqual({ status: 'accepted' });
			expect(t.runs).toHaveLength(1);
		});
	});

	describe('tokens', () => {
		let t: TriggerHarness;
		beforeAll(async () => {
			t = await trigger();
		});
		const event = () => [callEvent('CallConnected', `c-${randomUUID()}`)];
		const now = () => Math.floor(Date.now() / 1000);
		const claims = (extra: IDataObject = {}) => ({
			iss: issuer.issuer,
			aud: AUDIENCE,
			iat: now(),
			nbf: now(),
			exp: now() + 300,
			...extra,
		});

		it('alg none, HS256 keyed with the public key, and other algorithms', async () => {
			await refused(t, event(), bearer(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`));
			await refused(t, event(), bearer(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}`));
			const { createHmac } = await import('node:crypto');
			const input = `${b64({ alg: 'HS256', typ: 'JWT', kid: issuer.key.kid })}.${b64(claims())}`;
			const hmacKey = JSON.stringify(issuer.key.jwk);
			await refused(
				t,
				event(),
				bearer(`${input}.${createHmac('sha256', hmacKey).update(input).digest('base64url')}`),
			);
			for (const alg of ['RS512', 'PS256', 'ES256', 'RS256 ', 'rs256']) {
				await refused(t, event(), bearer(signToken(issuer.key, claims(), { alg })));
			}
		});

		it('header fields naming their own key (jwk, jku, x5u, x5c) are refused and never fetched', async () => {
			const attacker = makeKey();
			const before = issuer.requests.length;
			const trap = `${issuer.url}/attacker-keys`;
			for (const header of [
				{ jwk: attacker.jwk },
				{ jku: trap },
				{ x5u: trap },
				{ x5c: ['MIIB'] },
				{ crit: ['exp'] },
			]) {
				await refused(
					t,
					event(),
					bearer(signToken(attacker, claims(), { ...header, kid: attacker.kid })),
				);
				await refused(t, event(), bearer(signToken(issuer.key, claims(), header)));
			}
			expect(issuer.requests.slice(before).filter((p) => p.includes('attacker'))).toEqual([]);
		});

		it('a flood of unknown kids refetches the keys at most once per 10 s', async () => {
			await send(t, event(), bearer(issuer.token()));
			const before = issuer.jwksFetches();
			const attacker = makeKey();
			const started = Date.now();
			for (let i = 0; i < 40; i++)
				await refused(t, event(), bearer(signToken(attacker, claims(), { kid: `kid-${i}` })));
			// One refetch per 10 s window the flood spanned (a slow machine may span two), never one per token.
			expect(issuer.jwksFetches() - before).toBeLessThanOrEqual(
				1 + Math.floor((Date.now() - started) / 10_000),
			);
		});

		it('expired, not yet valid, other issuer, other audience, no exp', async () => {
			await refused(
				t,
				event(),
				bearer(issuer.token({ exp: now() - 3600, nbf: now() - 4000, iat: now() - 4000 })),
			);
			await refused(t, event(), bearer(issuer.token({ nbf: now() + 3600, exp: now() + 4000 })));
			await refused(
				t,
				event(),
				bearer(issuer.token({ iss: 'https://acscallautomation.communication.azure.com' })),
			);
			await refused(t, event(), bearer(issuer.token({ aud: randomUUID() })));
			await refused(t, event(), bearer(issuer.token({ aud: [randomUUID(), `${AUDIENCE} `] })));
			await refused(t, event(), bearer(issuer.token({ exp: undefined })));
		});

		it('malformed authorization headers', async () => {
			for (const value of [
				'Bearer',
				'Bearer ',
				'Basic abc',
				`Bearer ${issuer.token()} extra`,
				'Bearer a.b',
				'Bearer ...',
				`Bearer ${'a'.repeat(8000)}.b.c`,
			]) {
				await refused(t, event(), { authorization: value });
			}
		});
	});

	describe('bodies (with a valid token)', () => {
		let t: TriggerHarness;
		beforeAll(async () => {
			t = await trigger();
		});
		const auth = () => bearer(issuer.token());

		it('oversized, deeply nested, invalid UTF-8, too many events', async () => {
			const big = JSON.stringify([
				callEvent('CallConnected', 'c-big', { operationContext: 'x'.repeat(1024 * 1024) }),
			]);
			await refused(t, big, auth(), '', 413);
			let nested: unknown = 'leaf';
			for (let i = 0; i < 200; i++) nested = { n: nested };
			await refused(
				t,
				[callEvent('CallConnected', 'c-deep', { deep: nested as IDataObject })],
				auth(),
				'',
				400,
			);
			const invalid = Buffer.concat([
				Buffer.from(
					'[{"type":"Microsoft.Communication.CallConnected","specversion":"1.0","data":{"x":"',
				),
				Buffer.from([0xc3, 0x28, 0xff]),
				Buffer.from('"}}]'),
			]);
			await refused(
				t,
				invalid,
				{ ...auth(), 'content-type': 'application/cloudevents-batch+json' },
				'',
				400,
			);
			const many = Array.from({ length: 101 }, (_, i) => callEvent('CallConnected', `c-many-${i}`));
			await refused(t, many, auth(), '', 413);
		});

		it('__proto__ and constructor keys do not reach the item prototype or pick a family', async () => {
			const body = `[{"id":"${randomUUID()}","type":"Microsoft.Communication.CallConnected","specversion":"1.0","source":"s","data":{"callConnectionId":"c-proto","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}}]`;
			expect((await send(t, body, auth())).status).toBe(200);
			const item = t.runs.at(-1)!.items[0];
			expect(Object.getPrototypeOf(item)).toBe(Object.prototype);
			expect((item as Record<string, unknown>).polluted).toBeUndefined();
			expect(({} as Record<string, unknown>).polluted).toBeUndefined();
			const weird = await send(
				t,
				[{ ...callEvent('CallConnected', 'c-ctor'), type: `${P}constructor` }],
				auth(),
			);
			expect(weird.status).toBe(200);
			expect(t.runs.at(-1)!.items[0]).toMatchObject({ family: 'other' });
		});
	});

	describe('secrets', () => {
		it('wrong, partial, repeated or differently encoded secrets are refused; timing-safe comparison', async () => {
			const t = await trigger({}, SECRET);
			const body = () => [eventGridEvent('IncomingCall', incomingData)];
			const headers = { 'aeg-event-type': 'Notification' };
			for (const q of [
				'',
				'?secret=',
				`?secret=${SECRET.slice(0, -1)}`,
				`?secret=${SECRET}x`,
				`?secret=${SECRET.toUpperCase()}`,
				`?SECRET=${SECRET}`,
				`?secret=x&secret=${SECRET}`,
				`?secret=${encodeURIComponent(` ${SECRET}`)}`,
			]) {
				await refused(t, body(), headers, q);
			}
			expect((await send(t, body(), headers, `?secret=${SECRET}`)).status).toBe(200);
			// With the secret, a call event still needs its token.
			await refused(t, [callEvent('CallConnected', 'c-secret-only')], {}, `?secret=${SECRET}`);
		});

		it('the secret never appears in what the trigger answers or emits', async () => {
			const t = await trigger({}, SECRET);
			const res = await send(
				t,
				[eventGridEvent('IncomingCall', incomingData)],
				{ 'aeg-event-type': 'Notification' },
				`?secret=${SECRET}`,
			);
			expect(res.text).not.toContain(SECRET);
			expect(JSON.stringify(t.runs)).not.toContain(SECRET);
			const bad = await send(
				t,
				[eventGridEvent('IncomingCall', incomingData)],
				{},
				`?secret=${SECRET}x`,
			);
			expect(bad.text).not.toContain(SECRET);
		});
	});
});
