/**
 * One benchmark scenario in its own process (forked by bench/run.ts), so its peak RSS and CPU time are
 * its own: the emulator runs in the parent. Receives a ScenarioSpec over IPC, answers a ScenarioResult.
 */
import { mkdirSync } from 'node:fs';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
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
	const Module = require('node:module') as {
		_resolveFilename: (request: string, ...rest: unknown[]) => string;
	};
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

/**
 * --n8n-keepalive (an experiment, n8n 1.x only): n8n-core's HTTP helper builds a new http(s).Agent for every
 * request, so every request opens a new connection (and a TLS handshake). This swaps in one keep-alive agent
 * per option set, to show what n8n would gain by reusing connections. Proxy settings still go the original way.
 */
function reuseN8nConnections(): void {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const proxy = require('n8n-core/dist/http-proxy') as Record<
		string,
		(proxyUrl: unknown, target: unknown, options?: object) => unknown
	>;
	const agents = new Map<string, HttpAgent>();
	const shared = (secure: boolean, options: object = {}): HttpAgent => {
		const key = `${secure}:${JSON.stringify(options)}`;
		let agent = agents.get(key);
		if (!agent) {
			agent = secure
				? new HttpsAgent({ ...options, keepAlive: true })
				: new HttpAgent({ ...options, keepAlive: true });
			agents.set(key, agent);
		}
		return agent;
	};
	const noProxy = (proxyUrl: unknown) =>
		!proxyUrl && !process.env.HTTP_PROXY && !process.env.HTTPS_PROXY && !process.env.ALL_PROXY;
	for (const [name, secure] of [
		['createHttpProxyAgent', false],
		['createHttpsProxyAgent', true],
	] as const) {
		const original = proxy[name];
		proxy[name] = (proxyUrl, target, options) =>
			noProxy(proxyUrl) ? shared(secure, options) : original(proxyUrl, target, options);
	}
}
if (process.env.BENCH_N8N_KEEPALIVE === '1') reuseN8nConnections();

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
