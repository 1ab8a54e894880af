/** What an e2e run prints: lines stamped with the seconds since it began, and named checks counted as passed or failed. */
import type { Log } from './n8n';

export interface Report {
	log: Log;
	/** Runs one named check: `ok <name> (ms)` or `FAIL <name>` with the stack, and counts it. */
	step<T>(name: string, fn: () => Promise<T>): Promise<T>;
	elapsed(): string;
	readonly passes: number;
	readonly failures: number;
}

export function indent(text: string): string {
	return text
		.split('\n')
		.map((l) => `         ${l}`)
		.join('\n');
}

/** `prefix` names the run in every line (e.g. "queue"). */
export function createReport(prefix = ''): Report {
	const started = Date.now();
	let passes = 0;
	let failures = 0;
	const elapsed = (): string => `${((Date.now() - started) / 1000).toFixed(0)} s`;
	const log: Log = (line: string): void => {
		process.stdout.write(`[${prefix ? `${prefix} ` : ''}${elapsed().padStart(5)}] ${line}\n`);
	};
	return {
		log,
		elapsed,
		get passes() {
			return passes;
		},
		get failures() {
			return failures;
		},
		async step<T>(name: string, fn: () => Promise<T>): Promise<T> {
			const t0 = Date.now();
			try {
				const value = await fn();
				passes++;
				log(`  ok   ${name} (${Date.now() - t0} ms)`);
				return value;
			} catch (error) {
				failures++;
				log(`  FAIL ${name}\n${indent((error as Error).stack ?? String(error))}`);
				throw error;
			}
		},
	};
}
