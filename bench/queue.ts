/**
 * `npm run bench -- --queue`: the package in a real n8n in queue mode (the e2e's set-up, e2e/lib/queue.ts:
 * Redis and Postgres on loopback, n8n 1.x main + one webhook processor + workers) against the emulator in
 * this process (fixed round trip, callback events off). Not part of --quick: it starts four n8n processes.
 *
 * - campaign: examples/campaign.json + campaign-batch.json over the first --n contacts of
 *   campaign-contacts.csv, on 1 worker and then on 2; as shipped (each batch paced at 10 calls per second,
 *   4 batches at once) and unpaced (no requests-per-second limit). CPU per call = the CPU time (user + system,
 *   from /proc/<pid>/stat, the process and its descendants) the workers spent during the run ÷ calls placed.
 * - events: signed call events (RS256 tokens from the emulator's issuer) posted to a trigger's production
 *   URL on the webhook processor, 16 at a time; only `{"status":"accepted"}` answers count.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { execFileSync } from 'node:child_process';

import { startEmulator, type Emulator } from '../emulator';
import {
	ACS_CREDENTIAL_TYPE,
	EXAMPLES_DIR,
	LINES,
	N8nClient,
	TRIGGER_TYPE,
	buildPackage,
	ensureInstall,
	freePort,
	newOwner,
	prepareExample,
	productionUrl,
	readExamples,
	stagePackage,
	waitFor,
	WaitAbort,
	type WorkflowJson,
} from '../e2e/lib/n8n';
import { callEvent } from '../e2e/lib/events';
import {
	executionSpans,
	mostAtOnce,
	removeClusterDir,
	startCluster,
	startQueueProcess,
	workerOf,
	type QueueCluster,
	type QueueProcess,
} from '../e2e/lib/queue';
import { latencySummary, pool, type Options } from './lib';
import { makeTokens } from './scenarios';

export interface QueueRow {
	name: string;
	workers: number;
	count: number;
	unit: string;
	wallMs: number;
	throughput: number;
	p50Ms?: number;
	p99Ms?: number;
	/** CPU ms during the run, by role (summed over the processes of that role). */
	cpuMs: { workers: number; webhook: number; main: number };
	notes: string[];
}

const line = LINES['1.x'];
const CAMPAIGN_PARENT = 'campaign.json';
const CAMPAIGN_BATCH = 'campaign-batch.json';
const EVENTS = 'outage-call-events.json';

// ------------------------------------------------------------------------------------------ CPU from /proc

let clockTicks: number | undefined;
function ticksPerSecond(): number {
	if (clockTicks === undefined) {
		try {
			clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
		} catch {
			clockTicks = 100;
		}
	}
	return clockTicks;
}

/** utime + stime (ticks) and the parent pid of every process, from /proc/<pid>/stat. */
function procTable(): Map<number, { ppid: number; ticks: number }> {
	const table = new Map<number, { ppid: number; ticks: number }>();
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		let stat: string;
		try {
			stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
		} catch {
			continue;
		}
		// The command name is in parentheses and may hold spaces: fields count from after its ')'.
		const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		// f[0] = state (field 3), f[1] = ppid (4), f[11] = utime (14), f[12] = stime (15).
		table.set(Number(entry), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) });
	}
	return table;
}

/** CPU ms of each process and its descendants (n8n's task runners, if any), by pid. */
function cpuMsOf(pids: number[]): Map<number, number> {
	const table = procTable();
	const children = new Map<number, number[]>();
	for (const [pid, { ppid }] of table) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
	const result = new Map<number, number>();
	for (const root of pids) {
		let ticks = 0;
		for (const stack = [root]; stack.length; ) {
			const pid = stack.pop() as number;
			ticks += table.get(pid)?.ticks ?? 0;
			stack.push(...(children.get(pid) ?? []));
		}
		result.set(root, (ticks * 1000) / ticksPerSecond());
	}
	return result;
}

interface Procs {
	main: QueueProcess;
	webhook: QueueProcess;
	workers: QueueProcess[];
}

/** Starts CPU accounting; the returned function gives the CPU ms by role since then. */
function cpuMeter(procs: Procs): () => QueueRow['cpuMs'] {
	const list = [procs.main, procs.webhook, ...procs.workers];
	const pids = list.map((p) => p.child.pid as number);
	const before = cpuMsOf(pids);
	return () => {
		const after = cpuMsOf(pids);
		const used = (p: QueueProcess) =>
			(after.get(p.child.pid as number) ?? 0) - (before.get(p.child.pid as number) ?? 0);
		return {
			workers: procs.workers.reduce((sum, w) => sum + used(w), 0),
			webhook: used(procs.webhook),
			main: used(procs.main),
		};
	};
}

// ------------------------------------------------------------------------------------------ the runs

type Json = Record<string, unknown>;

async function executionStatus(client: N8nClient, id: string): Promise<string | undefined> {
	return (await client.execution(id)).status;
}

async function runCampaign(
	client: N8nClient,
	procs: Procs,
	emu: Emulator,
	parentId: string,
	batchId: string,
	contacts: number,
	label: string,
): Promise<QueueRow> {
	emu.reset();
	const before = emu.context.store.callsCreated;
	const meter = cpuMeter(procs);
	const startedAt = Date.now();
	const t0 = performance.now();
	const executionId = await client.runManually(parentId, 'When clicking ‘Execute workflow’');
	await waitFor(
		`campaign execution ${executionId}`,
		async () => {
			const status = await executionStatus(client, executionId);
			if (status === 'error' || status === 'crashed')
				throw new WaitAbort(`the campaign execution ${executionId} ended "${status}"`);
			return status === 'success' ? true : undefined;
		},
		Math.max(180_000, contacts * 200),
		100,
	);
	const wallMs = performance.now() - t0;
	const cpuMs = meter();
	// This run's batches: those started since it began (with a second of clock skew between processes).
	const spans = executionSpans(await client.executions(batchId), procs.workers).filter(
		(s) => s.start >= startedAt - 1000,
	);
	const atOnce = mostAtOnce(spans);
	const placed = emu.context.store.callsCreated - before;
	if (placed !== contacts)
		throw new Error(`${label}: the emulator created ${placed} calls for ${contacts} contacts.`);
	const throttled = emu.context.faults.injected.throttle;
	return {
		name: label,
		workers: procs.workers.length,
		count: contacts,
		unit: 'calls/s',
		wallMs,
		throughput: (contacts * 1000) / wallMs,
		cpuMs,
		notes: [
			`${Math.ceil(contacts / 50)} batch executions of 50 (+1 campaign execution, on ${workerOf(procs.workers, executionId) ?? 'a worker'}); 429 answers: ${throttled}`,
			`most batches running at once: ${atOnce.all} (per worker ${JSON.stringify(atOnce.perWorker)}), from ${spans.length} batch executions' start and stop times`,
		],
	};
}

/** The campaign workflows as imported, with their batch node's Request Options changed. */
async function setBatchPacing(
	client: N8nClient,
	batchId: string,
	maxRequestsPerSecond: number | undefined,
): Promise<void> {
	const wf = await client.workflow(batchId);
	const wasActive = wf.active === true;
	if (wasActive) await client.deactivate(batchId);
	for (const n of wf.nodes) {
		if (n.type.endsWith('.azureCallAutomation')) {
			const options = { ...((n.parameters.requestOptions ?? {}) as Json) };
			if (maxRequestsPerSecond === undefined) delete options.maxRequestsPerSecond;
			else options.maxRequestsPerSecond = maxRequestsPerSecond;
			n.parameters.requestOptions = options;
		}
	}
	await client.updateWorkflow(batchId, wf);
	await client.activate(batchId);
}

/** A CloudEvents array of one call event, as ACS posts it to a callback URL. */
function eventBody(n: number): string {
	return JSON.stringify([
		callEvent(`bench-${n % 1000}`, { serverCallId: 'bench', operationContext: `bench-${n}` }),
	]);
}

async function postEvents(
	url: string,
	procs: Procs,
	tokens: string[],
	count: number,
	label: string,
): Promise<QueueRow> {
	const bodies = Array.from({ length: count }, (_, n) => eventBody(n));
	const samples = new Float64Array(count);
	const answers: Record<string, number> = {};
	const meter = cpuMeter(procs);
	const t0 = performance.now();
	await pool(count, 16, async (i) => {
		const t = performance.now();
		const res = await fetch(url, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				authorization: `Bearer ${tokens[i % tokens.length]}`,
			},
			body: bodies[i],
		});
		const text = await res.text();
		samples[i] = performance.now() - t;
		let status = `${res.status}`;
		try {
			status = `${res.status} ${String((JSON.parse(text) as Json).status)}`;
		} catch {
			status = `${res.status} ${text.slice(0, 80)}`;
		}
		answers[status] = (answers[status] ?? 0) + 1;
	});
	const wallMs = performance.now() - t0;
	const cpuMs = meter();
	const accepted = answers['200 accepted'] ?? 0;
	if (accepted !== count)
		throw new Error(
			`${label}: ${accepted} of ${count} events accepted; answers: ${JSON.stringify(answers)}`,
		);
	return {
		name: label,
		workers: procs.workers.length,
		count: accepted,
		unit: 'events/s',
		wallMs,
		throughput: (accepted * 1000) / wallMs,
		...latencySummary(samples),
		cpuMs,
		notes: [
			`${tokens.length === 1 ? 'one token on every event' : `${tokens.length} distinct tokens (a full RS256 check each)`}; 16 posts in flight; answers: ${JSON.stringify(answers)}; the workers run the queued executions meanwhile (their CPU is in the row)`,
		],
	};
}

// ------------------------------------------------------------------------------------------ the bench

export async function runQueueBench(
	options: Options,
	log: (line: string) => void,
): Promise<QueueRow[]> {
	const contacts = Math.min(options.n, 10_000);
	const events = options.events;
	log(
		`queue mode: n8n ${line.name} main + webhook processor + 1, then 2 workers (concurrency 10); ${contacts} contacts, ${events} events; emulator round trip ${options.latencyMs} ms`,
	);
	await ensureInstall(line, log);
	// Built and packed here; another build in the same checkout (rimraf dist) may empty dist/ in between,
	// so the staged package is checked and staged again when its nodes are missing.
	const stage = async (folder: string): Promise<void> => {
		for (let attempt = 1; ; attempt++) {
			await buildPackage(log);
			const target = await stagePackage(folder, log);
			if (
				existsSync(
					join(target, 'dist', 'nodes', 'AzureCallAutomation', 'AzureCallAutomation.node.js'),
				)
			)
				return;
			if (attempt === 3)
				throw new Error(
					`The packed package has no dist/ (${target}): is another build running in this checkout?`,
				);
			log('  the packed package has no dist/ (another build ran meanwhile): building again');
		}
	};
	const cluster: QueueCluster = await startCluster(log, stage);
	const emu = await startEmulator({
		port: 0,
		deliverEvents: false,
		eventHistoryLimit: 100,
		faults: { latencyMs: options.latencyMs },
	});
	const procs: Partial<Procs> & { workers: QueueProcess[] } = { workers: [] };
	const all = (): QueueProcess[] =>
		[procs.main, procs.webhook, ...procs.workers].filter((p): p is QueueProcess => !!p);
	const rows: QueueRow[] = [];
	try {
		const webhookPort = await freePort();
		const webhookUrl = `http://127.0.0.1:${webhookPort}/`;
		procs.main = await startQueueProcess({
			line,
			cluster,
			role: 'main',
			name: 'main',
			webhookUrl,
			log,
		});
		const [webhook, worker1] = await Promise.all([
			startQueueProcess({
				line,
				cluster,
				role: 'webhook',
				name: 'webhook',
				port: webhookPort,
				webhookUrl,
				log,
			}),
			startQueueProcess({ line, cluster, role: 'worker', name: 'worker-1', webhookUrl, log }),
		]);
		procs.webhook = webhook;
		procs.workers.push(worker1);
		const ready = (): Procs => ({
			main: procs.main as QueueProcess,
			webhook,
			workers: [...procs.workers],
		});
		const client = new N8nClient(procs.main.url);
		await client.ownerLogin(newOwner());
		const credential = await client.upsertCredential('ACS (bench)', ACS_CREDENTIAL_TYPE, {
			connectionString: emu.connectionString,
			resourceId: emu.resourceId,
			openIdConfigurationUrl: emu.openIdConfigurationUrl,
		});
		const examples = Object.fromEntries(readExamples().map((e) => [e.file, e.workflow]));
		const prepare = (workflow: WorkflowJson): WorkflowJson =>
			prepareExample(workflow, {
				webhookBaseUrl: webhookUrl,
				acsCredential: credential,
				triggerOptions: {
					resourceId: emu.resourceId,
					openIdConfigurationUrl: emu.openIdConfigurationUrl,
				},
			});
		const batch = await client.createWorkflow(prepare(examples[CAMPAIGN_BATCH]));
		const parentJson = prepare(examples[CAMPAIGN_PARENT]);
		const csv = readFileSync(join(EXAMPLES_DIR, 'campaign-contacts.csv'), 'utf8')
			.trimEnd()
			.split('\n');
		// The campaign over the first `count` contacts (the file's header line kept).
		const campaignOf = async (count: number, name: string): Promise<WorkflowJson> => {
			const file = join(cluster.dir, `contacts-${count}.csv`);
			writeFileSync(file, `${csv.slice(0, count + 1).join('\n')}\n`);
			const copy = JSON.parse(JSON.stringify(parentJson)) as WorkflowJson;
			copy.name = name;
			for (const n of copy.nodes)
				if (n.type === 'n8n-nodes-base.readWriteFile') n.parameters.fileSelector = file;
			return await client.createWorkflow(copy);
		};
		const parent = await campaignOf(contacts, `Bench: campaign, ${contacts} contacts`);
		const warmupParent = await campaignOf(200, 'Bench: campaign warm-up');
		// Events: the call-events trigger alone (a new webhook id), so each accepted event is a short execution.
		const eventsJson = prepare(examples[EVENTS]);
		eventsJson.name = 'Bench: call events';
		eventsJson.nodes = eventsJson.nodes.filter((n) => n.type === TRIGGER_TYPE);
		eventsJson.nodes[0].webhookId = randomUUID();
		eventsJson.connections = {};
		const eventsWf = await client.createWorkflow(eventsJson);

		await setBatchPacing(client, batch.id as string, undefined);
		// Not measured: a 200-contact run on each new worker first (JIT, Postgres connections, the package loaded).
		const warmUp = async () => {
			log('  warm-up: a 200-contact campaign');
			await runCampaign(
				client,
				ready(),
				emu,
				warmupParent.id as string,
				batch.id as string,
				200,
				'warm-up',
			);
		};
		const campaigns: Array<[string, number | undefined]> = [
			['campaign as shipped (10 calls/s per batch, 4 batches at once)', 10],
			['campaign unpaced (no calls/s limit, 4 batches at once)', undefined],
		];
		for (const workers of [1, 2]) {
			if (workers === 2)
				procs.workers.push(
					await startQueueProcess({
						line,
						cluster,
						role: 'worker',
						name: 'worker-2',
						webhookUrl,
						log,
					}),
				);
			await warmUp();
			for (const [label, perSecond] of campaigns) {
				await setBatchPacing(client, batch.id as string, perSecond);
				log(`  ${label}, ${workers} worker(s) ...`);
				const row = await runCampaign(
					client,
					ready(),
					emu,
					parent.id as string,
					batch.id as string,
					contacts,
					label,
				);
				log(
					`    ${row.throughput.toFixed(1)} calls/s, workers' CPU ${((row.cpuMs.workers * 1000) / row.count).toFixed(0)} µs per call`,
				);
				rows.push(row);
			}
		}
		await client.deactivate(batch.id as string);

		await client.activate(eventsWf.id as string);
		const url = productionUrl(webhookUrl, eventsWf);
		// eslint-disable-next-line @typescript-eslint/no-explicit-any
		const jwt = emu.context.jwt as any;
		const issuer = {
			url: emu.url,
			connectionString: emu.connectionString,
			resourceId: emu.resourceId,
			issuer: emu.issuer,
			openIdConfigurationUrl: emu.openIdConfigurationUrl,
			privateJwk: jwt.privateKey.export({ format: 'jwk' }) as Record<string, unknown>,
			kid: jwt.kid as string,
		};
		const warmup = Math.min(200, events);
		const tokens = makeTokens(issuer, events + warmup);
		await postEvents(url, ready(), tokens.slice(events), warmup, 'warm-up');
		for (const [label, list] of [
			['events → webhook processor, fresh tokens', tokens.slice(0, events)],
			['events → webhook processor, same token', tokens.slice(0, 1)],
		] as const) {
			log(`  ${label} ...`);
			const row = await postEvents(url, ready(), list, events, label);
			log(
				`    ${row.throughput.toFixed(0)} events/s, webhook processor CPU ${((row.cpuMs.webhook * 1000) / row.count).toFixed(0)} µs per event`,
			);
			rows.push(row);
		}
		await client.deactivate(eventsWf.id as string);
	} catch (error) {
		for (const p of all()) log(`  ${p.name} output (${p.logFile}), last lines:\n${p.tail(30)}`);
		throw error;
	} finally {
		await Promise.all(all().map((p) => p.stop()));
		await emu.close();
		await cluster.stop();
		removeClusterDir(cluster);
	}
	return rows;
}

const fmt = (v: number | undefined, digits = 0): string =>
	v === undefined || Number.isNaN(v)
		? '-'
		: v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

export function queueTable(rows: QueueRow[]): string {
	const header = [
		'Scenario',
		'Workers',
		'Count',
		'Wall s',
		'Throughput',
		'p50 ms',
		'p99 ms',
		'Workers CPU µs/unit',
		'Webhook proc. CPU µs/unit',
		'Main CPU µs/unit',
		'Per CPU-s (all n8n)',
	];
	const lines = rows.map((r) => {
		const per = (ms: number) => fmt((ms * 1000) / r.count);
		const total = r.cpuMs.workers + r.cpuMs.webhook + r.cpuMs.main;
		return [
			r.name,
			String(r.workers),
			fmt(r.count),
			fmt(r.wallMs / 1000, 2),
			`${fmt(r.throughput, r.throughput < 100 ? 1 : 0)} ${r.unit}`,
			fmt(r.p50Ms, 1),
			fmt(r.p99Ms, 1),
			per(r.cpuMs.workers),
			per(r.cpuMs.webhook),
			per(r.cpuMs.main),
			fmt(total > 0 ? (r.count * 1000) / total : undefined),
		];
	});
	const all = [header, ...lines];
	const widths = header.map((_, i) => Math.max(...all.map((l) => l[i].length)));
	const right = (i: number) => i >= 1 && i !== 4;
	const render = (l: string[]) =>
		`| ${l.map((c, i) => (right(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ')} |`;
	return [
		render(header),
		`|${widths.map((w, i) => (right(i) ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`,
		...lines.map(render),
	].join('\n');
}
