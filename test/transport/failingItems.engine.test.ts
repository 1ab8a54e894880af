/**
 * A campaign where some items keep failing while the service serves the rest (the emulator's
 * always-failing requests, chosen by their body): those items end after a few attempts as error items,
 * the healthy ones are all placed, once each, in order; an outage that hits every item stays patient.
 * Counts and outcomes are asserted, never durations (Retry-After 0 and a tiny back-off keep runs short).
 */
import type { IDataObject } from 'n8n-workflow';

import type { Emulator } from '../../emulator';
import { MIN_OWN_FAILURES } from '../../nodes/AzureCallAutomation/transport/failureClassifier';
import { outputJson, runAction } from '../harness/action';
import {
	bulkCreateCall,
	bulkPhone,
	bulkRows,
	callsByTarget,
	withBulkEmulator,
} from '../harness/bulk';
import { engineLabel } from '../harness/engine';

const rows = (n: number) => bulkRows(n, 6_000_000);
const phone = (i: number) => bulkPhone(6_000_000, i);
const createCall = bulkCreateCall;

describe(`items that keep failing while the others go through (${engineLabel})`, () => {
	let emu: Emulator;
	withBulkEmulator((started) => (emu = started));

	it('1,000 Create Call items, one in ten always answered 503: exactly the 900 healthy calls, 100 error items in place, a few attempts each', async () => {
		const items = rows(1000);
		const failing = (i: number) => i % 10 === 3;
		emu.setFaults({
			failingTargets: items.filter((_, i) => failing(i)).map((r) => r.phone),
			retryAfterSeconds: 0,
			retryAfterMs: 0,
		});
		const result = await runAction(emu, {
			items,
			settings: { onError: 'continueRegularOutput' },
			parameters: createCall(),
		});
		expect(result.error).toBeUndefined();
		const out = outputJson(result);
		expect(out).toHaveLength(1000);
		expect(result.outputs[0].map((o) => o.pairedItem)).toEqual(items.map((_, item) => ({ item })));

		expect(emu.state().callsCreated).toBe(900);
		const byTarget = callsByTarget(emu);
		expect([...byTarget.values()].every((ids) => ids.length === 1)).toBe(true);
		out.forEach((o, i) => {
			if (failing(i)) {
				expect(byTarget.has(`4:${phone(i)}`)).toBe(false);
				expect(o).toMatchObject({ httpCode: '503', outcome: 'failed' });
				expect(String(o.description)).toMatch(/this item's own/);
				expect(String(o.description)).toMatch(/Nothing was carried out/);
			} else {
				expect(o.callConnectionId).toBe(byTarget.get(`4:${phone(i)}`)?.[0]);
			}
		});
		// Not the whole retry budget each (thousands of attempts at this back-off): a handful.
		expect(emu.state().faultsInjected.failing).toBeLessThan(100 * 5 * MIN_OWN_FAILURES);
	}, 60_000);

	it('the same under 20% 429, 10% random 503, 5% lost answers and 2% dropped connections: still exactly the 900 healthy calls, none twice', async () => {
		const items = rows(1000);
		const failing = (i: number) => i % 10 === 7;
		emu.setFaults({
			failingTargets: items.filter((_, i) => failing(i)).map((r) => r.phone),
			throttleRate: 0.2,
			unavailableRate: 0.1,
			dropAfterCommitRate: 0.05,
			dropRate: 0.02,
			retryAfterSeconds: 0,
			retryAfterMs: 0,
			seed: 20_251_204,
		});
		const result = await runAction(emu, {
			items,
			settings: { onError: 'continueRegularOutput' },
			parameters: createCall(),
		});
		const out = outputJson(result);
		expect(out).toHaveLength(1000);
		expect(result.outputs[0].map((o) => o.pairedItem)).toEqual(items.map((_, item) => ({ item })));
		expect(emu.state().callsCreated).toBe(900);
		const byTarget = callsByTarget(emu);
		expect([...byTarget.values()].every((ids) => ids.length === 1)).toBe(true);
		out.forEach((o, i) => {
			if (failing(i)) expect(['failed', 'unknown']).toContain(o.outcome);
			else expect(o.callConnectionId).toBe(byTarget.get(`4:${phone(i)}`)?.[0]);
		});
	}, 60_000);

	it('always 500 (the call may have been placed): outcome unknown with the repeatability ids; re-running them places each call once', async () => {
		emu.setFaults({
			failingShare: 0.2,
			failingStatus: 500,
			seed: 42,
			retryAfterSeconds: 0,
			retryAfterMs: 0,
		});
		const items = rows(100);
		const failing = items.filter((r) => emu.context.faults.failsFor(r.phone)).map((r) => r.row);
		expect(failing.length).toBeGreaterThan(5);
		const first = await runAction(emu, {
			items,
			settings: { onError: 'continueErrorOutput' },
			parameters: createCall(),
		});
		const [ok, errors] = first.outputs;
		expect(ok).toHaveLength(100 - failing.length);
		expect(errors.map((e) => e.pairedItem)).toEqual(failing.map((item) => ({ item })));
		for (const e of errors) {
			const d = e.json.error as IDataObject;
			expect(d).toMatchObject({ httpCode: '500', outcome: 'unknown' });
			expect(d.message).toMatch(/call may have been placed/);
			expect(d.description).toMatch(/this item's own/);
			expect(d.repeatabilityRequestId).toMatch(/^[0-9a-f-]{36}$/);
		}
		expect(emu.state().callsCreated).toBe(100 - failing.length);

		// Fixed on the service's side: the error items, back in with their ids, each placed once.
		emu.setFaults({});
		const rerun = await runAction(emu, {
			items: errors.map((e) => e.json),
			parameters: createCall({
				repeatabilityRequestId: '={{ $json.error?.repeatabilityRequestId ?? "" }}',
				repeatabilityFirstSent: '={{ $json.error?.repeatabilityFirstSent ?? "" }}',
			}),
		});
		expect(outputJson(rerun).every((o) => typeof o.callConnectionId === 'string')).toBe(true);
		expect(emu.state().callsCreated).toBe(100);
		expect([...callsByTarget(emu).values()].every((ids) => ids.length === 1)).toBe(true);
	});

	it('an outage from mid-run on fails every item alike: that is the service, so each keeps trying for its whole retry budget', async () => {
		// 20 requests go through, then ACS answers 503 to everything.
		emu.setFaults({
			sequence: Array(20).fill('none'),
			unavailableRate: 1,
			retryAfterSeconds: 0,
			retryAfterMs: 0,
		});
		const items = rows(30);
		// Once the latest news from other items is three first failures in a row, every failure is the
		// service's (no success can come to break it); before that, at 4 at once, an item gets a failure or
		// two judged its own: fewer than MIN_OWN_FAILURES.
		const result = await runAction(emu, {
			items,
			settings: { onError: 'continueRegularOutput' },
			parameters: createCall({ concurrency: 4, retryBudget: 0.4 }),
		});
		const out = outputJson(result);
		expect(emu.state().callsCreated).toBe(20);
		expect(out.slice(0, 20).every((o) => typeof o.callConnectionId === 'string')).toBe(true);
		expect(MIN_OWN_FAILURES).toBeGreaterThan(3);
		for (const o of out.slice(20)) {
			expect(o).toMatchObject({ httpCode: '503', outcome: 'failed' });
			expect(String(o.description)).toMatch(/retry budget \(0\.4 s\) ran out/);
			expect(String(o.description)).not.toMatch(/own/);
		}
	});
});
