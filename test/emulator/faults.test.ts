import { CallAutomationClient } from '@azure/communication-call-automation';
import { startEmulator, type Emulator } from '../../emulator';
import { signedRequest } from './receiver';

const V = 'api-version=2026-03-12';
const CREATE = JSON.stringify({
	targets: [
		{
			kind: 'communicationUser',
			rawId: '8:acs:res_user',
			communicationUser: { id: '8:acs:res_user' },
		},
	],
	callbackUri: 'http://127.0.0.1:9/cb',
});

describe('emulator repeatability and fault injection', () => {
	let emu: Emulator;
	const create = (headers: Record<string, string> = {}) =>
		signedRequest(emu.url, emu.accessKey, 'POST', `/calling/callConnections?${V}`, CREATE, {
			headers,
		});

	beforeAll(async () => {
		emu = await startEmulator({ deliverEvents: false });
	});
	afterAll(() => emu.close());
	beforeEach(() => emu.reset());

	it('replays the stored response for a repeated Repeatability-Request-ID without a second call', async () => {
		const headers = {
			'repeatability-request-id': 'a1d5ba4c-4b47-4d55-9d5b-2f0c0c3f1d11',
			'repeatability-first-sent': new Date().toUTCString(),
		};
		const first = await create(headers);
		const second = await create(headers);
		expect(first.status).toBe(201);
		expect(second.status).toBe(201);
		expect(second.json).toEqual(first.json);
		expect(second.headers['repeatability-result']).toBe('accepted');
		expect(emu.state().callsCreated).toBe(1);
		expect((await create()).json.callConnectionId).not.toBe(first.json.callConnectionId);
		expect(emu.state().callsCreated).toBe(2);
	});

	it('throttles with 429 + Retry-After + retry-after-ms, and 503 likewise, without doing the work', async () => {
		const throttled = await create({ 'x-emulator-fault': 'throttle' });
		expect(throttled.status).toBe(429);
		expect(throttled.headers['retry-after']).toBe('1');
		expect(throttled.headers['retry-after-ms']).toBe('20');
		expect(throttled.json.error.code).toBe('429');
		const unavailable = await create({ 'x-emulator-fault': 'unavailable' });
		expect(unavailable.status).toBe(503);
		expect(unavailable.headers['retry-after']).toBe('1');
		expect(emu.state().callsCreated).toBe(0);
		emu.setFaults({ retryAfterSeconds: 3, retryAfterMs: 5 });
		expect((await create({ 'x-emulator-fault': 'throttle' })).headers['retry-after']).toBe('3');
	});

	it('drops the connection before handling: nothing happens', async () => {
		await expect(create({ 'x-emulator-fault': 'drop' })).rejects.toThrow(
			/socket hang up|ECONNRESET/,
		);
		expect(emu.state().callsCreated).toBe(0);
		expect(emu.state().requests.byRoute.createCall).toEqual({ dropped: 1 });
	});

	it('drops the connection after committing: the call exists and a retry with the same id gets it', async () => {
		const headers = {
			'repeatability-request-id': '0b7e2a55-7a1b-4c8e-8f3c-8a9d8c7b6a51',
			'repeatability-first-sent': new Date().toUTCString(),
		};
		await expect(create({ ...headers, 'x-emulator-fault': 'drop-after-commit' })).rejects.toThrow(
			/socket hang up|ECONNRESET/,
		);
		expect(emu.state().callsCreated).toBe(1);
		const retry = await create(headers);
		expect(retry.status).toBe(201);
		expect(retry.json.callConnectionId).toBe(emu.state().calls[0].callConnectionId);
		expect(emu.state().callsCreated).toBe(1);
	});

	it("applies ACS's repeatability rules: malformed headers 400, First-Sent outside the window 412, a reused id with another body 400", async () => {
		const id = 'c56a4180-65aa-42ec-a945-5fd21dec0538';
		const now = new Date().toUTCString();
		const rejected = async (headers: Record<string, string>, body = CREATE) => {
			const res = await signedRequest(
				emu.url,
				emu.accessKey,
				'POST',
				`/calling/callConnections?${V}`,
				body,
				{ headers },
			);
			return [res.status, res.headers['repeatability-result']];
		};
		expect(
			await rejected({ 'repeatability-request-id': 'nope', 'repeatability-first-sent': now }),
		).toEqual([400, 'rejected']);
		expect(
			await rejected({
				'repeatability-request-id': id,
				'repeatability-first-sent': '2025-06-03T10:00:00Z',
			}),
		).toEqual([400, 'rejected']);
		expect(await rejected({ 'repeatability-request-id': id })).toEqual([400, 'rejected']);
		expect(
			await rejected({
				'repeatability-request-id': id,
				'repeatability-first-sent': 'Tue, 03 Jun 2025 10:15:00 GMT',
			}),
		).toEqual([412, 'rejected']);
		expect(emu.state().callsCreated).toBe(0);
		expect(
			(await create({ 'repeatability-request-id': id, 'repeatability-first-sent': now })).status,
		).toBe(201);
		const other = CREATE.replace('http://127.0.0.1:9/cb', 'http://127.0.0.1:9/other');
		expect(
			await rejected({ 'repeatability-request-id': id, 'repeatability-first-sent': now }, other),
		).toEqual([400, 'rejected']);
		expect(emu.state().callsCreated).toBe(1);
	});

	it('plays a fault sequence first, one fault per request, then the rates', async () => {
		emu.setFaults({ sequence: ['throttle', 'none', 'unavailable'] });
		const statuses: number[] = [];
		for (let i = 0; i < 4; i++) statuses.push((await create()).status);
		expect(statuses).toEqual([429, 201, 503, 201]);
		expect(() => emu.setFaults({ sequence: ['explode' as never] })).toThrow(/sequence/);
	});

	it('adds latency when asked (counted, not timed)', async () => {
		expect((await create({ 'x-emulator-fault': 'latency=5' })).status).toBe(201);
		expect(emu.state().faultsInjected.latency).toBe(1);
	});

	it('draws per-run fault rates from a seeded PRNG, reproducibly', async () => {
		const run = async () => {
			emu.reset();
			emu.setFaults({ throttleRate: 0.3, unavailableRate: 0.3, seed: 1234 });
			const statuses: number[] = [];
			for (let i = 0; i < 12; i++) statuses.push((await create()).status);
			return statuses;
		};
		const a = await run();
		const b = await run();
		expect(a).toEqual(b);
		expect(a).toEqual(expect.arrayContaining([201, 429, 503]));
	});

	it('takes fault settings over HTTP', async () => {
		const res = await fetch(`${emu.url}__emulator/faults`, {
			method: 'POST',
			body: JSON.stringify({ unavailableRate: 1 }),
		});
		expect(await res.json()).toEqual({ unavailableRate: 1 });
		expect((await create()).status).toBe(503);
		const bad = await fetch(`${emu.url}__emulator/faults`, {
			method: 'POST',
			body: JSON.stringify({ dropRate: 7 }),
		});
		expect(bad.status).toBe(400);
	});

	it('lets the SDK ride through seeded throttling, outages and lost responses with exactly one call each', async () => {
		emu.setFaults({ throttleRate: 0.2, unavailableRate: 0.2, dropAfterCommitRate: 0.3, seed: 99 });
		const client = new CallAutomationClient(emu.connectionString, {
			allowInsecureConnection: true,
			retryOptions: { retryDelayInMs: 5, maxRetryDelayInMs: 20 },
		});
		for (let i = 0; i < 8; i++) {
			await client.createCall(
				{ targetParticipant: { communicationUserId: '8:acs:res_user' } },
				'http://127.0.0.1:9/cb',
			);
		}
		const state = emu.state();
		expect(state.callsCreated).toBe(8);
		expect(state.faultsInjected.throttle + state.faultsInjected.unavailable).toBeGreaterThan(0);
		expect(state.faultsInjected.dropAfterCommit).toBeGreaterThan(0);
	});

	it('throttles by load with maxConcurrent: 429 only while too many requests are being handled', async () => {
		emu.setFaults({ maxConcurrent: 2, latencyMs: 200 });
		const statuses = (await Promise.all(Array.from({ length: 6 }, () => create())))
			.map((r) => r.status)
			.sort();
		expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(2);
		expect(statuses).toContain(429);
		expect((await create()).status).toBe(201);
	});

	describe('always-failing requests, chosen by their body', () => {
		const createFor = (phone: string) =>
			signedRequest(
				emu.url,
				emu.accessKey,
				'POST',
				`/calling/callConnections?${V}`,
				JSON.stringify({
					targets: [{ kind: 'phoneNumber', rawId: `4:${phone}`, phoneNumber: { value: phone } }],
					sourceCallerIdNumber: { value: '+14255550199' },
					callbackUri: 'http://127.0.0.1:9/cb',
				}),
			);
		const phones = Array.from({ length: 200 }, (_, i) => `+1425${String(6_000_000 + i)}`);

		it('fails the same share of targets on every attempt, the same way for the same seed, and serves the rest', async () => {
			emu.setFaults({ failingShare: 0.25, seed: 7 });
			const failing = phones.filter((p) => emu.context.faults.failsFor(p));
			// A hash, not a draw: about a quarter, never all or none.
			expect(failing.length).toBeGreaterThan(20);
			expect(failing.length).toBeLessThan(80);
			for (const phone of phones.slice(0, 40)) {
				const first = await createFor(phone);
				const again = await createFor(phone);
				expect([first.status, again.status]).toEqual(
					failing.includes(phone) ? [503, 503] : [201, 201],
				);
				if (first.status === 503) expect(first.headers['retry-after-ms']).toBe('20');
			}
			emu.setFaults({ failingShare: 0.25, seed: 8 });
			expect(phones.filter((p) => emu.context.faults.failsFor(p))).not.toEqual(failing);
		});

		it('fails listed targets with 500, counts them, and takes the settings over HTTP', async () => {
			const res = await fetch(`${emu.url}__emulator/faults`, {
				method: 'POST',
				body: JSON.stringify({ failingTargets: [phones[1], `4:${phones[2]}`], failingStatus: 500 }),
			});
			expect(res.status).toBe(200);
			const statuses = [];
			for (const phone of phones.slice(0, 4)) statuses.push((await createFor(phone)).status);
			expect(statuses).toEqual([201, 500, 500, 201]);
			expect(emu.state().callsCreated).toBe(2);
			expect(emu.state().requests.byRoute.createCall).toEqual({ 201: 2, 500: 2 });
			const bad = await fetch(`${emu.url}__emulator/faults`, {
				method: 'POST',
				body: JSON.stringify({ failingStatus: 404 }),
			});
			expect(bad.status).toBe(400);
		});
	});
});
