/**
 * One benchmark scenario in its own process (forked by bench/run.ts), so its peak RSS and CPU time are
 * its own: the emulator runs in the parent. Receives a ScenarioSpec over IPC, answers a ScenarioResult.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { ScenarioResult, ScenarioSpec } from './lib';

// n8n-core writes its instance settings under the user folder on first use (as in the tests).
const userFolder = join(tmpdir(), 'n8n-acs-bench-user-folder');
mkdirSync(userFolder, { recursive: true });
process.env.N8N_USER_FOLDER ??= userFolder;
process.env.N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS ??= 'false';

async function run(spec: ScenarioSpec): Promise<ScenarioResult> {
	// Loaded after the environment is set: n8n-core reads it at import time.
	const scenarios = await import('./scenarios');
	const measure = scenarios.MEASURES[spec.kind];
	scenarios.profileTimedPartTo(spec.profileFile);
	let result: Omit<ScenarioResult, 'peakRssMb' | 'kind'>;
	try {
		result = await measure(spec);
	} catch (error) {
		const e = error as Error;
		result = { ok: false, error: e.stack ?? e.message, count: 0, wallMs: 0, cpuMs: 0, notes: [] };
	}
	// maxRSS is the process's true peak (kB), not a sample: the reason each scenario gets its own process.
	return { kind: spec.kind, ...result, peakRssMb: process.resourceUsage().maxRSS / 1024 };
}

process.once('message', (spec: ScenarioSpec) => {
	void run(spec).then((result) => {
		process.send?.(result, () => process.exit(0));
	});
});
