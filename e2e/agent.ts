/**
 * The AI phone agent examples (examples/ai-*.json) in a real n8n, hands-free: the emulator's scripted
 * callers talk, n8n's real AI Agent node thinks with the emulator's OpenAI-compatible model stand-in, and
 * the package's node answers, listens, transfers and hangs up, also as the agent's tools. The receptionist's
 * checks run twice per line: with the examples' AI Agent 2.2, then with the version n8n's editor adds.
 *
 *   tsx e2e/agent.ts                 # n8n 1.x and 2.x (SQLite), then each in queue mode
 *   E2E_LINES=1.x tsx e2e/agent.ts   # one line
 *   E2E_AGENT_QUEUE=0 tsx e2e/agent.ts   # without the queue-mode line
 *   E2E_AGENT_SQLITE=0 tsx e2e/agent.ts  # only the queue-mode line
 *   E2E_KEEP=1 tsx e2e/agent.ts      # keep the n8n user folders (e2e/.n8n/agent-<line>)
 *   E2E_AGENT_ONLY='transfer|barge' tsx e2e/agent.ts   # only the checks whose names match
 *
 * Every wait is on a condition (emulator state, executions) with a deadline; no sleeps, no timing asserted.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';

import { startEmulator, startModelStandIn, type CallerScript, type Emulator } from '../emulator';
import {
	AGENT_N8N_ENV,
	DEMO_CALLER,
	RECEPTIONIST_FILE,
	RECEPTIONIST_NUMBER,
	REMINDER_FILE,
	TRANSFER_NUMBERS,
	provisionAgentExamples,
	reminderWebhookUrl,
	runsOf,
} from './lib/agent';
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
	WaitAbort,
	type N8nLine,
	type N8nProcess,
	type WorkflowJson,
} from './lib/n8n';
import { createReport, indent } from './lib/report';
import {
	removeClusterDir,
	startCluster,
	startQueueProcess,
	type QueueCluster,
	type QueueProcess,
} from './lib/queue';

const report = createReport('agent');
const { log, step } = report;

type Json = Record<string, unknown>;
type ModelStandIn = Awaited<ReturnType<typeof startModelStandIn>>;

interface Ctx {
	line: N8nLine;
	client: N8nClient;
	emu: Emulator;
	model: ModelStandIn;
	/** n8n's WEBHOOK_URL. */
	base: string;
	receptionist: WorkflowJson;
	reminder: WorkflowJson;
	/** The receptionist's AI Agent typeVersion under test. */
	agentVersion: number;
	/** Appended to the receptionist's check names ('' for the example as shipped). */
	label: string;
}

const AGENT_TYPE = '@n8n/n8n-nodes-langchain.agent';

/** One conversation's end: the execution's node outputs, its result item, what the caller heard. */
interface Conversation {
	executionId: string;
	callConnectionId: string;
	runs: Record<string, Json[]>;
	result: Json;
	heard: Array<{ via: string; text?: string; interrupted: boolean }>;
	ended: Json;
}

type Turn = {
	role: string;
	text: string;
	confidence?: number | null;
	recognitionType?: string | null;
	tools?: string[];
	error?: string;
};

/** Runs one check, counting a failure without stopping the other checks of the line. */
async function check(name: string, fn: () => Promise<void>): Promise<void> {
	if (process.env.E2E_AGENT_ONLY && !new RegExp(process.env.E2E_AGENT_ONLY, 'i').test(name)) return;
	await step(name, fn).catch(() => undefined);
}

function executionIdOf(call: Json): string | undefined {
	return /\/webhook-waiting\/([^/?]+)/.exec(String(call.callbackUri ?? ''))?.[1];
}

/** Waits for the execution to succeed (an error, a crash or a wait that outlives the call fails). */
async function finishedConversation(
	ctx: Ctx,
	callConnectionId: string,
	executionId: string,
): Promise<Conversation> {
	await waitFor(
		`execution ${executionId} to succeed`,
		async () => {
			const e = await ctx.client.execution(executionId);
			if (e.status === 'error' || e.status === 'crashed' || e.status === 'canceled') {
				throw new WaitAbort(
					`execution ${executionId} ended "${e.status}": ${JSON.stringify(await runsOf(ctx.client, executionId, ctx.line.dir)).slice(0, 3000)}`,
				);
			}
			return e.status === 'success' ? true : undefined;
		},
		120_000,
		250,
	).catch(async (error: Error) => {
		const e = await ctx.client.execution(executionId).catch(() => undefined);
		throw new Error(`${error.message} (status now ${e?.status})`);
	});
	// A finished execution left no call open.
	const ended = await waitFor(
		`call ${callConnectionId} to have ended`,
		() => ctx.emu.state().endedCalls.find((c) => c.callConnectionId === callConnectionId),
		10_000,
	);
	const runs = await runsOf(ctx.client, executionId, ctx.line.dir);
	const result = runs['Call result']?.at(-1) ?? runs['Not reached']?.at(-1);
	assert.ok(result, `no result item; nodes run: ${Object.keys(runs).join(', ')}`);
	const heard = ctx.emu.heard(callConnectionId) as Conversation['heard'];
	return { executionId, callConnectionId, runs, result, heard, ended };
}

/**
 * A caller rings the receptionist (Event Grid IncomingCall) and follows `script`, or, without one, does what
 * `drive` does on the call.
 */
async function ring(
	ctx: Ctx,
	script: CallerScript | undefined,
	from = DEMO_CALLER,
	drive?: (callConnectionId: string) => Promise<void>,
): Promise<Conversation> {
	// The model's log holds this conversation only (checks run twice per line with the same words).
	ctx.model.clearRequests();
	const before = new Set(
		[...ctx.emu.state().calls, ...ctx.emu.state().endedCalls].map(
			(c) => c.callConnectionId as string,
		),
	);
	await ctx.emu.simulateIncomingCall({ from, to: RECEPTIONIST_NUMBER, caller: script });
	const call = await waitFor('the receptionist to answer', () =>
		[...ctx.emu.state().calls, ...ctx.emu.state().endedCalls].find(
			(c) => c.direction === 'inbound' && !before.has(c.callConnectionId as string),
		),
	);
	const executionId = executionIdOf(call);
	assert.ok(
		executionId,
		`the answered call's callback is not a resume URL: ${String(call.callbackUri)}`,
	);
	if (drive) await drive(call.callConnectionId as string);
	return await finishedConversation(ctx, call.callConnectionId as string, executionId);
}

function recognizeOpen(emu: Emulator, callConnectionId: string): boolean {
	const call = emu.state().calls.find((c) => c.callConnectionId === callConnectionId);
	return ((call?.mediaOperations ?? {}) as Json).recognize !== undefined;
}

function turns(c: Conversation): Turn[] {
	return c.result.transcript as Turn[];
}

function spoken(c: Conversation): string[] {
	return c.heard.map((h) => h.text ?? '');
}

function callerTurns(c: Conversation): Turn[] {
	return turns(c).filter((t) => t.role === 'caller');
}

function agentTurns(c: Conversation): Turn[] {
	return turns(c).filter((t) => t.role === 'agent');
}

function requestsTo(emu: Emulator, callConnectionId: string, action: string): number {
	return (emu.state().requests.recent as Json[]).filter((r) =>
		String(r.path).includes(`${callConnectionId}:${action}`),
	).length;
}

function assertSummary(c: Conversation): void {
	for (const key of ['summary', 'intent'])
		assert.ok(
			String(c.result[key] ?? '').length > 0,
			`result has no ${key}: ${JSON.stringify(c.result).slice(0, 600)}`,
		);
	assert.ok('followUp' in c.result, 'result has no followUp');
	assert.equal(
		c.result.summaryError,
		undefined,
		`the summary failed: ${String(c.result.summaryError)}`,
	);
}

// ---------------------------------------------------------------------------------------------- the checks

async function receptionistChecks(ctx: Ctx): Promise<void> {
	const { emu } = ctx;
	const named = (name: string): string => `${name}${ctx.label}`;
	await check(
		named(
			'receptionist: four turns with memory, the lookup tool, and the hang-up tool ending the call',
		),
		async () => {
			const c = await ring(ctx, {
				turns: [
					{ say: 'Hi, my name is Dana.', confidence: 0.87 },
					{ say: 'What are your opening hours?' },
					{ say: 'What is my name?' },
					{ say: "That's all, goodbye." },
				],
				whenDone: 'hangUp',
			});
			assert.equal(c.result.outcome, 'agentEnded', JSON.stringify(c.result).slice(0, 1500));
			const said = callerTurns(c);
			assert.deepEqual(
				said.map((t) => t.text),
				[
					'Hi, my name is Dana.',
					'What are your opening hours?',
					'What is my name?',
					"That's all, goodbye.",
				],
			);
			assert.equal(said[0].confidence, 0.87);
			assert.ok(
				said.every((t) => t.recognitionType === 'speech'),
				JSON.stringify(said),
			);
			const heard = spoken(c);
			assert.match(heard[0], /Contoso Dental/);
			// The agent's answer is the next listen's prompt: the lookup tool's text, then the name from turn one.
			assert.ok(
				heard.some((h) => /Monday to Friday/.test(h)),
				`no opening hours in ${JSON.stringify(heard)}`,
			);
			// Memory: turn three's answer comes from turn one (the transcript the loop carries).
			const t = turns(c);
			const answer =
				t[t.findIndex((x) => x.role === 'caller' && x.text === 'What is my name?') + 1];
			assert.equal(answer?.role, 'agent');
			assert.match(answer.text, /Your name is Dana/, `the agent forgot the name: ${answer?.text}`);
			assert.ok(heard.includes(answer.text), 'the answer was not the next prompt');
			const tools = agentTurns(c).flatMap((t) => t.tools ?? []);
			assert.ok(
				tools.includes('Look_up_opening_hours') && tools.includes('End_the_call'),
				`tools used: ${tools.join(', ')}`,
			);
			// The hang-up tool acted on this call (its id from the workflow, not the model).
			assert.ok(
				requestsTo(emu, c.callConnectionId, 'terminate') >= 1,
				'no terminate request for the call',
			);
			assert.equal(c.runs.Listen?.length, 4, 'four listens');
			assertSummary(c);
		},
	);

	await check(
		named(
			'receptionist: a caller asking for a person is transferred by the tool, to a number from the allowed list',
		),
		async () => {
			const c = await ring(ctx, {
				turns: [{ say: 'Can I talk to a person in billing, please?' }],
				whenDone: 'hangUp',
			});
			assert.equal(c.result.outcome, 'transferred', JSON.stringify(c.result).slice(0, 1500));
			const accepted = (emu.state().events as Json[]).find(
				(e) =>
					e.callConnectionId === c.callConnectionId &&
					String(e.type).endsWith('CallTransferAccepted'),
			);
			assert.ok(accepted, 'no CallTransferAccepted');
			const target = String(
				((accepted.event as Json).data as Json).transferTarget
					? JSON.stringify(((accepted.event as Json).data as Json).transferTarget)
					: '',
			);
			assert.ok(
				Object.values(TRANSFER_NUMBERS).some((n) => target.includes(n)),
				`transfer target ${target} not in the allowed list`,
			);
			assert.equal(
				requestsTo(emu, c.callConnectionId, 'recognize'),
				1,
				'no listen after the transfer',
			);
			// What the model may choose: the department only; the call id never reaches it.
			const tools = new Map<string, string[]>();
			for (const r of ctx.model.requests()) {
				for (const t of ((r.body as Json | undefined)?.tools ?? []) as Array<{
					function?: { name: string; parameters?: { properties?: Json } };
				}>) {
					if (t.function)
						tools.set(t.function.name, Object.keys(t.function.parameters?.properties ?? {}));
				}
			}
			assert.deepEqual(
				tools.get('Transfer_to_a_person'),
				['department'],
				JSON.stringify([...tools]),
			);
			assert.deepEqual(tools.get('End_the_call'), [], JSON.stringify([...tools]));
			assertSummary(c);
		},
	);

	await check(
		named('receptionist: barge-in, the caller talks over the greeting and is heard (prompt cut)'),
		async () => {
			const c = await ring(ctx, {
				turns: [{ say: 'What are your opening hours?', duringPrompt: true }, { say: 'Goodbye.' }],
				whenDone: 'hangUp',
			});
			assert.equal(
				c.heard[0]?.interrupted,
				true,
				`greeting not interrupted: ${JSON.stringify(c.heard[0])}`,
			);
			assert.equal(callerTurns(c)[0]?.text, 'What are your opening hours?');
			assert.equal(c.result.outcome, 'agentEnded');
		},
	);

	await check(
		named(
			'receptionist: silence, not recognized, silence: two re-prompts, then goodbye and hang up',
		),
		async () => {
			const c = await ring(ctx, {
				turns: [{ silence: true }, { unrecognized: true }, { silence: true }],
				whenDone: 'hangUp',
			});
			assert.equal(c.result.outcome, 'noInput', JSON.stringify(c.result).slice(0, 1500));
			const heard = spoken(c);
			assert.ok(
				heard.some((h) => /still there/.test(h)) && heard.some((h) => /didn't catch/.test(h)),
				JSON.stringify(heard),
			);
			assert.match(heard.at(-1) ?? '', /Goodbye/);
			assert.equal(c.heard.at(-1)?.via, 'play');
			assert.ok(requestsTo(emu, c.callConnectionId, 'terminate') >= 1, 'not hung up');
			assert.equal(callerTurns(c).length, 0);
		},
	);

	const hangUps: Array<[string, CallerScript]> = [
		['while listening', { turns: [{ say: 'Hello.' }, { hangUp: 'whileListening' }] }],
		[
			'while the agent speaks',
			{ turns: [{ say: 'What are your opening hours?' }, { hangUp: 'duringPrompt' }] },
		],
	];
	await check(
		named(
			'receptionist: the caller hangs up while the model thinks: the execution ends as a success',
		),
		async () => {
			const said = 'Hello, I have a question.';
			// Driven by hand, not by a script's delay: the hang-up comes once the model has been asked.
			const c = await ring(ctx, undefined, DEMO_CALLER, async (id) => {
				await waitFor('the greeting listen', () => recognizeOpen(emu, id), 30_000);
				assert.ok(emu.saySpeech(id, said));
				await waitFor('the model to be asked', () =>
					ctx.model
						.requests()
						.some(
							(r) => r.api === 'chat.completions' && JSON.stringify(r.body ?? '').includes(said),
						),
				);
				emu.remoteHangUp(id);
			});
			assert.equal(c.result.outcome, 'callerHungUp', JSON.stringify(c.result).slice(0, 1500));
			assert.deepEqual(
				callerTurns(c).map((t) => t.text),
				[said],
			);
			assertSummary(c);
		},
	);
	for (const [when, script] of hangUps) {
		await check(
			named(`receptionist: the caller hangs up ${when}: the execution ends as a success`),
			async () => {
				const c = await ring(ctx, script);
				assert.equal(c.result.outcome, 'callerHungUp', JSON.stringify(c.result).slice(0, 1500));
				assert.ok(callerTurns(c).length >= 1);
				assertSummary(c);
			},
		);
	}

	await check(
		named('receptionist: the caller hangs up during the goodbye: the execution ends as a success'),
		async () => {
			// Three listens heard nothing; the last turn hangs up halfway through the goodbye play.
			const c = await ring(ctx, {
				turns: [
					{ silence: true },
					{ unrecognized: true },
					{ silence: true },
					{ hangUp: 'duringPrompt' },
				],
			});
			assert.equal(c.result.outcome, 'noInput', JSON.stringify(c.result).slice(0, 1500));
			assert.equal(c.runs['Say goodbye']?.[0]?.outcome, 'callEnded');
			assert.equal(c.runs['Hang up']?.[0]?.alreadyEnded, true);
			assertSummary(c);
		},
	);

	await check(
		named(
			'receptionist: a model error and an empty answer are spoken as an apology, kept in the transcript, and the call goes on',
		),
		async () => {
			const c = await ring(ctx, {
				turns: [
					{ say: 'Please cause a model error.' },
					{ say: 'Give me an empty answer.' },
					{ say: 'Goodbye.' },
				],
				whenDone: 'hangUp',
			});
			const agent = agentTurns(c);
			const errors = agent.map((t) => t.error).filter(Boolean) as string[];
			assert.equal(errors.length, 2, JSON.stringify(agent));
			assert.match(errors[0], /^model:/);
			assert.equal(errors[1], 'empty answer');
			assert.equal(spoken(c).filter((h) => /I'm sorry, I had a problem/.test(h)).length, 2);
			assert.equal(c.result.outcome, 'agentEnded');
		},
	);

	await check(
		named(
			'receptionist: a tool error (the lookup throws) is spoken as an apology and the call is not left open',
		),
		async () => {
			const breakLookup = (tool: WorkflowJson['nodes'][number]): void => {
				tool.parameters.jsCode = "throw new Error('The calendar is unavailable');";
			};
			await withToolChanged(ctx, 'Look up opening hours', breakLookup, async () => {
				const c = await ring(ctx, {
					turns: [{ say: 'What are your opening hours?' }, { say: 'Goodbye.' }],
					whenDone: 'hangUp',
				});
				// The turn keeps the tool's error (the example's Code node reads it in the agent's steps).
				assert.ok(
					agentTurns(c).some((t) => /^tool Look_up_opening_hours: /.test(t.error ?? '')),
					JSON.stringify(agentTurns(c)),
				);
				if (ctx.agentVersion >= 3) {
					// AI Agent 3 hands the error back to the model as the tool's result.
					assert.ok(
						ctx.model
							.requests()
							.some((r) => JSON.stringify(r.body ?? '').includes('The calendar is unavailable')),
						'the model never saw the tool error',
					);
				}
				assert.ok(
					spoken(c).some((h) => /I'm sorry/.test(h)),
					JSON.stringify(spoken(c)),
				);
				assert.ok(c.ended, 'the call is still open');
			});
		},
	);

	await check(
		named('receptionist: a hang-up tool that fails is not taken for the end of the call'),
		async () => {
			// An id of no call, with the strict behaviour: ACS answers 404 and the tool fails.
			const breakHangUp = (tool: WorkflowJson['nodes'][number]): void => {
				tool.parameters.callConnectionId = '00000000-0000-4000-8000-000000000000';
				tool.parameters.errorIfEnded = true;
			};
			await withToolChanged(ctx, 'End the call', breakHangUp, async () => {
				const c = await ring(ctx, { turns: [{ say: 'Goodbye.' }], whenDone: 'hangUp' });
				assert.ok(
					agentTurns(c).some((t) => /^tool End_the_call: /.test(t.error ?? '')),
					JSON.stringify(agentTurns(c)),
				);
				// The loop listened again instead of ending on a call still open; the caller then hung up.
				assert.equal(requestsTo(emu, c.callConnectionId, 'recognize'), 2);
				assert.equal(c.result.outcome, 'callerHungUp', JSON.stringify(c.result).slice(0, 1500));
			});
		},
	);
}

/** Runs `fn` with one of the receptionist's tools changed by `change`, then restores the receptionist. */
async function withToolChanged(
	ctx: Ctx,
	name: string,
	change: (tool: WorkflowJson['nodes'][number]) => void,
	fn: () => Promise<void>,
): Promise<void> {
	const original = await ctx.client.workflow(ctx.receptionist.id as string);
	const changed = structuredClone(original);
	const tool = changed.nodes.find((n) => n.name === name);
	assert.ok(tool, `the receptionist has no tool "${name}"`);
	change(tool);
	await replaceReceptionist(ctx, changed);
	try {
		await fn();
	} finally {
		await replaceReceptionist(ctx, original);
	}
}

/** Stores `workflow` as the receptionist and activates it again (its Event Grid subscription renewed). */
async function replaceReceptionist(ctx: Ctx, workflow: WorkflowJson): Promise<void> {
	const id = ctx.receptionist.id as string;
	await ctx.client.deactivate(id);
	await ctx.client.updateWorkflow(id, workflow);
	await ctx.client.activate(id);
	await waitFor(
		'the Event Grid subscription',
		() => ((ctx.emu.state().eventGridSubscriptions as Json[]).length === 1 ? true : undefined),
		20_000,
	);
}

/** The AI Agent version n8n's editor adds today (its default version), from n8n's node types. */
async function editorAgentVersion(client: N8nClient): Promise<number> {
	const types = await client.request<
		Array<{ name: string; version: number | number[]; defaultVersion?: number }>
	>('GET', 'types/nodes.json');
	const agent = types.filter((t) => t.name === AGENT_TYPE);
	assert.ok(agent.length > 0, 'n8n has no AI Agent node');
	const declared = agent.find((t) => t.defaultVersion !== undefined)?.defaultVersion;
	return declared ?? Math.max(...agent.flatMap((t) => [t.version].flat()));
}

function agentVersionOf(workflow: WorkflowJson): number {
	const agent = workflow.nodes.find((n) => n.type === AGENT_TYPE);
	assert.ok(agent, `"${workflow.name}" has no AI Agent`);
	return Number(agent.typeVersion);
}

async function reminderChecks(ctx: Ctx): Promise<void> {
	const contacts = [
		{
			name: 'Ada',
			number: '+14255550201',
			appointment: 'Tuesday at 10 am',
			turns: [{ say: 'Yes, I will be there.' }, { say: "No, that's all. Bye." }],
		},
		{
			name: 'Ben',
			number: '+14255550202',
			appointment: 'Wednesday at 3 pm',
			turns: [{ say: 'Can we move it to Thursday instead?' }, { say: "That's all, goodbye." }],
		},
	];
	await check(
		'reminder: one execution per contact, the agent confirms or reschedules, one result item each with outcome and transcript',
		async () => {
			const [ada, ben] = await callContacts(ctx, contacts);
			for (const [c, contact] of [
				[ada, contacts[0]],
				[ben, contacts[1]],
			] as const) {
				assert.equal(c.result.name, contact.name);
				assert.equal(c.result.number, contact.number);
				assert.equal(c.result.outcome, 'agentEnded', JSON.stringify(c.result).slice(0, 1500));
				assert.match(spoken(c)[0], new RegExp(`${contact.name}.*${contact.appointment}`));
				assert.deepEqual(
					callerTurns(c).map((t) => t.text),
					contact.turns.map((t) => t.say),
				);
				assertSummary(c);
			}
			assert.ok(
				spoken(ben).some((h) => /Thursday/.test(h)),
				`no rescheduling answer: ${JSON.stringify(spoken(ben))}`,
			);
			assert.ok(!spoken(ada).some((h) => /Thursday/.test(h)));
		},
	);

	await check(
		'reminder: a contact hanging up during the greeting, while the agent speaks, or during the goodbye ends the execution as a success',
		async () => {
			const [greeting, answer, goodbye] = await callContacts(ctx, [
				{ ...REMINDER_CONTACT, number: '+14255550211', turns: [{ hangUp: 'duringPrompt' }] },
				{
					...REMINDER_CONTACT,
					number: '+14255550212',
					turns: [{ say: 'Who is this?' }, { hangUp: 'duringPrompt' }],
				},
				{
					...REMINDER_CONTACT,
					number: '+14255550213',
					turns: [
						{ silence: true },
						{ unrecognized: true },
						{ silence: true },
						{ hangUp: 'duringPrompt' },
					],
				},
			]);
			for (const c of [greeting, answer])
				assert.equal(c.result.outcome, 'callerHungUp', JSON.stringify(c.result).slice(0, 1500));
			assert.deepEqual(callerTurns(greeting), []);
			assert.deepEqual(
				callerTurns(answer).map((t) => t.text),
				['Who is this?'],
			);
			assert.equal(agentTurns(answer).length, 2, 'the greeting and one answer');
			assert.equal(
				goodbye.result.outcome,
				'noInput',
				JSON.stringify(goodbye.result).slice(0, 1500),
			);
			assert.equal(goodbye.runs['Say goodbye']?.[0]?.outcome, 'callEnded');
			assert.equal(goodbye.runs['Hang up']?.[0]?.alreadyEnded, true);
		},
	);
}

/** A contact of the reminder; the number is the one its scripted caller answers. */
const REMINDER_CONTACT = { name: 'Cy', appointment: 'Friday at 9 am' };

/**
 * Posts each contact to the reminder's webhook (one execution each), its number scripted with its turns,
 * and waits for every conversation to end.
 */
async function callContacts(
	ctx: Ctx,
	contacts: Array<{
		name: string;
		number: string;
		appointment: string;
		turns: CallerScript['turns'];
	}>,
): Promise<Conversation[]> {
	const { emu } = ctx;
	const url = reminderWebhookUrl(ctx.base, ctx.reminder);
	for (const contact of contacts) {
		emu.scriptCaller({ number: contact.number, turns: contact.turns, whenDone: 'hangUp' });
		// n8n 2.x may register an activated workflow's webhook a moment after activation: until then it
		// answers 404 and starts nothing, so the post is sent again.
		const res = await waitFor(`the reminder's webhook to take ${contact.number}`, async () => {
			const r = await fetch(url, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(contact),
			});
			return r.status === 404 ? undefined : r;
		});
		assert.equal(res.status, 200, await res.text());
	}
	const results: Conversation[] = [];
	for (const contact of contacts) {
		const call = await waitFor(`the call to ${contact.number}`, () =>
			[...emu.state().calls, ...emu.state().endedCalls].find((c) =>
				JSON.stringify(c.targets ?? []).includes(contact.number),
			),
		);
		const executionId = executionIdOf(call);
		assert.ok(executionId);
		results.push(await finishedConversation(ctx, call.callConnectionId as string, executionId));
	}
	return results;
}

// ---------------------------------------------------------------------------------------------- lines

async function prepare(
	client: N8nClient,
	emu: Emulator,
	model: ModelStandIn,
	base: string,
	line: N8nLine,
): Promise<Ctx> {
	const { workflows } = await step(
		'owner set up; ACS, Event Grid and OpenAI (Base URL = the model stand-in) credentials; AI examples imported and active',
		async () => {
			await client.ownerLogin(newOwner());
			return await provisionAgentExamples(client, emu, base, model.url);
		},
	);
	const receptionist = workflows[RECEPTIONIST_FILE];
	const reminder = workflows[REMINDER_FILE];
	assert.ok(receptionist?.id && reminder?.id, 'the AI examples are missing');
	await step('the receptionist registered its Event Grid subscription', async () => {
		await waitFor(
			'one Event Grid subscription',
			() => ((emu.state().eventGridSubscriptions as Json[]).length === 1 ? true : undefined),
			20_000,
		);
	});
	return {
		line,
		client,
		emu,
		model,
		base,
		receptionist,
		reminder,
		agentVersion: agentVersionOf(receptionist),
		label: '',
	};
}

async function runLine(line: N8nLine): Promise<void> {
	log(`=== n8n ${line.name}: AI phone agent ===`);
	await step(`install n8n ${line.name}`, () => ensureInstall(line, log));
	const userFolder = join(E2E_DIR, '.n8n', `agent-${line.name}`);
	removeDir(userFolder);
	await step('pack the package into the n8n community nodes folder', () =>
		stagePackage(userFolder, log),
	);
	const emu = await startEmulator({
		port: 0,
		connectDelayMs: 20,
		playDurationMs: 100,
		recognizeDelayMs: 20,
	});
	const model = await startModelStandIn({ port: 0 });
	let n8n: N8nProcess | undefined;
	const failuresBefore = report.failures;
	try {
		n8n = await step(`n8n ${line.name} starts (community nodes usable as tools)`, async () =>
			startN8n({ line, userFolder, port: await freePort(), log, env: AGENT_N8N_ENV }),
		);
		const client = new N8nClient(n8n.url);
		const ctx = await prepare(client, emu, model, n8n.url, line);
		await receptionistChecks(ctx);
		await reminderChecks(ctx);
		// The examples keep AI Agent 2.2 (in every n8n 1.x and 2.x); an agent someone adds in the editor
		// today is the newer default, so the receptionist runs again with that.
		const latest = await editorAgentVersion(client);
		if (latest !== ctx.agentVersion) {
			await step(
				`the receptionist's AI Agent moved to ${latest}, the version the editor adds`,
				async () => {
					const workflow = await client.workflow(ctx.receptionist.id as string);
					for (const node of workflow.nodes)
						if (node.type === AGENT_TYPE) node.typeVersion = latest;
					await replaceReceptionist(ctx, workflow);
				},
			);
			await receptionistChecks({ ...ctx, agentVersion: latest, label: ` (AI Agent ${latest})` });
		}
	} finally {
		if (n8n) {
			if (report.failures > failuresBefore)
				log(`  n8n output (${n8n.logFile}), last lines:\n${indent(n8n.tail(60))}`);
			await n8n.stop();
		}
		await model.close();
		await emu.close();
		if (!process.env.E2E_KEEP && report.failures === failuresBefore) removeDir(userFolder);
	}
}

/**
 * Queue mode: main, a webhook processor and two workers. Turns one and two run while only worker A is up;
 * then A stops and B takes turns three and four: B's agent still knows the name from turn one, because the
 * memory is the transcript the execution carries, not a process's Simple Memory.
 */
/** The worker's own log line for each execution (or resume of one) it runs. */
function ran(worker: QueueProcess, executionId: string): boolean {
	return worker.output().includes(`Worker started execution ${executionId} `);
}

async function runQueueLine(line: N8nLine): Promise<void> {
	log(`=== n8n ${line.name}, queue mode: a conversation whose turns run on two workers ===`);
	await step(`install n8n ${line.name}`, () => ensureInstall(line, log));
	let cluster: QueueCluster | undefined;
	const emu = await startEmulator({
		port: 0,
		connectDelayMs: 20,
		playDurationMs: 100,
		recognizeDelayMs: 20,
	});
	const model = await startModelStandIn({ port: 0 });
	const failuresBefore = report.failures;
	const processes: QueueProcess[] = [];
	try {
		cluster = await step('Redis and Postgres started, the package staged', () =>
			startCluster(log, (folder) => stagePackage(folder, log)),
		);
		const webhookPort = await freePort();
		const webhookUrl = `http://127.0.0.1:${webhookPort}/`;
		const start = (
			role: 'main' | 'webhook' | 'worker',
			name: string,
			port?: number,
		): Promise<QueueProcess> =>
			startQueueProcess({
				line,
				cluster: cluster as QueueCluster,
				role,
				name,
				webhookUrl,
				port,
				log,
				env: AGENT_N8N_ENV,
			}).then((p) => {
				processes.push(p);
				return p;
			});
		const main = await step('n8n main started', () => start('main', 'main'));
		await step('webhook processor started', () => start('webhook', 'webhook', webhookPort));
		const workerA = await step('worker A started', () => start('worker', 'worker-a'));
		const client = new N8nClient(main.url);
		const ctx = await prepare(client, emu, model, webhookUrl, line);

		const from = '+14255550177';
		const { callConnectionId, executionId } = await step(
			'a call answered; turns one and two (name, opening hours) run on worker A',
			async () => {
				await emu.simulateIncomingCall({ from, to: RECEPTIONIST_NUMBER });
				const call = await waitFor(
					'the receptionist to answer',
					() => emu.state().calls.find((c) => c.direction === 'inbound'),
					60_000,
				);
				const id = call.callConnectionId as string;
				const execution = executionIdOf(call) as string;
				for (const [n, text] of [
					[1, 'Hi, my name is Dana.'],
					[2, 'What are your opening hours?'],
				] as const) {
					await waitFor(
						`listen ${n}`,
						() =>
							(
								(emu.state().calls.find((c) => c.callConnectionId === id)?.mediaOperations ??
									{}) as Json
							).recognize,
						60_000,
					);
					assert.ok(emu.saySpeech(id, text));
					await waitFor(
						`listen ${n} answered`,
						() =>
							emu.heard(id).filter((h) => h.via === 'recognize').length > n ? true : undefined,
						60_000,
					);
				}
				await waitFor(
					'listen 3 open',
					() =>
						(
							(emu.state().calls.find((c) => c.callConnectionId === id)?.mediaOperations ??
								{}) as Json
						).recognize,
					60_000,
				);
				assert.ok(ran(workerA, execution), 'worker A did not run the execution');
				return { callConnectionId: id, executionId: execution };
			},
		);
		const workerB = await step(
			'worker B started, worker A stopped (the execution waits for turn three meanwhile)',
			async () => {
				const b = await start('worker', 'worker-b');
				await workerA.stop();
				return b;
			},
		);
		await step(
			'turns three and four on worker B: the agent still knows the name from turn one; the hang-up tool ends the call',
			async () => {
				assert.ok(emu.saySpeech(callConnectionId, 'What is my name?'));
				await waitFor(
					'listen 4',
					() =>
						emu.heard(callConnectionId).filter((h) => h.via === 'recognize').length >= 4
							? true
							: undefined,
					60_000,
				);
				await waitFor(
					'listen 4 open',
					() =>
						(
							(emu.state().calls.find((c) => c.callConnectionId === callConnectionId)
								?.mediaOperations ?? {}) as Json
						).recognize,
					60_000,
				);
				assert.ok(emu.saySpeech(callConnectionId, "That's all, goodbye."));
				const c = await finishedConversation(ctx, callConnectionId, executionId);
				assert.ok(ran(workerB, executionId), 'worker B did not run the execution');
				const answerToName = agentTurns(c)[3]?.text ?? '';
				assert.match(answerToName, /Dana/, `turn three's answer: ${answerToName}`);
				assert.equal(c.result.outcome, 'agentEnded');
				assert.equal(callerTurns(c).length, 4);
			},
		);
	} finally {
		if (report.failures > failuresBefore)
			for (const p of processes)
				log(`  ${p.name} (${p.logFile}), last lines:\n${indent(p.tail(40))}`);
		await cluster?.stop();
		await model.close();
		await emu.close();
		if (cluster && !process.env.E2E_KEEP && report.failures === failuresBefore)
			removeClusterDir(cluster);
	}
}

async function main(): Promise<void> {
	const wanted = (process.env.E2E_LINES ?? '1.x,2.x').split(',').map((s) => s.trim()) as Array<
		keyof typeof LINES
	>;
	await step('build the package', () => buildPackage(log));
	for (const name of wanted) {
		const line = LINES[name];
		if (!line) throw new Error(`Unknown line ${name} in E2E_LINES (1.x, 2.x)`);
		if (process.env.E2E_AGENT_SQLITE === '0') continue;
		await runLine(line).catch((error: Error) => log(`  line ${name} stopped: ${error.message}`));
	}
	if (process.env.E2E_AGENT_QUEUE !== '0') {
		for (const name of wanted)
			await runQueueLine(LINES[name]).catch((error: Error) =>
				log(`  queue line ${name} stopped: ${error.message}`),
			);
	}
	log(`agent e2e: ${report.passes} passed, ${report.failures} failed (${report.elapsed()})`);
	process.exit(report.failures > 0 ? 1 : 0);
}

void main();
