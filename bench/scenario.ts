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

/** --n8n 2: the n8n 2.x engine (installed under npm aliases), mapped the way jest's n8n-2.x project maps it. */
function useN8nV2(): void {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const Module = require('node:module') as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
	const root = join(__dirname, '..', 'node_modules');
	const map: Record<string, string> = {
		'n8n-core': join(root, 'n8n-core-v2'),
		'n8n-workflow': join(root, 'n8n-workflow-v2'),
		// One DI container: npm nests several copies of @n8n/di under the 2.x packages.
		'@n8n/di': join(root, 'n8n-core-v2', 'node_modules', '@n8n', 'di'),
	};
	const resolveFilename = Module._resolveFilename;
	Module._resolveFilename = function (request: string, ...rest: unknown[]) {
		return resolveFilename.call(this, map[request] ?? request, ...rest);
	};
}
if (process.env.BENCH_N8N === '2') useN8nV2();

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
