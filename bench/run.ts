/**
 * `npm run bench [-- flags]`: performance figures for the package (a benchmark, not a test: nothing here
 * asserts timings). The ACS emulator runs in this process with a fixed round-trip latency and callback
 * events off; every scenario runs in its own child process (bench/scenario.ts) so its peak RSS and CPU
 * time are its own. Prints a table and writes bench/results.json.
 */
import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

import { startEmulator, type Emulator } from '../emulator';
import { DEFAULT_CONCURRENCY } from '../nodes/AzureCallAutomation/descriptions/requestOptions';
import { makeTokens } from './scenarios';
import { startTlsFront } from './tls';
import {
	machine,
	parseArgs,
	type Options,
	type Row,
	type ScenarioResult,
	type ScenarioSpec,
} from './lib';

const CALL_KINDS: string[] = ['node', 'floor', 'undici', 'sdk'];

/** The node's own default (requestOptions.concurrency). */
const NODE_DEFAULT_CONCURRENCY = DEFAULT_CONCURRENCY;

interface Planned {
	name: string;
	concurrencyLabel: string;
	spec: ScenarioSpec;
}

function plan(options: Options, emulator: ScenarioSpec['emulator']): Planned[] {
	const planned: Planned[] = [];
	const warmup = options.quick ? 20 : 50;
	const concurrencies = [...new Set([NODE_DEFAULT_CONCURRENCY, ...options.concurrencies])].sort(
		(a, b) => a - b,
	);
	for (const c of concurrencies) {
		const isDefault = c === NODE_DEFAULT_CONCURRENCY;
		if (isDefault || options.concurrencies.includes(c)) {
			planned.push({
				name: 'node',
				concurrencyLabel: isDefault ? `${c} (default)` : String(c),
				// The default row leaves requestOptions empty, as a user who never opens it does.
				spec: {
					kind: 'node',
					n: options.n,
					concurrency: isDefault ? undefined : c,
					warmup,
					emulator,
				},
			});
		}
		if (isDefault) {
			planned.push({
				name: 'node over floor, in turns',
				concurrencyLabel: `${c} (default)`,
				spec: { kind: 'overhead', n: options.n, warmup, emulator },
			});
		}
		for (const kind of ['floor', 'undici', 'sdk'] as const) {
			// The floor matters where the node is CPU-bound, not at low concurrency where latency rules.
			if (kind === 'floor' && (c < NODE_DEFAULT_CONCURRENCY || options.quick)) continue;
			planned.push({
				name: kind === 'floor' ? 'n8n httpRequest floor' : kind,
				concurrencyLabel: String(c),
				spec: { kind, n: options.n, concurrency: c, warmup, emulator },
			});
		}
	}
	// Throttling: the node's default concurrency with its adaptive limit vs a fixed one. Random 429s (a
	// fifth of all requests, whatever the load) and load-dependent 429s (above 8 requests at once, as a
	// rate-limited service answers). The emulator's Retry-After is 20 ms (retry-after-ms), to keep rows short.
	const throttleCases: Array<[string, NonNullable<ScenarioSpec['faults']>]> = options.quick
		? [['20% 429', { throttleRate: 0.2 }]]
		: [
				['20% 429', { throttleRate: 0.2 }],
				['429 above 8 at once', { maxConcurrent: 8 }],
			];
	for (const [label, faults] of throttleCases) {
		for (const adaptive of [true, false]) {
			planned.push({
				name: `node ${label}, ${adaptive ? 'adaptive' : 'fixed'}`,
				concurrencyLabel: String(NODE_DEFAULT_CONCURRENCY),
				spec: {
					kind: 'node',
					n: options.n,
					concurrency: undefined,
					adaptive,
					faults,
					warmup,
					emulator,
				},
			});
		}
	}
	// Items that keep failing (Continue On Fail on): a tenth of the numbers always answered 503 (with the
	// emulator's 20 ms retry-after-ms) or 500 (no Retry-After: the node's own back-off), in turns with the
	// same run without failing numbers. Throughput is the pace of the calls placed, until the last one was.
	const failingCases: Array<[string, NonNullable<ScenarioSpec['faults']>]> = [
		['503', { failingShare: 0.1 }],
		...(options.quick
			? []
			: [
					['500', { failingShare: 0.1, failingStatus: 500 }] as [
						string,
						NonNullable<ScenarioSpec['faults']>,
					],
				]),
	];
	for (const [status, faults] of failingCases) {
		planned.push({
			name: `node Continue On Fail, 10% always ${status}`,
			concurrencyLabel: String(NODE_DEFAULT_CONCURRENCY),
			spec: {
				kind: 'failing',
				n: Math.min(options.n, 1000),
				concurrency: undefined,
				faults,
				warmup,
				emulator,
			},
		});
	}
	// --quick keeps CI short: no floor rows, no repeated-token row.
	for (const [batch, fresh] of options.quick
		? ([
				[1, true],
				[10, true],
			] as const)
		: ([
				[1, true],
				[10, true],
				[1, false],
			] as const)) {
		planned.push({
			name: `trigger batch=${batch}${fresh ? '' : ' same token'}`,
			concurrencyLabel: '1',
			spec: {
				kind: 'trigger',
				n: Math.max(1, Math.round(options.events / batch)),
				batch,
				concurrency: 1,
				warmup: 1000,
				tokenList: fresh ? [] : undefined,
				emulator,
			},
		});
	}
	planned.push({
		name: 'signing',
		concurrencyLabel: '1',
		spec: { kind: 'signing', n: 0, durationMs: options.quick ? 500 : 2000, warmup: 0, emulator },
	});
	return options.only
		? planned.filter((p) => options.only?.test(`${p.name} c=${p.concurrencyLabel}`))
		: planned;
}

async function runScenario(
	planned: Planned,
	options: Options,
	caFile?: string,
): Promise<ScenarioResult> {
	const spec = { ...planned.spec };
	if (options.profileDir) {
		mkdirSync(options.profileDir, { recursive: true });
		const name = `${planned.name}-c${planned.spec.concurrency ?? 'default'}`.replace(
			/[^\w.=-]+/g,
			'_',
		);
		spec.profileFile = resolve(options.profileDir, `${name}.cpuprofile`);
	}
	const child = fork(join(__dirname, 'scenario.ts'), [], {
		// tsx's loader stays; --expose-gc lets the in-turns row collect garbage between turns, outside its measure.
		execArgv: [...process.execArgv, '--expose-gc'],
		stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
		env: {
			...process.env,
			BENCH_N8N: String(options.n8n),
			BENCH_N8N_KEEPALIVE: options.n8nKeepAlive ? '1' : '0',
			...(caFile ? { NODE_EXTRA_CA_CERTS: caFile } : {}),
		},
	});
	return await new Promise<ScenarioResult>((resolvePromise, reject) => {
		let result: ScenarioResult | undefined;
		child.once('message', (message) => {
			result = message as ScenarioResult;
		});
		child.once('error', reject);
		child.once('exit', (code) => {
			if (result) resolvePromise(result);
			else
				reject(
					new Error(
						`${planned.name} c=${planned.concurrencyLabel}: the scenario process exited (${code}) without a result.`,
					),
				);
		});
		child.send(spec);
	});
}

function toRow(planned: Planned, result: ScenarioResult): Row {
	const unit =
		result.healthyPerSecond !== undefined
			? 'calls/s'
			: result.kind === 'trigger'
				? 'events/s'
				: result.kind === 'signing'
					? 'sig/s'
					: 'req/s';
	const units = result.kind === 'trigger' ? (result.events ?? result.count) : result.count;
	return {
		...result,
		name: planned.name,
		concurrencyLabel: planned.concurrencyLabel,
		concurrency: planned.spec.concurrency ?? NODE_DEFAULT_CONCURRENCY,
		throughput: result.healthyPerSecond ?? (result.wallMs > 0 ? (units * 1000) / result.wallMs : 0),
		unit,
	};
}

function addRatios(rows: Row[]): void {
	const find = (name: string, c: number | undefined) =>
		rows.find((r) => r.name === name && r.concurrency === c && r.ok && !r.skipped);
	for (const row of rows) {
		if (row.vsHealthy === undefined || !row.ok) continue;
		const attempts = row.errorItems ? (row.failedAttempts ?? 0) / row.errorItems : 0;
		row.notes.push(
			`healthy calls/s ${fmt(row.healthyPerSecond)} = ${fmt(row.vsHealthy, 2)}× the run without failing items (median of rounds; goal ≥ 0.8×); ` +
				`attempts per failing item ${fmt(attempts, 1)} (goal ≤ 5); ${fmt(row.errorItems)} error items in all`,
		);
	}
	for (const row of rows) {
		if (!CALL_KINDS.includes(row.kind) || row.skipped || !row.ok) continue;
		const undici = find('undici', row.concurrency);
		const sdk = find('sdk', row.concurrency);
		if (undici?.throughput) row.vsUndici = row.throughput / undici.throughput;
		if (sdk?.throughput) row.vsSdk = row.throughput / sdk.throughput;
	}
}

const fmt = (v: number | undefined, digits = 0): string =>
	v === undefined || Number.isNaN(v)
		? '-'
		: v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

export function table(rows: Row[]): string {
	const header = [
		'Scenario',
		'Conc.',
		'Count',
		'Wall s',
		'Throughput',
		'p50 ms',
		'p99 ms',
		'CPU µs/unit',
		'Per CPU-s',
		'Peak RSS MB',
		'vs undici',
		'vs SDK',
	];
	const lines = rows.map((r) => {
		if (r.skipped)
			return [
				r.name,
				r.concurrencyLabel,
				'-',
				'-',
				`skipped: ${r.skipped}`,
				'',
				'',
				'',
				'',
				'',
				'',
				'',
			];
		if (!r.ok)
			return [
				r.name,
				r.concurrencyLabel,
				'-',
				'-',
				'FAILED (see above)',
				'',
				'',
				'',
				'',
				'',
				'',
				'',
			];
		const units = r.kind === 'trigger' ? (r.events ?? r.count) : r.count;
		const count =
			r.kind === 'trigger'
				? `${fmt(r.count)}×${r.events && r.count ? r.events / r.count : 1}`
				: fmt(r.count);
		const small = r.kind === 'signing' || r.kind === 'trigger';
		return [
			r.name,
			r.concurrencyLabel,
			count,
			fmt(r.wallMs / 1000, 2),
			`${fmt(r.throughput)} ${r.unit}`,
			fmt(r.p50Ms, small ? 3 : 1),
			fmt(r.p99Ms, small ? 3 : 1),
			fmt((r.cpuMs * 1000) / units, small ? 1 : 0),
			// Throughput one fully busy core would give: robust to a machine shared with other work.
			fmt(r.cpuMs > 0 ? (units * 1000) / r.cpuMs : undefined),
			fmt(r.peakRssMb),
			r.vsUndici === undefined || r.name === 'undici' ? '' : `${fmt(r.vsUndici, 2)}×`,
			r.vsSdk === undefined || r.name === 'sdk' ? '' : `${fmt(r.vsSdk, 2)}×`,
		];
	});
	const all = [header, ...lines];
	const widths = header.map((_, i) => Math.max(...all.map((l) => l[i].length)));
	const render = (l: string[]) =>
		`| ${l.map((c, i) => (i >= 2 && i !== 4 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ')} |`;
	return [
		render(header),
		`|${widths.map((w, i) => (i >= 2 && i !== 4 ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`,
		...lines.map(render),
	].join('\n');
}

/** What a bench that runs a real n8n of its own (--queue, --turns, --agent) prints and writes. */
interface OwnRun {
	table: string;
	notes: string[];
	results: Record<string, unknown>;
}

/** Runs one of those benches: a header line, its table and notes, and its results file. */
async function runOwnTable(
	label: string,
	title: string,
	options: Options,
	run: (log: (line: string) => void) => Promise<OwnRun>,
): Promise<void> {
	const info = machine();
	const t0 = Date.now();
	const log = (line: string) =>
		console.log(`[${label} ${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${line}`);
	log(
		`ACS Call Automation bench, ${title}: ${info.cpus} × ${String(info.cpuModel)}, Node ${String(info.node)}, load ${String(info.loadAverage1m)}`,
	);
	const { table: printed, notes, results } = await run(log);
	info.loadAverage1mAtEnd = machine().loadAverage1m;
	console.log(`\n${printed}\n`);
	for (const note of notes) console.log(note);
	const out = resolve(options.out);
	mkdirSync(dirname(out), { recursive: true });
	writeFileSync(
		out,
		`${JSON.stringify({ date: new Date().toISOString(), machine: info, options: { ...options, only: options.only?.source }, ...results }, null, '\t')}\n`,
	);
	console.log(`Results: ${out}`);
}

/** --queue: only the queue-mode rows (bench/queue.ts). */
async function mainQueue(options: Options): Promise<void> {
	const { runQueueBench, queueTable } = await import('./queue');
	await runOwnTable('queue', 'queue mode', options, async (log) => {
		const rows = await runQueueBench(options, log);
		const method = {
			set: 'n8n 1.x in queue mode (e2e/lib/queue.ts): main, one webhook processor, workers at concurrency 10, Redis and Postgres on loopback',
			cpu: 'user+sys ticks from /proc/<pid>/stat of each n8n process and its descendants, before and after the run, summed by role',
			emulator:
				'in the bench process; fixed server-side delay per request (--latency), callback events off',
		};
		const notes = rows.flatMap((r) =>
			r.notes.map((note) => `${r.name}, ${r.workers} worker(s): ${note}`),
		);
		return { table: queueTable(rows), notes, results: { method, rows } };
	});
}

/** --turns: the turn rows (bench/turns.ts). */
async function mainTurns(options: Options): Promise<void> {
	const { runTurnBench, turnTable } = await import('./turns');
	await runOwnTable('turns', 'turns', options, async (log) => {
		const { rows, cpu } = await runTurnBench({ lines: options.lines, quick: options.quick }, log);
		const method = {
			set: 'a real n8n per line (e2e/lib/n8n.ts, SQLite, one process, run with --cpu-prof), the emulator and the floor server in the bench process',
			turn: 'listen loop: emulator starts posting RecognizeCompleted → next recognize request arrives; floor: resume POST starts → next HTTP Request arrives',
			think: 'the emulator and the floor server answer 20 ms after a request',
		};
		const notes = rows.flatMap((r) =>
			r.notes.map((note) => `${r.line} ${r.loop}, ${r.conversations} conversation(s): ${note}`),
		);
		return { table: turnTable(rows, cpu), notes, results: { method, rows, cpu } };
	});
}

/** --agent: only the AI agent turn row (bench/agent.ts). */
async function mainAgent(options: Options): Promise<void> {
	const { runAgentBench, agentTable } = await import('./agent');
	await runOwnTable('agent', 'AI agent turn', options, async (log) => {
		const rows = await runAgentBench(options, log);
		const notes = rows.flatMap((r) => r.notes.map((note) => `${r.name}: ${note}`));
		return { table: agentTable(rows), notes, results: { rows } };
	});
}

async function main(): Promise<void> {
	const options = parseArgs(process.argv.slice(2));
	if (options.queue) return await mainQueue(options);
	if (options.turns) return await mainTurns(options);
	if (options.agent) return await mainAgent(options);
	const emu: Emulator = await startEmulator({
		port: 0,
		deliverEvents: false,
		eventHistoryLimit: 100,
		faults: { latencyMs: options.latencyMs },
	});
	const tls = options.tls ? await startTlsFront(emu.port) : undefined;
	// The trigger scenario signs its tokens with the issuer's key, so the JWKS the emulator publishes verifies them.
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	const jwt = emu.context.jwt as any;
	const emulator: ScenarioSpec['emulator'] = {
		url: emu.url,
		connectionString: tls ? `endpoint=${tls.url};accesskey=${emu.accessKey}` : emu.connectionString,
		resourceId: emu.resourceId,
		issuer: emu.issuer,
		openIdConfigurationUrl: emu.openIdConfigurationUrl,
		privateJwk: jwt.privateKey.export({ format: 'jwk' }) as Record<string, unknown>,
		kid: jwt.kid as string,
	};
	const planned = plan(options, emulator);
	const info = machine();
	console.log(
		`ACS Call Automation bench: ${info.cpus} × ${String(info.cpuModel)}, Node ${String(info.node)}, load ${String(info.loadAverage1m)}; emulator round trip ${options.latencyMs} ms, ` +
			`${options.n} calls, ${options.events} events${options.quick ? ' (quick)' : ''}, n8n ${options.n8n}.x engine${options.n8nKeepAlive ? ' patched to reuse connections' : ''}${tls ? ', HTTPS' : ''}; ${planned.length} scenarios, one process each.`,
	);
	// Fresh tokens: more than the trigger's verified-token cache holds (4,096, oldest first out), so cycling
	// them never hits it and every delivery pays a full RS256 verification. Made once, shared by the trigger rows.
	let tokenCache: string[] | undefined;
	const tokens = (): string[] =>
		(tokenCache ??= makeTokens(emulator, Math.min(5000, options.events + 1000)));
	const rows: Row[] = [];
	let failed = 0;
	for (const p of planned) {
		emu.reset();
		if (p.spec.faults) emu.setFaults({ latencyMs: options.latencyMs, ...p.spec.faults });
		const throttledBefore = emu.context.faults.injected.throttle;
		const tlsBefore = tls?.connections() ?? 0;
		const label = `${p.name} c=${p.concurrencyLabel}`;
		process.stdout.write(`  ${label} ... `);
		if (p.spec.kind === 'trigger')
			p.spec.tokenList = p.spec.tokenList ? tokens() : tokens().slice(0, 1);
		let result: ScenarioResult;
		try {
			result = await runScenario(p, options, tls?.caFile);
		} catch (error) {
			result = {
				kind: p.spec.kind,
				ok: false,
				error: (error as Error).message,
				count: 0,
				wallMs: 0,
				cpuMs: 0,
				peakRssMb: 0,
				notes: [],
			};
		}
		const isCall = CALL_KINDS.includes(p.spec.kind);
		const created = emu.context.store.callsCreated;
		const expected = p.spec.n + p.spec.warmup;
		if (result.ok && !result.skipped && isCall && created !== expected) {
			result = {
				...result,
				ok: false,
				error: `the emulator created ${created} calls, expected ${expected}`,
			};
		}
		if (tls && CALL_KINDS.includes(p.spec.kind))
			result.tlsHandshakes = tls.connections() - tlsBefore;
		if (p.spec.faults) {
			// Warm-up included: the emulator cannot tell the timed part from it.
			const throttled = emu.context.faults.injected.throttle - throttledBefore;
			const what = p.spec.faults.failingShare
				? `error answers for failing items: ${fmt(result.failedAttempts)}`
				: `429 answers (warm-up included): ${fmt(throttled)}`;
			result.notes = [
				...(result.notes ?? []),
				`${what}; requests sent in the timed part: ${fmt(result.requestsSent)} for ${fmt(result.count)} calls`,
			];
			emu.setFaults({ latencyMs: options.latencyMs });
		}
		const row = toRow(p, result);
		rows.push(row);
		if (!result.ok) failed++;
		console.log(
			result.skipped
				? `skipped (${result.skipped})`
				: result.ok
					? `${fmt(row.throughput)} ${row.unit} in ${fmt(result.wallMs / 1000, 2)} s, peak RSS ${fmt(result.peakRssMb)} MB`
					: `FAILED\n${result.error}`,
		);
	}
	await tls?.close();
	await emu.close();
	info.loadAverage1mAtEnd = machine().loadAverage1m;
	addRatios(rows);
	console.log(`\n${table(rows)}\n`);
	for (const r of rows) {
		const notes = [...r.notes];
		if (r.tlsHandshakes !== undefined)
			notes.push(
				`TLS handshakes (warm-up included): ${fmt(r.tlsHandshakes)} for ${fmt(r.count)} requests`,
			);
		else if (r.connectionsOpened !== undefined && r.count > 0)
			notes.push(
				`TCP connections opened: ${fmt(r.connectionsOpened)} for ${fmt(r.requestsSent ?? r.count)} requests`,
			);
		for (const note of notes) console.log(`${r.name} c=${r.concurrencyLabel}: ${note}`);
	}
	const report = {
		date: new Date().toISOString(),
		machine: info,
		options: { ...options, only: options.only?.source },
		method: {
			emulator:
				'in the bench process; fixed server-side delay per request (--latency), callback events off',
			scenarios:
				'one child process each; peak RSS = getrusage maxRSS of that process; CPU = user+sys of the timed part',
			latency:
				'per request, from the HTTP request start to its response (node:http diagnostics channel for the node and the SDK, around pool.request for undici); per delivery for the trigger; per signature for signing',
		},
		rows,
	};
	const out = resolve(options.out);
	mkdirSync(dirname(out), { recursive: true });
	writeFileSync(out, `${JSON.stringify(report, null, '\t')}\n`);
	if (options.saveBaseline)
		writeFileSync(resolve('bench/baseline.json'), `${JSON.stringify(report, null, '\t')}\n`);
	console.log(`Results: ${out}${options.saveBaseline ? ' and bench/baseline.json' : ''}`);
	if (options.profileDir)
		console.log(`CPU profiles: ${options.profileDir} (npx tsx bench/profile-summary.ts <file>)`);
	if (failed > 0) {
		console.error(`${failed} scenario(s) failed.`);
		process.exitCode = 1;
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
