/** The emulator's Entra token endpoint and ARM Event Grid subscription routes. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEmulator, type Emulator } from '../../emulator';
import { httpRequest } from '../harness/trigger';

describe('emulator ARM routes', () => {
	let emu: Emulator;
	let endpoint: http.Server;
	let endpointUrl: string;
	let answerValidation = true;

	beforeAll(async () => {
		emu = await startEmulator({});
		endpoint = http.createServer((req, res) => {
			let body = '';
			req.on('data', (c) => (body += c));
			req.on('end', () => {
				const events = body ? JSON.parse(body) : [];
				const code = events[0]?.data?.validationCode;
				// A refusing endpoint answers 403 (an empty 200 would make Event Grid wait for the validation URL).
				res.writeHead(answerValidation ? 200 : 403, { 'content-type': 'application/json' });
				res.end(answerValidation && code ? JSON.stringify({ validationResponse: code }) : '{}');
			});
		});
		await new Promise<void>((r) => endpoint.listen(0, '127.0.0.1', r));
		endpointUrl = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/hook`;
	});
	afterAll(async () => {
		await emu.close();
		endpoint.closeAllConnections();
		await new Promise<void>((r) => endpoint.close(() => r()));
	});

	const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
	const tokenRequest = (fields: Record<string, string>, tenant = emu.arm.tenantId) =>
		httpRequest(`${emu.url}${tenant}/oauth2/v2.0/token`, 'POST', form(fields), {
			'content-type': 'application/x-www-form-urlencoded',
		});
	const good = () => ({
		grant_type: 'client_credentials',
		client_id: emu.arm.clientId,
		client_secret: emu.arm.clientSecret,
		scope: `${emu.url}.default`,
	});
	async function token(): Promise<string> {
		const res = await tokenRequest(good());
		return (res.json as { access_token: string }).access_token;
	}
	const base = () =>
		`${emu.url}subscriptions/${emu.arm.subscriptionId}/resourceGroups/${emu.arm.resourceGroup}/providers/Microsoft.Communication/communicationServices/${emu.arm.resourceName}/providers/Microsoft.EventGrid/eventSubscriptions`;
	const arm = async (method: string, path: string, body?: unknown, auth?: string) =>
		httpRequest(`${base()}${path}`, method, body === undefined ? undefined : JSON.stringify(body), {
			'content-type': 'application/json',
			authorization: `Bearer ${auth ?? (await token())}`,
		});
	const putBody = (url = endpointUrl, types = ['Microsoft.Communication.IncomingCall']) => ({
		properties: {
			destination: { endpointType: 'WebHook', properties: { endpointUrl: url } },
			filter: { includedEventTypes: types },
			eventDeliverySchema: 'EventGridSchema',
		},
	});
	const V = '?api-version=2022-06-15';

	it('exposes what the Event Grid credential needs', () => {
		expect(emu.arm).toMatchObject({
			authorityUrl: emu.url,
			managementUrl: emu.url,
			resourceName: emu.resource.name,
		});
		expect(emu.arm.clientSecret).toBeTruthy();
	});

	it('issues client-credentials tokens only for the configured app', async () => {
		const ok = await tokenRequest(good());
		expect(ok.status).toBe(200);
		expect(ok.json).toMatchObject({
			token_type: 'Bearer',
			access_token: expect.any(String),
			expires_in: expect.any(Number),
		});
		expect((await tokenRequest(good(), 'other-tenant')).status).toBe(400);
		const badSecret = await tokenRequest({ ...good(), client_secret: 'nope' });
		expect(badSecret.status).toBe(401);
		expect(badSecret.json).toMatchObject({ error: 'invalid_client', error_codes: [7000215] });
		expect((await tokenRequest({ ...good(), client_id: 'someone' })).status).toBe(400);
		expect((await tokenRequest({ ...good(), grant_type: 'password' })).json).toMatchObject({
			error: 'unsupported_grant_type',
		});
		expect(
			(await tokenRequest({ ...good(), scope: 'https://management.azure.com/user_impersonation' }))
				.json,
		).toMatchObject({ error: 'invalid_scope' });
	});

	it('requires a valid bearer token, an api-version and the right resource', async () => {
		expect((await arm('GET', V, undefined, 'forged.token')).status).toBe(401);
		const none = await httpRequest(`${base()}${V}`, 'GET');
		expect(none.status).toBe(401);
		expect((await arm('GET', '')).json).toMatchObject({
			error: { code: 'MissingApiVersionParameter' },
		});
		const t = await token();
		const wrong = await httpRequest(
			`${base().replace(emu.arm.resourceName, 'other-acs')}${V}`,
			'GET',
			undefined,
			{ authorization: `Bearer ${t}` },
		);
		expect(wrong.status).toBe(404);
		expect(wrong.json).toMatchObject({ error: { code: 'ResourceNotFound' } });
		const rg = await httpRequest(
			`${base().replace(emu.arm.resourceGroup, 'other-rg')}${V}`,
			'GET',
			undefined,
			{ authorization: `Bearer ${t}` },
		);
		expect(rg.json).toMatchObject({ error: { code: 'ResourceGroupNotFound' } });
	});

	it('creates (201, after the handshake), reads, updates (200), lists and deletes a subscription', async () => {
		const created = await arm('PUT', `/sub-one${V}`, putBody(`${endpointUrl}?secret=abc`));
		expect(created.status).toBe(201);
		expect(created.json).toMatchObject({
			name: 'sub-one',
			type: 'Microsoft.EventGrid/eventSubscriptions',
			properties: {
				provisioningState: 'Succeeded',
				destination: { endpointType: 'WebHook', properties: { endpointBaseUrl: endpointUrl } },
				filter: { includedEventTypes: ['Microsoft.Communication.IncomingCall'] },
				eventDeliverySchema: 'EventGridSchema',
			},
		});
		expect(emu.eventGrid.get('sub-one')).toMatchObject({
			endpointUrl: `${endpointUrl}?secret=abc`,
		});
		expect((await arm('GET', `/SUB-ONE${V}`)).status).toBe(200);
		expect((await arm('POST', `/sub-one/getFullUrl${V}`)).json).toEqual({
			endpointUrl: `${endpointUrl}?secret=abc`,
		});
		const updated = await arm(
			'PUT',
			`/sub-one${V}`,
			putBody(endpointUrl, [
				'Microsoft.Communication.IncomingCall',
				'Microsoft.Communication.RecordingFileStatusUpdated',
			]),
		);
		expect(updated.status).toBe(200);
		expect(emu.eventGrid.list().filter((s) => s.name === 'sub-one')).toHaveLength(1);
		expect(
			((await arm('GET', V)).json as { value: Array<{ name: string }> }).value.map((s) => s.name),
		).toContain('sub-one');
		expect((await arm('DELETE', `/sub-one${V}`)).status).toBe(200);
		expect((await arm('DELETE', `/sub-one${V}`)).status).toBe(204);
		expect((await arm('GET', `/sub-one${V}`)).status).toBe(404);
	});

	it('fails the PUT with 400 when the endpoint does not answer the handshake', async () => {
		answerValidation = false;
		try {
			const res = await arm('PUT', `/sub-bad${V}`, putBody());
			expect(res.status).toBe(400);
			expect(res.json).toMatchObject({
				error: { code: 'Url validation', message: expect.stringMatching(/handshake failed.*403/) },
			});
			expect(emu.eventGrid.get('sub-bad')).toBeUndefined();
		} finally {
			answerValidation = true;
		}
	});

	it('validates the body and the name', async () => {
		const bad = async (body: unknown, name = 'sub-x') => {
			const res = await arm('PUT', `/${name}${V}`, body);
			expect(res.status).toBe(400);
			return res;
		};
		await bad({});
		await bad({ properties: { destination: { endpointType: 'EventHub', properties: {} } } });
		await bad({ properties: { destination: { endpointType: 'WebHook', properties: {} } } });
		await bad(putBody('ftp://x/y'));
		await bad(putBody(endpointUrl, ['Microsoft.Storage.BlobCreated']));
		await bad({
			properties: { ...putBody().properties, eventDeliverySchema: 'CustomInputSchema' },
		});
		await bad(putBody(), 'x');
		expect(emu.eventGrid.get('sub-x')).toBeUndefined();
	});
});
