/**
 * `npm run bench -- --turns`: what one turn of a conversation costs in a real n8n (e2e/lib/n8n.ts, SQLite,
 * one process), beside n8n's own resume floor, in the same n8n and in the same run, taking turns.
 *
 * - listen loop: Webhook → Create Call (Wait for Outcome) → Collect Input (Wait for Outcome) → IF → back to
 *   Collect Input. The emulator (in this process) answers each recognize with a key after a fixed "think"
 *   time. A turn = from the moment the emulator starts posting RecognizeCompleted to the resume URL to the
 *   moment the next recognize request reaches it.
 * - floor: Webhook → HTTP Request → Wait (resumed by webhook) → IF → back to HTTP Request. A server in this
 *   process answers the HTTP Request and, after the same think time, posts to the execution's resume URL
 *   (again on 409, counted). A turn = from the start of that POST to the next HTTP Request reaching it.
 * - floor + credential: the floor with its HTTP Request signed by a Header Auth credential, so it pays what
 *   n8n charges every workflow with a credential (the permission check on each resume, the read).
 *
 * All are measured here with the same clock (performance.now, from node:diagnostics_channel and the
 * servers' own handlers), at 1 and at 20 conversations at once, in an n8n with no profiler attached. n8n's
 * CPU per turn (user + system, /proc) is given for every loop. The package's own CPU per turn comes from a
 * second n8n under --cpu-prof that runs listen conversations only: the profile's self time in the package's
 * files (and, inclusive, in what they call) ÷ turns.
 */
import { subscribe } from 'node:diagnostics_channel';
import {
	createServer,
	request as httpRequest,
	type IncomingMessage,
	type ServerResponse,
} from 'node:http';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import { startEmulator, type Emulator } from '../emulator';
import {
	emulatorCredentials,
	ACTION_TYPE,
	LINES,
	N8nClient,
	buildPackage,
	ensureInstall,
	freePort,
	newOwner,
	removeDir,
	stagePackage,
	startN8n,
	waitFor,
	type N8nLine,
	type WorkflowJson,
} from '../e2e/lib/n8n';
import { latencySummary } from './lib';

const THINK_MS = 20;
const CALLER_ID = '+14255550199';

/**
 * The loops, in the order they take turns. `floor + credential` is the floor with its HTTP Request signed
 * by a Header Auth credential: what n8n itself charges any workflow that uses a credential (checking on
 * every resume that the workflow may use it, reading it), which every listen loop pays.
 */
const LOOPS = ['floor', 'floor + credential', 'listen loop'] as const;
type Loop = (typeof LOOPS)[number];
const SLUG: Record<Loop, string> = {
	floor: 'floor',
	'floor + credential': 'floor-credential',
	'listen loop': 'listen',
};

export interface TurnRow {
	line: string;
	loop: Loop;
	conversations: number;
	turns: number;
	p50Ms: number;
	p99Ms: number;
	/** n8n's CPU (user + system) during the phase ÷ turns. */
	n8nCpuMsPerTurn: number;
	notes: string[];
}

export interface PackageCpu {
	line: string;
	turns: number;
	selfMsPerTurn: number;
	inclusiveMsPerTurn: number;
}

type Json = Record<string, unknown>;

function ifNode(
	name: string,
	leftValue: string,
	position: [number, number],
): WorkflowJson['nodes'][number] {
	return {
		name,
		type: 'n8n-nodes-base.if',
		typeVersion: 2.2,
		position,
		parameters: {
			conditions: {
				options: { caseSensitive: true, leftValue: '', typeValidation: 'loose', version: 2 },
				conditions: [
					{
						id: `${name}-c`,
						leftValue,
						rightValue: '',
						operator: { type: 'boolean', operation: 'true', singleValue: true },
					},
				],
				combinator: 'and',
			},
			options: {},
		},
	};
}

function webhookNode(path: string): WorkflowJson['nodes'][number] {
	return {
		name: 'Start',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId: path,
		parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
	};
}

function listenLoop(credential: { id: string; name: string }, turns: number): WorkflowJson {
	const acs = { azureCommunicationServicesApi: credential };
	return {
		name: 'Bench: listen loop',
		nodes: [
			webhookNode('bench-listen'),
			{
				name: 'Call',
				type: ACTION_TYPE,
				typeVersion: 1,
				position: [200, 0],
				credentials: acs,
				parameters: {
					resource: 'call',
					operation: 'create',
					targets: '={{ $json.body.to }}',
					sourceCallerIdNumber: CALLER_ID,
					waitForOutcome: true,
					waitTimeLimit: 120,
				},
			},
			{
				name: 'Listen',
				type: ACTION_TYPE,
				typeVersion: 1,
				position: [400, 0],
				credentials: acs,
				parameters: {
					resource: 'media',
					operation: 'recognize',
					callConnectionId: '={{ $json.callConnectionId }}',
					inputType: 'dtmf',
					targetParticipant: "={{ $('Start').first().json.body.to }}",
					maxTonesToCollect: 1,
					promptType: 'none',
					additionalFields: { initialSilenceTimeoutInSeconds: 10 },
					waitForOutcome: true,
					waitTimeLimit: 120,
				},
			},
			ifNode('Again?', `={{ $json.succeeded && $runIndex < ${turns - 1} }}`, [600, 0]),
			{
				name: 'Hang up',
				type: ACTION_TYPE,
				typeVersion: 1,
				position: [800, 100],
				credentials: acs,
				parameters: {
					resource: 'call',
					operation: 'hangUp',
					callConnectionId: "={{ $('Call').first().json.callConnectionId }}",
					forEveryone: true,
				},
			},
		],
		connections: {
			Start: { main: [[{ node: 'Call', type: 'main', index: 0 }]] },
			Call: { main: [[{ node: 'Listen', type: 'main', index: 0 }]] },
			Listen: { main: [[{ node: 'Again?', type: 'main', index: 0 }]] },
			'Again?': {
				main: [
					[{ node: 'Listen', type: 'main', index: 0 }],
					[{ node: 'Hang up', type: 'main', index: 0 }],
				],
			},
		},
		settings: { executionOrder: 'v1' },
	};
}

function floorLoop(
	serverUrl: string,
	turns: number,
	credential?: { id: string; name: string },
): WorkflowJson {
	const auth = credential
		? { authentication: 'genericCredentialType', genericAuthType: 'httpHeaderAuth' }
		: {};
	return {
		name: `Bench: floor (Wait + HTTP Request${credential ? ', Header Auth' : ''})`,
		nodes: [
			webhookNode('bench-floor'),
			{
				name: 'Ask',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [200, 0],
				...(credential ? { credentials: { httpHeaderAuth: credential } } : {}),
				parameters: {
					...auth,
					method: 'POST',
					url: serverUrl,
					sendBody: true,
					specifyBody: 'json',
					jsonBody: '={{ JSON.stringify({ resumeUrl: $execution.resumeUrl }) }}',
					options: {},
				},
			},
			{
				name: 'Wait',
				type: 'n8n-nodes-base.wait',
				typeVersion: 1.1,
				position: [400, 0],
				webhookId: 'bench-floor-wait',
				parameters: { resume: 'webhook', httpMethod: 'POST', options: {} },
			},
			ifNode('Again?', `={{ $runIndex < ${turns - 1} }}`, [600, 0]),
		],
		connections: {
			Start: { main: [[{ node: 'Ask', type: 'main', index: 0 }]] },
			Ask: { main: [[{ node: 'Wait', type: 'main', index: 0 }]] },
			Wait: { main: [[{ node: 'Again?', type: 'main', index: 0 }]] },
			'Again?': { main: [[{ node: 'Ask', type: 'main', index: 0 }], []] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/** Per conversation: when its "answer" went out (t0) and when its next request arrived (t1). */
class Turns {
	private lastAnswer = new Map<string, number>();
	private seen = new Set<string>();
	readonly samples: number[] = [];
	requests = 0;
	answered(conversation: string, at: number): void {
		this.lastAnswer.set(conversation, at);
	}
	/** The first request of a conversation follows its start (the call being answered), not a turn. */
	asked(conversation: string, at: number): void {
		this.requests++;
		const t0 = this.lastAnswer.get(conversation);
		if (t0 !== undefined && this.seen.has(conversation)) this.samples.push(at - t0);
		this.seen.add(conversation);
		this.lastAnswer.delete(conversation);
	}
	reset(): void {
		this.lastAnswer.clear();
		this.seen.clear();
		this.samples.length = 0;
		this.requests = 0;
	}
}

const executionOf = (url: string): string | undefined =>
	/\/webhook-waiting\/([^/?]+)/.exec(url)?.[1];

function post(url: string, body: string): Promise<number> {
	return new Promise((resolve, reject) => {
		const req = httpRequest(
			url,
			{
				method: 'POST',
				headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
			},
			(res) => {
				res.resume();
				res.on('end', () => resolve(res.statusCode ?? 0));
			},
		);
		req.on('error', reject);
		req.end(body);
	});
}

/** The floor's "service": answers the HTTP Request at once, then resumes the execution after the think time. */
async function startFloorServer(
	turns: Turns,
): Promise<{ url: string; conflicts: () => number; close: () => Promise<void> }> {
	let conflicts = 0;
	const server = createServer((req: IncomingMessage, res: ServerResponse) => {
		const at = performance.now();
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
			const { resumeUrl } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
				resumeUrl: string;
			};
			const conversation = executionOf(resumeUrl) ?? resumeUrl;
			turns.asked(conversation, at);
			setTimeout(async () => {
				for (let attempt = 0; attempt < 500; attempt++) {
					turns.answered(conversation, performance.now());
					const status = await post(resumeUrl, '{}').catch(() => 0);
					if (status !== 409) return;
					conflicts++;
					await new Promise((r) => setTimeout(r, 2));
				}
			}, THINK_MS);
		});
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	const port = (server.address() as { port: number }).port;
	return {
		url: `http://127.0.0.1:${port}/listen`,
		conflicts: () => conflicts,
		close: () => new Promise((r) => server.close(() => r())),
	};
}

/** The listen loop's timestamps, from the emulator's own HTTP traffic in this process. */
function watchEmulator(emu: Emulator, turns: Turns): void {
	const executionOfCall = new Map<string, string>();
	subscribe('http.client.request.start', (message) => {
		const req = (message as { request: { path?: string } }).request;
		const path = req.path ?? '';
		// The emulator's events to a waiting step (the floor server's POSTs carry no step token).
		if (!path.includes('acsStep=')) return;
		const execution = executionOf(path);
		if (execution) turns.answered(execution, performance.now());
	});
	subscribe('http.server.request.start', (message) => {
		const url = (message as { request: IncomingMessage }).request.url ?? '';
		const m = /\/calling\/callConnections\/([^/:?]+)(?::|%3A)recognize/i.exec(url);
		if (!m) return;
		const at = performance.now();
		const callConnectionId = decodeURIComponent(m[1]);
		let execution = executionOfCall.get(callConnectionId);
		if (execution === undefined) {
			const call = emu.state().calls.find((c) => c.callConnectionId === callConnectionId);
			execution = executionOf(String(call?.callbackUri ?? ''));
			if (execution) executionOfCall.set(callConnectionId, execution);
		}
		if (execution) turns.asked(execution, at);
	});
}

function cpuMsOf(pid: number): number {
	const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
	// utime and stime are fields 14 and 15 (1-based), i.e. 11 and 12 after the command name; ticks are 10 ms here.
	return (Number(fields[11]) + Number(fields[12])) * 10;
}

interface ProfileNode {
	id: number;
	callFrame: { url: string };
	children?: number[];
}

/** Self and inclusive CPU ms of the package's frames in n8n's CPU profile. */
function packageCpu(dir: string): { selfMs: number; inclusiveMs: number; file: string } {
	const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
	if (!file) throw new Error(`n8n wrote no CPU profile into ${dir}`);
	const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
		nodes: ProfileNode[];
		samples: number[];
		timeDeltas: number[];
	};
	const isPackage = (n: ProfileNode | undefined) =>
		n !== undefined && n.callFrame.url.includes('/n8n-nodes-azure-call-automation/dist/');
	const byId = new Map(profile.nodes.map((n) => [n.id, n]));
	const parent = new Map<number, number>();
	for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
	const underPackage = new Map<number, boolean>();
	const inPackage = (id: number): boolean => {
		const known = underPackage.get(id);
		if (known !== undefined) return known;
		const value =
			isPackage(byId.get(id)) || (parent.has(id) && inPackage(parent.get(id) as number));
		underPackage.set(id, value);
		return value;
	};
	let selfUs = 0;
	let inclusiveUs = 0;
	profile.samples.forEach((id, i) => {
		const dt = profile.timeDeltas[i] ?? 0;
		if (isPackage(byId.get(id))) selfUs += dt;
		if (inPackage(id)) inclusiveUs += dt;
	});
	return { selfMs: selfUs / 1000, inclusiveMs: inclusiveUs / 1000, file: join(dir, file) };
}

export interface TurnOptions {
	lines: Array<'1.x' | '2.x'>;
	quick: boolean;
}

interface BenchN8n {
	n8n: Awaited<ReturnType<typeof startN8n>>;
	client: N8nClient;
	workflows: Map<TurnRow['loop'], { id: string; path: string }>;
	userFolder: string;
}

/** A fresh n8n of the line with both loops' workflows active, each warmed up by one conversation. */
async function startBenchN8n(
	name: '1.x' | '2.x',
	turns: number,
	emu: Emulator,
	floorUrl: string,
	nodeArgs: string[],
	log: (line: string) => void,
): Promise<BenchN8n> {
	const line: N8nLine = LINES[name];
	const userFolder = mkdtempSync(join(tmpdir(), `acs-bench-turns-${name}-`));
	await stagePackage(userFolder, log);
	const n8n = await startN8n({ line, userFolder, port: await freePort(), log, nodeArgs });
	try {
		const client = new N8nClient(n8n.url);
		await client.ownerLogin(newOwner());
		const credential = (await emulatorCredentials(client, emu)).acsCredential;
		const headerAuth = await client.upsertCredential('Bench Header Auth', 'httpHeaderAuth', {
			name: 'x-bench-key',
			value: 'bench-floor-key',
		});
		const workflows: BenchN8n['workflows'] = new Map();
		for (const loop of LOOPS) {
			const wf =
				loop === 'listen loop'
					? listenLoop(credential, turns)
					: floorLoop(floorUrl, turns, loop === 'floor' ? undefined : headerAuth);
			wf.name = `${wf.name} (${turns} turns)`;
			const path = `bench-${SLUG[loop]}-${turns}`;
			(wf.nodes[0].parameters as Json).path = path;
			wf.nodes[0].webhookId = path;
			const created = await client.createWorkflow(wf);
			await client.activate(created.id as string);
			workflows.set(loop, { id: created.id as string, path });
		}
		// A warm-up conversation of each loop: the first run of a workflow loads its nodes.
		for (const loop of LOOPS)
			await runPhase(
				client,
				n8n.url,
				workflows.get(loop) as { id: string; path: string },
				1,
				turns,
			);
		return { n8n, client, workflows, userFolder };
	} catch (error) {
		await n8n.stop();
		throw error;
	}
}

export async function runTurnBench(
	options: TurnOptions,
	log: (line: string) => void,
): Promise<{ rows: TurnRow[]; cpu: PackageCpu[] }> {
	const rows: TurnRow[] = [];
	const cpu: PackageCpu[] = [];
	// Ten turns a conversation, as a phone conversation has; more rounds rather than longer conversations
	// (every wait stores the whole run data, so a 60-turn conversation measures n8n's storage more than a turn).
	const turnsEach = 10;
	const single = { turns: turnsEach, rounds: options.quick ? 3 : 20 };
	const many = { turns: turnsEach, rounds: options.quick ? 1 : 3 };
	const profiled = { conversations: options.quick ? 3 : 10 };
	await buildPackage(log);
	const emu = await startEmulator({
		port: 0,
		connectDelayMs: 0,
		recognizeTones: '1',
		recognizeDelayMs: THINK_MS,
		eventHistoryLimit: 2000,
	});
	const listenTurns = new Turns();
	const floorTurns = new Turns();
	watchEmulator(emu, listenTurns);
	const floor = await startFloorServer(floorTurns);
	try {
		for (const name of options.lines) {
			await ensureInstall(LINES[name], log);
			// The turn rows come from an n8n as users run it: a CPU profiler slows a loop by the CPU it uses,
			// so it would tax the listen loop more than the floor and measure the profiler.
			const bench = await startBenchN8n(name, turnsEach, emu, floor.url, [], log);
			const { n8n, client, workflows } = bench;
			try {
				// Rounds alternate the loops, so drift on a shared machine meets all of them.
				for (const conversations of [1, 20]) {
					const spec = conversations === 1 ? single : many;
					type Collected = { samples: number[]; cpuMs: number; turns: number; conflicts: number };
					const collected = {} as Record<Loop, Collected>;
					for (const loop of LOOPS)
						collected[loop] = { samples: [], cpuMs: 0, turns: 0, conflicts: 0 };
					const roundRatios: Record<Loop, number[]> = {
						floor: [],
						'floor + credential': [],
						'listen loop': [],
					};
					for (let round = 0; round < spec.rounds; round++) {
						const roundP50: Partial<Record<Loop, number>> = {};
						for (const loop of LOOPS) {
							const turns = loop === 'listen loop' ? listenTurns : floorTurns;
							turns.reset();
							const conflictsBefore = floor.conflicts();
							const before = cpuMsOf(n8n.child.pid as number);
							await runPhase(
								client,
								n8n.url,
								workflows.get(loop) as { id: string; path: string },
								conversations,
								spec.turns,
							);
							const c = collected[loop];
							c.cpuMs += cpuMsOf(n8n.child.pid as number) - before;
							c.conflicts += floor.conflicts() - conflictsBefore;
							c.samples.push(...turns.samples);
							c.turns += turns.samples.length;
							roundP50[loop] = latencySummary(Float64Array.from(turns.samples)).p50Ms;
						}
						for (const loop of LOOPS)
							roundRatios[loop].push((roundP50[loop] as number) / (roundP50.floor as number));
					}
					for (const loop of LOOPS) {
						const c = collected[loop];
						const { p50Ms, p99Ms } = latencySummary(Float64Array.from(c.samples));
						const notes: string[] = [];
						if (loop !== 'listen loop')
							notes.push(`resume POSTs answered 409 and sent again: ${c.conflicts}`);
						if (loop !== 'floor') {
							const sorted = roundRatios[loop].slice().sort((a, b) => a - b);
							notes.push(
								`÷ floor p50 per round (${sorted.length} rounds, the loops taking turns): median ${sorted[Math.floor(sorted.length / 2)].toFixed(2)}, ` +
									`from ${sorted[0].toFixed(2)} to ${sorted[sorted.length - 1].toFixed(2)}`,
							);
						}
						rows.push({
							line: name,
							loop,
							conversations,
							turns: c.turns,
							p50Ms,
							p99Ms,
							n8nCpuMsPerTurn: c.cpuMs / Math.max(1, c.turns),
							notes,
						});
					}
					log(`n8n ${name}, ${conversations} conversation(s): done`);
				}
			} finally {
				await n8n.stop();
				removeDir(bench.userFolder);
			}
			try {
				cpu.push(
					await profilePackage(
						name,
						turnsEach,
						profiled.conversations,
						emu,
						floor.url,
						listenTurns,
						log,
					),
				);
			} catch (error) {
				log(`n8n ${name}: no package CPU figure (${(error as Error).message})`);
			}
		}
	} finally {
		await floor.close();
		await emu.close();
	}
	return { rows, cpu };
}

/**
 * The package's CPU per listen turn: a second n8n, under --cpu-prof, runs listen conversations one after
 * another; the profile's time in the package's files (self) and in what they call (inclusive) ÷ turns.
 */
async function profilePackage(
	name: '1.x' | '2.x',
	turns: number,
	conversations: number,
	emu: Emulator,
	floorUrl: string,
	listenTurns: Turns,
	log: (line: string) => void,
): Promise<PackageCpu> {
	const profileDir = join(tmpdir(), `acs-bench-turns-profile-${name}-${process.pid}`);
	removeDir(profileDir);
	listenTurns.reset();
	const bench = await startBenchN8n(
		name,
		turns,
		emu,
		floorUrl,
		['--cpu-prof', `--cpu-prof-dir=${profileDir}`],
		log,
	);
	try {
		for (let i = 0; i < conversations; i++)
			await runPhase(
				bench.client,
				bench.n8n.url,
				bench.workflows.get('listen loop') as { id: string; path: string },
				1,
				turns,
			);
	} finally {
		await bench.n8n.stop();
		removeDir(bench.userFolder);
	}
	// Every recognize request is one listen turn, the warm-up's included as it is in the profile (Create Call
	// and Hang Up are counted in, so the figure is an upper bound).
	const listenRequests = listenTurns.requests;
	// The floor's warm-up conversation is in the profile as well, but none of its frames are the package's.
	const { selfMs, inclusiveMs, file } = packageCpu(profileDir);
	const kept = join(tmpdir(), `acs-bench-turns-${name}.cpuprofile`);
	copyFileSync(file, kept);
	removeDir(profileDir);
	log(`n8n ${name}: CPU profile kept in ${kept} (npx tsx bench/profile-summary.ts ${kept})`);
	return {
		line: name,
		turns: listenRequests,
		selfMsPerTurn: selfMs / listenRequests,
		inclusiveMsPerTurn: inclusiveMs / listenRequests,
	};
}

/** Starts `conversations` executions of a loop at once and waits until each has taken all its turns. */
async function runPhase(
	client: N8nClient,
	base: string,
	wf: { id: string; path: string },
	conversations: number,
	turns: number,
): Promise<void> {
	const before = (await client.executions(wf.id)).length;
	const url = `${base.replace(/\/$/, '')}/webhook/${wf.path}`;
	await Promise.all(
		Array.from({ length: conversations }, async (_, i) => {
			const status = await post(
				url,
				JSON.stringify({ to: `+1425556${String(1000 + i).slice(-4)}` }),
			);
			if (status !== 200) throw new Error(`starting a conversation answered ${status}`);
		}),
	);
	await waitFor(
		`${conversations} conversation(s) of ${turns} turns`,
		async () => {
			const all = await client.executions(wf.id);
			const executions = all.slice(0, all.length - before);
			const failed = executions.find((e) => e.status === 'error' || e.status === 'crashed');
			if (failed) throw new Error(`execution ${failed.id} ended with ${failed.status}`);
			return executions.length >= conversations && executions.every((e) => e.status === 'success')
				? true
				: undefined;
		},
		300_000,
		100,
	);
}

export function turnTable(rows: TurnRow[], cpu: PackageCpu[]): string {
	const head = [
		'n8n',
		'loop',
		'conversations',
		'turns',
		'p50 ms',
		'p99 ms',
		'× floor (p50)',
		'n8n CPU ms/turn',
	];
	const floorOf = (r: TurnRow) =>
		rows.find(
			(f) => f.loop === 'floor' && f.line === r.line && f.conversations === r.conversations,
		);
	const lines = rows.map((r) => [
		r.line,
		r.loop,
		String(r.conversations),
		String(r.turns),
		r.p50Ms.toFixed(1),
		r.p99Ms.toFixed(1),
		r.loop === 'floor' ? '1.00' : (r.p50Ms / (floorOf(r)?.p50Ms ?? NaN)).toFixed(2),
		r.n8nCpuMsPerTurn.toFixed(1),
	]);
	const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
	const fmt = (cells: string[]) =>
		cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
	const table = [fmt(head), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(fmt)].join(
		'\n',
	);
	const cpuLines = cpu.map(
		(c) =>
			`package CPU per listen turn, n8n ${c.line} (CPU profile, ${c.turns} turns): ${c.selfMsPerTurn.toFixed(2)} ms self, ${c.inclusiveMsPerTurn.toFixed(2)} ms with what it calls in n8n`,
	);
	return [table, '', ...cpuLines].join('\n');
}
