/**
 * `npm run bench -- --agent`: one full AI agent turn in a real n8n (e2e/lib/n8n.ts, the line of --n8n), with
 * examples/ai-receptionist.json, the emulator's scripted caller and its model stand-in (which answers at once,
 * so the figure is what n8n and the package add to a turn, without a real model, speech or network).
 *
 * A turn is timed from the emulator sending RecognizeCompleted (the caller stopped speaking and ACS recognised
 * it) to the next recognize request reaching the emulator (the agent's answer as its prompt): webhook receipt,
 * resume of the waiting execution, the Code and Switch nodes, the AI Agent with its model call, and the
 * Collect Input request. Printed, never asserted.
 */
import { join } from 'node:path';

import { startEmulator, startModelStandIn } from '../emulator';
import { AGENT_N8N_ENV, RECEPTIONIST_NUMBER, provisionAgentExamples } from '../e2e/lib/agent';
import {
	E2E_DIR,
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
} from '../e2e/lib/n8n';
import { percentile, type Options } from './lib';

export interface AgentRow {
	name: string;
	line: string;
	turns: number;
	p50Ms: number;
	p90Ms: number;
	meanMs: number;
	maxMs: number;
	/** The same turn's model requests (the stand-in answers in well under a millisecond). */
	modelRequestsPerTurn: number;
	notes: string[];
}

type Json = Record<string, unknown>;

export async function runAgentBench(
	options: Options,
	log: (line: string) => void,
): Promise<AgentRow[]> {
	const line = LINES[options.n8n === 2 ? '2.x' : '1.x'];
	await ensureInstall(line, log);
	await buildPackage(log);
	const userFolder = join(E2E_DIR, '.n8n', `bench-agent-${line.name}`);
	removeDir(userFolder);
	await stagePackage(userFolder, log);
	// Prompts "play" for 1 ms and the caller answers 1 ms later: the emulator adds next to nothing.
	const emu = await startEmulator({
		port: 0,
		connectDelayMs: 0,
		playDurationMs: 1,
		recognizeDelayMs: 1,
		eventHistoryLimit: 5000,
	});
	const model = await startModelStandIn({ port: 0 });
	const n8n = await startN8n({
		line,
		userFolder,
		port: await freePort(),
		log,
		env: { ...AGENT_N8N_ENV, N8N_LOG_LEVEL: 'warn' },
	});
	try {
		const client = new N8nClient(n8n.url);
		await client.ownerLogin(newOwner());
		await provisionAgentExamples(client, emu, n8n.url, model.url);
		await waitFor(
			'the Event Grid subscription',
			() => ((emu.state().eventGridSubscriptions as Json[]).length === 1 ? true : undefined),
			20_000,
		);
		const calls = Math.max(1, Math.min(20, Math.round(options.n / 500) || 3));
		const turnsPerCall = 10;
		const samples: number[] = [];
		// The turn in two parts: up to the model request (webhook, resume, Code, Switch, agent set-up) and
		// after the model's last reply (agent output, Code, Switch, Collect Input with its readiness probe).
		const beforeModel: number[] = [];
		const afterModel: number[] = [];
		let modelRequests = 0;
		for (let c = 0; c < calls + 1; c++) {
			const turns = Array.from({ length: turnsPerCall }, (_, i) => ({
				say: `Tell me about item ${i + 1}.`,
			}));
			model.clearRequests();
			const before = new Set(emu.state().endedCalls.map((x) => x.callConnectionId as string));
			await emu.simulateIncomingCall({
				from: `+1425555${String(1000 + c)}`,
				to: RECEPTIONIST_NUMBER,
				caller: { turns: [...turns, { say: 'Goodbye.' }] },
			});
			const ended = await waitFor(
				'the call to end',
				() =>
					emu
						.state()
						.endedCalls.find(
							(x) => x.direction === 'inbound' && !before.has(x.callConnectionId as string),
						),
				120_000,
				100,
			);
			const id = ended.callConnectionId as string;
			// The first call warms n8n up (node loading, first expression compilations): not counted.
			if (c === 0) continue;
			const completed = (emu.state().events as Json[])
				.filter((e) => e.callConnectionId === id && String(e.type).endsWith('RecognizeCompleted'))
				.map((e) => Date.parse(String(e.emittedAt)));
			const listens = ((ended.heard ?? []) as Json[])
				.filter((h) => h.via === 'recognize')
				.map((h) => Date.parse(String(h.at)));
			// Turn k: RecognizeCompleted k → listen k+1 (the last "Goodbye." ends with the hang-up tool instead).
			const modelAt = model
				.requests()
				.filter((r) => r.api === 'chat.completions')
				.map((r) => Date.parse(r.at));
			for (let k = 0; k < turnsPerCall; k++) {
				const from = completed[k];
				const to = listens[k + 1];
				if (!Number.isFinite(from) || !Number.isFinite(to)) continue;
				samples.push(to - from);
				const inTurn = modelAt.filter((t) => t >= from && t <= to);
				if (inTurn.length) {
					beforeModel.push(inTurn[0] - from);
					afterModel.push(to - inTurn[inTurn.length - 1]);
				}
			}
			modelRequests += modelAt.length;
		}
		const sorted = Float64Array.from(samples).sort();
		const mean = samples.reduce((a, b) => a + b, 0) / Math.max(1, samples.length);
		return [
			{
				name: 'AI agent turn (event delivered → next listen request)',
				line: line.name,
				turns: samples.length,
				p50Ms: percentile(sorted, 50),
				p90Ms: percentile(sorted, 90),
				meanMs: mean,
				maxMs: sorted[sorted.length - 1] ?? NaN,
				modelRequestsPerTurn: modelRequests / Math.max(1, calls * (turnsPerCall + 1)),
				notes: [
					`up to the model request: p50 ${median(beforeModel).toFixed(0)} ms; after the model's reply to the next recognize request: p50 ${median(afterModel).toFixed(0)} ms`,
					`${calls} calls of ${turnsPerCall} turns after one warm-up call; n8n ${line.name} on SQLite, one process; model stand-in answers at once`,
					'per turn: webhook → resume → Read → Route → AI Agent (model call) → Answer → Route → Turn → Collect Input request',
				],
			},
		];
	} finally {
		await n8n.stop();
		await model.close();
		await emu.close();
		removeDir(userFolder);
	}
}

function median(values: number[]): number {
	return percentile(Float64Array.from(values).sort(), 50);
}

export function agentTable(rows: AgentRow[]): string {
	const header = [
		'row',
		'n8n',
		'turns',
		'p50 ms',
		'p90 ms',
		'mean ms',
		'max ms',
		'model requests / turn',
	];
	const lines = rows.map((r) => [
		r.name,
		r.line,
		String(r.turns),
		r.p50Ms.toFixed(0),
		r.p90Ms.toFixed(0),
		r.meanMs.toFixed(0),
		r.maxMs.toFixed(0),
		r.modelRequestsPerTurn.toFixed(2),
	]);
	const all = [header, ...lines];
	const widths = header.map((_, i) => Math.max(...all.map((l) => l[i].length)));
	const render = (l: string[]): string =>
		`| ${l.map((c, i) => (i >= 1 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ')} |`;
	return [
		render(header),
		`|${widths.map((w, i) => (i >= 1 ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`,
		...lines.map(render),
	].join('\n');
}
