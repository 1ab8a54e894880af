/** Shared pieces of the benchmark: options, the scenario protocol, statistics and the machine description. */
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';

export type ScenarioKind =
	| 'node'
	| 'floor'
	| 'overhead'
	| 'failing'
	| 'undici'
	| 'sdk'
	| 'trigger'
	| 'signing';

export interface ScenarioSpec {
	kind: ScenarioKind;
	/** Requests (calls) or event deliveries to measure. */
	n: number;
	/** Parallel requests; for the node, undefined = the node's default (requestOptions left empty). */
	concurrency?: number;
	/** Events per delivery (trigger only). */
	batch?: number;
	/** Signing only: how long to sign for. */
	durationMs?: number;
	/** Untimed requests/deliveries first, so JIT and connections are warm. */
	warmup: number;
	emulator: {
		url: string;
		connectionString: string;
		resourceId: string;
		issuer: string;
		openIdConfigurationUrl: string;
		/** The issuer's private key (JWK), so the trigger scenario signs tokens the emulator's JWKS verifies. */
		privateJwk?: Record<string, unknown>;
		kid?: string;
	};
	/** Bearer tokens to put on deliveries, cycled (trigger only). */
	tokenList?: string[];
	/** Write a CPU profile of the timed part here (.cpuprofile). */
	profileFile?: string;
	/** Emulator faults for this row (set by the parent, which runs the emulator). */
	faults?: {
		throttleRate?: number;
		maxConcurrent?: number;
		failingShare?: number;
		failingStatus?: 500 | 503;
	};
	/** Node only: Settings > On Error > Continue: failed items become error items, the run goes on. */
	continueOnFail?: boolean;
	/** Node only: Request Options > Slow Down When Throttled (undefined = the node's default, on). */
	adaptive?: boolean;
}

export interface ScenarioResult {
	kind: ScenarioKind;
	ok: boolean;
	skipped?: string;
	error?: string;
	/** Requests/deliveries/signatures measured. */
	count: number;
	/** Events measured (trigger: count × batch). */
	events?: number;
	wallMs: number;
	/** Per request (per delivery for the trigger, per signature for signing), ms. */
	p50Ms?: number;
	p99Ms?: number;
	cpuMs: number;
	/** Peak resident set of the scenario's own process (getrusage maxRSS), MB. */
	peakRssMb: number;
	/** HTTP requests actually sent (retries included), when observable. */
	requestsSent?: number;
	/** TCP connections opened during the timed part. */
	connectionsOpened?: number;
	/** With --tls: connections (full handshakes) the HTTPS front accepted for this row. */
	tlsHandshakes?: number;
	/** Overhead row: the node's CPU ÷ the floor's, median over rounds taken in turn. */
	overFloor?: number;
	/** Continue On Fail rows: calls placed per second until the last one was (error items left out). */
	healthyPerSecond?: number;
	/** Continue On Fail rows: error items, and the requests the emulator answered with an error for them. */
	errorItems?: number;
	failedAttempts?: number;
	/** Failing-items row: healthyPerSecond ÷ the same run's without failing items (median over rounds in turn). */
	vsHealthy?: number;
	notes: string[];
}

export interface Row extends ScenarioResult {
	name: string;
	concurrencyLabel: string;
	concurrency?: number;
	throughput: number;
	unit: string;
	/** Throughput relative to bare undici / the SDK at the same concurrency. */
	vsUndici?: number;
	vsSdk?: number;
}

export interface Options {
	n: number;
	events: number;
	latencyMs: number;
	quick: boolean;
	concurrencies: number[];
	only?: RegExp;
	profileDir?: string;
	out: string;
	saveBaseline: boolean;
	/** n8n line whose engine runs the node and the trigger: 1 (default) or 2. */
	n8n: 1 | 2;
	/** Clients talk HTTPS to a TLS front of the emulator, as to the real service. */
	tls: boolean;
	/** Experiment: n8n-core's HTTP helper patched to reuse keep-alive agents (n8n 1.x). */
	n8nKeepAlive: boolean;
	/** Only the queue-mode rows (bench/queue.ts): a real n8n main + webhook processor + workers. Never in --quick. */
	queue: boolean;
	/** The turn rows (bench/turns.ts): a real n8n per line, the listen loop beside n8n's resume floor. */
	turns: boolean;
	/** n8n lines for --turns: 1.x and/or 2.x. */
	lines: Array<'1.x' | '2.x'>;
	/** Only the AI agent turn row (bench/agent.ts): a real n8n with the AI receptionist and the model stand-in. */
	agent: boolean;
}

export function parseArgs(argv: string[]): Options {
	const flags = new Map<string, string | true>();
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (!arg.startsWith('--'))
			throw new Error(`Unexpected argument "${arg}". Flags: see the README, section Performance.`);
		const eq = arg.indexOf('=');
		if (eq > 0) flags.set(arg.slice(2, eq), arg.slice(eq + 1));
		else if (argv[i + 1] !== undefined && !argv[i + 1].startsWith('--'))
			flags.set(arg.slice(2), argv[++i]);
		else flags.set(arg.slice(2), true);
	}
	const known = [
		'n',
		'events',
		'latency',
		'quick',
		'concurrency',
		'only',
		'profile',
		'out',
		'save-baseline',
		'n8n',
		'tls',
		'n8n-keepalive',
		'queue',
		'turns',
		'lines',
		'agent',
	];
	for (const name of flags.keys()) {
		if (!known.includes(name))
			throw new Error(`Unknown flag --${name}. Known: ${known.map((k) => `--${k}`).join(' ')}`);
	}
	const quick = flags.get('quick') === true;
	const queue = flags.get('queue') === true;
	const turns = flags.get('turns') === true;
	const lineList = flags.get('lines');
	const lines = (
		typeof lineList === 'string' ? lineList.split(',') : quick ? ['1.x'] : ['1.x', '2.x']
	).map((l) => {
		if (l !== '1.x' && l !== '2.x')
			throw new Error(`--lines takes 1.x and/or 2.x (got ${String(lineList)}).`);
		return l;
	}) as Array<'1.x' | '2.x'>;
	if (queue && quick)
		throw new Error('--queue starts a queue-mode n8n (minutes): it is not part of --quick.');
	const int = (name: string, fallback: number): number => {
		const v = flags.get(name);
		if (v === undefined) return fallback;
		const n = Number(v);
		if (!Number.isInteger(n) || n < 0)
			throw new Error(`--${name} must be a whole number (got ${String(v)}).`);
		return n;
	};
	const list = flags.get('concurrency');
	const concurrencies =
		typeof list === 'string'
			? list.split(',').map((c) => {
					const n = Number(c);
					if (!Number.isInteger(n) || n < 1)
						throw new Error(
							`--concurrency takes a comma-separated list of whole numbers (got ${list}).`,
						);
					return n;
				})
			: quick
				? [32]
				: [1, 8, 32, 64];
	const profile = flags.get('profile');
	const only = flags.get('only');
	return {
		// --queue: contacts of the campaign and events posted to the webhook processor.
		n: Math.max(1, int('n', queue ? 1000 : quick ? 200 : 2000)),
		events: Math.max(1, int('events', queue ? 2000 : quick ? 2000 : 20_000)),
		latencyMs: int('latency', 25),
		quick,
		concurrencies,
		only: typeof only === 'string' ? new RegExp(only, 'i') : undefined,
		profileDir:
			profile === undefined
				? undefined
				: profile === true
					? join(tmpdir(), 'acs-bench-profiles')
					: profile,
		out:
			typeof flags.get('out') === 'string'
				? (flags.get('out') as string)
				: queue
					? 'bench/results-queue.json'
					: turns
						? 'bench/results-turns.json'
						: flags.get('agent') === true
							? 'bench/results-agent.json'
							: 'bench/results.json',
		saveBaseline: flags.get('save-baseline') === true,
		n8n: flags.get('n8n') === '2' ? 2 : 1,
		tls: flags.get('tls') === true,
		n8nKeepAlive: flags.get('n8n-keepalive') === true,
		queue,
		turns,
		lines,
		agent: flags.get('agent') === true,
	};
}

export function percentile(sorted: Float64Array, p: number): number {
	if (sorted.length === 0) return NaN;
	const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
	return sorted[i];
}

export function latencySummary(samples: Float64Array): { p50Ms: number; p99Ms: number } {
	const sorted = samples.slice().sort();
	return { p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99) };
}

/** Runs fn(0..n-1) with at most `concurrency` in flight, like the node's router does. */
export async function pool(
	n: number,
	concurrency: number,
	fn: (i: number) => Promise<void>,
): Promise<void> {
	let next = 0;
	const worker = async (): Promise<void> => {
		while (next < n) await fn(next++);
	};
	await Promise.all(Array.from({ length: Math.min(n, concurrency) }, worker));
}

export function machine(): Record<string, unknown> {
	const list = cpus();
	return {
		cpus: list.length,
		cpuModel: list[0]?.model ?? 'unknown',
		memoryGb: Math.round(totalmem() / 2 ** 30),
		node: process.version,
		platform: `${process.platform} ${process.arch}`,
		// Other work on the machine skews wall times (not CPU per request): kept with every result.
		loadAverage1m: Number(loadavg()[0].toFixed(2)),
	};
}

/** The callee of item i: distinct, valid E.164 numbers. */
export const calleeNumber = (i: number): string =>
	`+1425${String(5_000_000 + (i % 5_000_000)).padStart(7, '0')}`;
export const CALLER_ID = '+14255550199';
export const CALLBACK_URL = 'https://bench.example.com/acs/callback';
