/**
 * What the bulk-calling engine tests share: one Create Call per row (the row's number, its index in the
 * operation context), an emulator without callback events, a tiny back-off (test-only: 1 ms instead of
 * 800 ms, so retries stay quick), and the calls the emulator placed, by the number they ring.
 */
import type { IDataObject } from 'n8n-workflow';

import { startEmulator, type Emulator } from '../../emulator';
import { DEFAULT_RETRY_POLICY } from '../../nodes/AzureCallAutomation/transport';
import { CALLBACK, CALLER_ID } from './action';

/** Row `i`'s number, counted from `firstNumber` (a block of numbers of its own per test file). */
export const bulkPhone = (firstNumber: number, i: number): string =>
	`+1425${String(firstNumber + i).padStart(7, '0')}`;

/** `n` rows `{ row, phone }`. */
export function bulkRows(n: number, firstNumber: number): Array<{ row: number; phone: string }> {
	return Array.from({ length: n }, (_, row) => ({ row, phone: bulkPhone(firstNumber, row) }));
}

/** Create Call for each row, with these Request Options. */
export const bulkCreateCall = (requestOptions: IDataObject = {}): IDataObject => ({
	resource: 'call',
	operation: 'create',
	targets: '={{ $json.phone }}',
	callbackUrl: CALLBACK,
	sourceCallerIdNumber: CALLER_ID,
	additionalFields: { operationContext: '={{ "row-" + $json.row }}' },
	requestOptions,
});

/** One emulator (no callback events) and the tiny back-off for a describe block, reset before each test. */
export function withBulkEmulator(started: (emu: Emulator) => void): void {
	let emu: Emulator;
	const saved = { ...DEFAULT_RETRY_POLICY };
	beforeAll(async () => {
		Object.assign(DEFAULT_RETRY_POLICY, { baseDelayMs: 1, maxDelayMs: 10 });
		emu = await startEmulator({ port: 0, deliverEvents: false });
		started(emu);
	});
	afterAll(async () => {
		Object.assign(DEFAULT_RETRY_POLICY, saved);
		await emu.close();
	});
	beforeEach(() => emu.reset());
}

/** Every call in the emulator, live or ended, by the number it rings. */
export function callsByTarget(emu: Emulator): Map<string, string[]> {
	const byTarget = new Map<string, string[]>();
	const state = emu.state();
	for (const c of [...state.calls, ...state.endedCalls] as Array<{
		callConnectionId: string;
		targets: Array<{ rawId: string }>;
	}>) {
		const key = c.targets[0].rawId;
		byTarget.set(key, [...(byTarget.get(key) ?? []), c.callConnectionId]);
	}
	return byTarget;
}
