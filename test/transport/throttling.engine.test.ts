/**
 * Bulk calling under throttling, in n8n's engine against the emulator's faults: no call lost to
 * throttling, none placed twice, none hidden. Counts and outcomes are asserted, never durations
 * (Retry-After 0 and a tiny back-off keep the runs short).
 */
import type { IDataObject } from 'n8n-workflow';

import type { Emulator } from '../../emulator';
import { expectRefused, outputJson, runAction } from '../harness/action';
import {
	bulkCreateCall,
	bulkPhone,
	bulkRows,
	callsByTarget,
	withBulkEmulator,
} from '../harness/bulk';
import { engineLabel } from '../harness/engine';

const rows = (n: number) => bulkRows(n, 5_000_000);
const phone = (i: number) => bulkPhone(5_000_000, i);
const createCall = bulkCreateCall;

describe(`bulk calling under throttling (${engineLabel})`, () => {
	let emu: Emulator;
	withBulkEmulator((started) => (emu = started));

	it('1,000 Create Call items through 20% 429, 10% 503, 5% lost answers and 2% dropped connections: exactly 1,000 calls, in order', async () => {
		emu.setFaults({
			throttleRate: 0.2,
			unavailableRate: 0.1,
			dropAfterCommitRate: 0.05,
			dropRate: 0.02,
			retryAfterSeconds: 0,
			retryAfterMs: 0,
			seed: 20_250_603,
		});
		const items = rows(1000);
		const result = await runAction(emu, { items, parameters: createCall() });
		expect(result.error).toBeUndefined();
		const out = outputJson(result);
		expect(out).toHaveLength(1000);
		expect(result.outputs[0].map((o) => o.pairedItem)).toEqual(items.map((_, item) => ({ item })));

		const state = emu.state();
		expect(state.callsCreated).toBe(1000);
		const byTarget = callsByTarget(emu);
		expect(byTarget.size).toBe(1000);
		expect([...byTarget.values()].every((ids) => ids.length === 1)).toBe(true);
		// Output i is the one call placed for input i.
		expect(out.map((o, i) => byTarget.get(`4:${phone(i)}`)?.[0] === o.callConnectionId)).toEqual(
			items.map(() => true),
		);
		// The faults really happened, and lost answers were recovered by replaying the same id.
		const injected = state.faultsInjected;
		expect(injected.throttle).toBeGreaterThan(100);
		expect(injected.unavailable).toBeGreaterThan(50);
		expect(injected.dropAfterCommit).toBeGreaterThan(20);
		expect(injected.drop).toBeGreaterThan(5);
	}, 60_000);

	describe('an outage longer than the retry budget', () => {
		// The first five requests commit and lose their answers; then ACS answers 503 to everything.
		const outage = () =>
			emu.setFaults({
				sequence: Array(5).fill('dropAfterCommit'),
				unavailableRate: 1,
				retryAfterSeconds: 0,
				retryAfterMs: 0,
			});

		it('reports calls that may exist as outcome "unknown" with their ids, the rest as "failed"; re-running them places no second call', async () => {
			outage();
			const items = rows(10);
			const first = await runAction(emu, {
				items,
				settings: { onError: 'continueErrorOutput' },
				parameters: createCall({ retryBudget: 0.3, concurrency: 10 }),
			});
			expect(first.error).toBeUndefined();
			const [ok, errors] = first.outputs;
			expect(ok).toHaveLength(0);
			expect(errors).toHaveLength(10);
			expect(errors.map((e) => e.pairedItem)).toEqual(items.map((_, item) => ({ item })));
			const details = errors.map((e) => e.json.error as IDataObject);
			const unknown = details.filter((d) => d.outcome === 'unknown');
			const failed = details.filter((d) => d.outcome === 'failed');
			// Exactly the items whose call exists are "unknown".
			expect(unknown.length).toBe(emu.state().callsCreated);
			expect(unknown.length).toBeGreaterThan(0);
			expect(failed.length).toBe(10 - unknown.length);
			for (const d of details) {
				expect(d.repeatabilityRequestId).toMatch(/^[0-9a-f-]{36}$/);
				expect(Date.parse(String(d.repeatabilityFirstSent))).not.toBeNaN();
			}
			for (const d of unknown) {
				expect(d.message).toMatch(/call may have been placed/);
				expect(d.description).toMatch(/Call > Get/);
				expect(d.description).toContain(String(d.repeatabilityRequestId));
			}
			for (const d of failed) expect(d.description).toMatch(/Nothing was carried out/);
			const placed = callsByTarget(emu);

			// The recipe: the error output, back into the node with its ids.
			emu.setFaults({});
			const rerun = await runAction(emu, {
				items: errors.map((e) => e.json),
				parameters: createCall({
					repeatabilityRequestId: '={{ $json.error?.repeatabilityRequestId ?? "" }}',
					repeatabilityFirstSent: '={{ $json.error?.repeatabilityFirstSent ?? "" }}',
				}),
			});
			const out = outputJson(rerun);
			expect(emu.state().callsCreated).toBe(10);
			const byTarget = callsByTarget(emu);
			expect([...byTarget.values()].every((ids) => ids.length === 1)).toBe(true);
			out.forEach((o, i) => {
				expect(o.callConnectionId).toBe(byTarget.get(`4:${phone(i)}`)?.[0]);
				// Calls that existed are returned, not placed again.
				if (placed.has(`4:${phone(i)}`))
					expect(o.callConnectionId).toBe(placed.get(`4:${phone(i)}`)?.[0]);
			});
		});

		it('without Continue On Fail the run fails on an item, says what may exist, and how many items went through', async () => {
			emu.setFaults({
				sequence: ['none', 'none', 'dropAfterCommit'],
				unavailableRate: 1,
				retryAfterSeconds: 0,
				retryAfterMs: 0,
			});
			const result = await runAction(emu, {
				items: rows(3),
				parameters: createCall({ retryBudget: 0.2, concurrency: 1 }),
			});
			expect(result.error?.context?.itemIndex).toBe(2);
			expect(result.error?.context?.outcome).toBe('unknown');
			expect(result.error?.message).toMatch(/call may have been placed/);
			expect(result.error?.description).toMatch(/Repeatability-Request-ID [0-9a-f-]{36}/);
			expect(result.error?.description).toMatch(/2 other items \(0–1\) succeeded/);
			expect(emu.state().callsCreated).toBe(3);
		});
	});

	it('a non-repeatable request whose answer was lost is not sent again, and says its outcome is unknown', async () => {
		const [created] = outputJson(
			await runAction(emu, { items: rows(1), parameters: createCall() }),
		);
		const id = String(created.callConnectionId);
		// Events are off in this emulator: wait for the call's state instead (Play needs a connected call).
		for (
			let i = 0;
			i < 400 && emu.state().calls.find((c) => c.callConnectionId === id)?.state !== 'connected';
			i++
		) {
			await new Promise((resolve) => setTimeout(resolve, 5));
		}
		emu.setFaults({ sequence: ['dropAfterCommit'] });
		const result = await runAction(emu, {
			settings: { onError: 'continueRegularOutput' },
			parameters: {
				resource: 'media',
				operation: 'playAudio',
				callConnectionId: id,
				audioUrl: 'https://audio.example.com/a.wav',
			},
		});
		const [out] = outputJson(result);
		expect(out.outcome).toBe('unknown');
		expect(out.repeatabilityRequestId).toBeUndefined();
		expect(String(out.description)).toMatch(/not repeatable/);
		expect(emu.state().requests.byRoute.play).toEqual({ dropped: 1 });
	});

	describe('Repeatability Request ID / First Sent given per item', () => {
		const withIds = (repeatabilityRequestId: string, repeatabilityFirstSent: string) =>
			createCall({ repeatabilityRequestId, repeatabilityFirstSent });

		it("the same ids in a second run return the first run's call", async () => {
			const ids = withIds('7c9e6679-7425-40de-944b-e07fc1f90ae7', new Date().toUTCString());
			const [a] = outputJson(await runAction(emu, { items: rows(1), parameters: ids }));
			const [b] = outputJson(await runAction(emu, { items: rows(1), parameters: ids }));
			expect(b.callConnectionId).toBe(a.callConnectionId);
			expect(emu.state().callsCreated).toBe(1);
		});

		it.each<[string, string, string, RegExp]>([
			[
				'a request id that is not a UUID',
				'not-a-uuid',
				new Date().toUTCString(),
				/Repeatability Request ID "not-a-uuid" is not a UUID/,
			],
			[
				'a header injection attempt',
				'7c9e6679-7425-40de-944b-e07fc1f90ae7\r\nX-Evil: 1',
				new Date().toUTCString(),
				/is not a UUID/,
			],
			[
				'a First Sent that is not an HTTP date',
				'7c9e6679-7425-40de-944b-e07fc1f90ae7',
				'2025-06-03T10:15:00Z',
				/is not an HTTP date/,
			],
			[
				'a First Sent with a line break',
				'7c9e6679-7425-40de-944b-e07fc1f90ae7',
				`${new Date().toUTCString()}\nX-Evil: 1`,
				/is not an HTTP date/,
			],
			[
				'an id without First Sent',
				'7c9e6679-7425-40de-944b-e07fc1f90ae7',
				'',
				/Repeatability First Sent is empty/,
			],
		])('%s: an input error, nothing sent', async (_label, id, firstSent, message) => {
			await expectRefused(
				emu,
				async () => await runAction(emu, { items: rows(1), parameters: withIds(id, firstSent) }),
				message,
			);
		});

		it("ids older than ACS's 5-minute window are not sent (ACS could place the call again): outcome unknown", async () => {
			const before = emu.state().requests.total;
			const result = await runAction(emu, {
				items: rows(1),
				settings: { onError: 'continueRegularOutput' },
				parameters: withIds(
					'7c9e6679-7425-40de-944b-e07fc1f90ae7',
					'Tue, 03 Jun 2025 10:15:00 GMT',
				),
			});
			const [out] = outputJson(result);
			expect(out).toMatchObject({
				outcome: 'unknown',
				repeatabilityRequestId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
			});
			expect(String(out.error)).toMatch(/more than 5 minutes ago/);
			expect(emu.state().requests.total).toBe(before);
		});

		it('an id reused for a different request is refused by ACS and explained', async () => {
			const firstSent = new Date().toUTCString();
			outputJson(
				await runAction(emu, {
					items: rows(1),
					parameters: withIds('3f2504e0-4f89-41d3-9a0c-0305e82c3301', firstSent),
				}),
			);
			const result = await runAction(emu, {
				items: [{ row: 0, phone: phone(7) }],
				settings: { onError: 'continueRegularOutput' },
				parameters: withIds('3f2504e0-4f89-41d3-9a0c-0305e82c3301', firstSent),
			});
			const [out] = outputJson(result);
			expect(out).toMatchObject({ httpCode: '400', outcome: 'unknown' });
			expect(String(out.description)).toMatch(/unchanged/);
			expect(emu.state().callsCreated).toBe(1);
		});
	});
});
