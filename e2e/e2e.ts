/**
 * `npm run e2e`: the package installed in a real n8n (pinned in e2e/, and n8n 2.x in e2e/v2/ on Node 24),
 * driven only through n8n's REST API and webhooks, against the local ACS emulator.
 *
 *   npm run e2e                 # every line whose install works here (1.x, 2.x)
 *   E2E_LINES=1.x npm run e2e   # one line
 *   E2E_KEEP=1 npm run e2e      # leave the n8n user folders (e2e/.n8n/<line>) for inspection
 *
 * Everything waits on conditions (emulator state, executions) with deadlines; no sleeps.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync, createSign, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../emulator';
import {
	ACS_CREDENTIAL_TYPE,
	E2E_DIR,
	EMULATOR_CALLED_NUMBERS,
	EVENT_GRID_CREDENTIAL_TYPE,
	LINES,
	MENU_NUMBER,
	RECEPTIONIST_NUMBER,
	N8nClient,
	TRIGGER_TYPE,
	buildPackage,
	ensureInstall,
	finishedRuns,
	freePort,
	importExamples,
	newOwner,
	productionUrl,
	removeDir,
	removeEventLogs,
	runsOf as runsOfLine,
	stagePackage,
	startN8n,
	waitFor,
	WaitAbort,
	type Execution,
	type N8nLine,
	type N8nProcess,
	type WorkflowJson,
} from './lib/n8n';
import { callEvent } from './lib/events';
import { createReport, indent } from './lib/report';
import { runBrowser } from './browser';
import { runRestart } from './restart';

const report = createReport();
const { log, step, elapsed } = report;

type Json = Record<string, unknown>;

interface EventRecordLike {
	seq: number;
	type: string;
	callConnectionId?: string;
	status: string;
	responseStatus?: number;
	channel: string;
}

function emulatorEvents(emu: Emulator, callConnectionId?: string): EventRecordLike[] {
	const events = emu.state().events as EventRecordLike[];
	return callConnectionId ? events.filter((e) => e.callConnectionId === callConnectionId) : events;
}

function shortType(type: string): string {
	return type.replace(/^Microsoft\.Communication\./, '');
}

function targetNumbers(call: Json): string[] {
	return ((call.targets ?? []) as Json[]).map(
		(t) => ((t.phoneNumber ?? {}) as Json).value as string,
	);
}

/** A JWT signed with a key that is not the emulator's, claiming to come from it (iss, aud, kid all right). */
async function forgedToken(emu: Emulator): Promise<string> {
	const jwks = (await (await fetch(emu.jwksUrl)).json()) as { keys: Array<{ kid: string }> };
	const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
	const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
	const now = Math.floor(Date.now() / 1000);
	const head = b64({ alg: 'RS256', typ: 'JWT', kid: jwks.keys[0]?.kid });
	const body = b64({ iss: emu.issuer, aud: emu.resourceId, iat: now, nbf: now, exp: now + 300 });
	const signature = createSign('RSA-SHA256')
		.update(`${head}.${body}`)
		.sign(privateKey)
		.toString('base64url');
	return `${head}.${body}.${signature}`;
}

function forgedEvent(callConnectionId: string): Json[] {
	return [callEvent(callConnectionId, { serverCallId: 'forged' })];
}

async function countExecutions(client: N8nClient, workflowId: string): Promise<number> {
	return (await client.executions(workflowId)).length;
}

/** Waits until the workflow has at least `count` finished executions; fails on any failed one. */
async function waitForExecutions(
	client: N8nClient,
	workflowId: string,
	count: number,
	what: string,
): Promise<Execution[]> {
	return await waitFor(
		what,
		async () => {
			const list = await client.executions(workflowId);
			const bad = list.find(
				(e) => e.status === 'error' || e.status === 'crashed' || e.status === 'canceled',
			);
			if (bad) {
				const detail = await client.execution(bad.id).catch(() => undefined);
				throw new WaitAbort(
					`execution ${bad.id} of workflow ${workflowId} ended "${bad.status}": ${JSON.stringify(detail).slice(0, 1500)}`,
				);
			}
			const done = list.filter((e) => e.status === 'success');
			return done.length >= count ? done : undefined;
		},
		60_000,
		250,
	);
}

async function runLine(line: N8nLine, install: Promise<void>): Promise<void> {
	log(`=== n8n ${line.name} ===`);
	await step(`install n8n ${line.name} (${line.dir})`, () => install);
	const userFolder = join(E2E_DIR, '.n8n', line.name);
	removeDir(userFolder);
	await step('pack the package into the n8n community nodes folder', () =>
		stagePackage(userFolder, log),
	);

	const emu = await startEmulator({ port: 0, connectDelayMs: 50, playDurationMs: 200 });
	let n8n: N8nProcess | undefined;
	let lineFailed = false;
	try {
		const port = await freePort();
		// n8n 2.x only lets file nodes use allowed folders: the recording example saves its file in /tmp.
		const start = () =>
			startN8n({ line, userFolder, port, log, env: { N8N_RESTRICT_FILE_ACCESS_TO: '/tmp' } });
		n8n = await step(`n8n ${line.name} starts and serves /healthz`, start);
		const owner = newOwner();
		const base = n8n.url;
		const client = new N8nClient(base);

		await step('owner set up and logged in over REST', async () => {
			assert.equal(await client.ownerLogin(owner), 'created');
		});

		const known = await step(
			'n8n loaded the package (node types and credential types)',
			async () => {
				const nodes = (
					await client.request<Array<{ name: string }>>('GET', 'types/nodes.json')
				).map((n) => n.name);
				const creds = (
					await client.request<Array<{ name: string }>>('GET', 'types/credentials.json')
				).map((c) => c.name);
				for (const name of ['n8n-nodes-azure-call-automation.azureCallAutomation', TRIGGER_TYPE]) {
					assert.ok(nodes.includes(name), `${name} missing from n8n's node types`);
				}
				assert.ok(
					creds.includes(ACS_CREDENTIAL_TYPE),
					`${ACS_CREDENTIAL_TYPE} missing from n8n's credential types`,
				);
				return { eventGrid: creds.includes(EVENT_GRID_CREDENTIAL_TYPE) };
			},
		);

		const acsCredential = await step(
			'ACS credential created (connection string of the emulator)',
			() =>
				client.upsertCredential('Azure Communication Services account', ACS_CREDENTIAL_TYPE, {
					connectionString: emu.connectionString,
					resourceId: emu.resourceId,
					openIdConfigurationUrl: emu.openIdConfigurationUrl,
				}),
		);
		const eventGridCredential = known.eventGrid
			? await step('Event Grid (ARM) credential created against the emulator', () =>
					client.upsertCredential('Azure Event Grid account', EVENT_GRID_CREDENTIAL_TYPE, {
						...emu.arm,
					}),
				)
			: undefined;

		const workflows = await step('example workflows imported', () =>
			importExamples(client, {
				webhookBaseUrl: base,
				acsCredential,
				eventGridCredential,
				triggerOptions: {
					resourceId: emu.resourceId,
					openIdConfigurationUrl: emu.openIdConfigurationUrl,
				},
				calledNumbers: EMULATOR_CALLED_NUMBERS,
			}),
		);
		const outage = workflows['outage-call.json'];
		const events = workflows['outage-call-events.json'];
		assert.ok(outage?.id && events?.id, 'the outage examples are missing');

		await step('"Outage call: call events" activated (production webhook registered)', async () => {
			const active = await client.activate(events.id as string);
			assert.equal(active.active, true);
		});

		// ---- the demo: what a user does by clicking "Execute workflow"
		const executionId = await step('"Outage call: place the call" run manually over REST', () =>
			client.runManually(outage.id as string, 'When clicking ‘Execute workflow’'),
		);
		const callbackUrl = productionUrl(base, events as WorkflowJson);
		const call = await step(
			'emulator: the call was created with the target, caller id and callback URL',
			async () => {
				const found = await waitFor('the outage call in the emulator', () => {
					const s = emu.state();
					return [...s.calls, ...s.endedCalls].find((c) => c.callbackUri === callbackUrl);
				});
				assert.deepEqual(targetNumbers(found), ['+14255550100']);
				assert.equal(((found.sourceCallerIdNumber ?? {}) as Json).value, '+14255550199');
				assert.equal(found.operationContext, 'outage-notice');
				return found;
			},
		);
		const callConnectionId = call.callConnectionId as string;
		await step('n8n: the manual execution succeeded', async () => {
			await waitFor(`execution ${executionId}`, async () => {
				const e = await client.execution(executionId);
				if (e.status === 'error' || e.status === 'crashed')
					throw new WaitAbort(`execution ${executionId}: ${JSON.stringify(e).slice(0, 1500)}`);
				return e.status === 'success' ? e : undefined;
			});
		});
		await step(
			'emulator: CallConnected and PlayCompleted delivered to n8n, audio played, call hung up for everyone',
			async () => {
				const ended = await waitFor(
					'the call to end',
					() => emu.state().endedCalls.find((c) => c.callConnectionId === callConnectionId),
					60_000,
				);
				const types = emulatorEvents(emu, callConnectionId).map(
					(e) => `${shortType(e.type)}:${e.status}:${e.responseStatus ?? ''}`,
				);
				for (const expected of [
					'CallConnected:delivered:200',
					'PlayStarted:delivered:200',
					'PlayCompleted:delivered:200',
				]) {
					assert.ok(types.includes(expected), `${expected} not in ${types.join(', ')}`);
				}
				assert.ok(
					types.some((t) => t.startsWith('CallDisconnected:')),
					`no CallDisconnected in ${types.join(', ')}`,
				);
				const recent = (emu.state().requests.recent as Array<Json>).map(
					(r) => `${r.method} ${r.path ?? r.route ?? ''}`,
				);
				assert.ok(
					recent.some((r) => r.includes(`${callConnectionId}:play`)),
					`no play request for the call in ${recent.join(', ')}`,
				);
				assert.ok(
					recent.some((r) => r.includes(`${callConnectionId}:terminate`)),
					`no terminate (hang up for everyone) in ${recent.join(', ')}`,
				);
				assert.ok(ended.endReason, 'the ended call has no end reason');
			},
		);
		await step(
			'n8n: the trigger workflow ran twice (CallConnected → Play, PlayCompleted → Hang Up), both succeeded',
			async () => {
				const done = await waitForExecutions(
					client,
					events.id as string,
					2,
					'two successful "call events" executions',
				);
				assert.equal(done.length, 2, `expected 2 executions, got ${done.length}`);
				for (const e of done) assert.equal(e.mode, 'webhook');
			},
		);

		// ---- forged events
		await step('a forged event without a token gets 401 and starts no execution', async () => {
			const before = await countExecutions(client, events.id as string);
			const res = await fetch(callbackUrl, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(forgedEvent(callConnectionId)),
			});
			assert.equal(res.status, 401, `status ${res.status}: ${await res.text()}`);
			assert.equal(await countExecutions(client, events.id as string), before);
		});
		await step(
			'a forged event with a token signed by another key gets 401 and starts no execution',
			async () => {
				const before = await countExecutions(client, events.id as string);
				const res = await fetch(callbackUrl, {
					method: 'POST',
					headers: {
						'content-type': 'application/json',
						authorization: `Bearer ${await forgedToken(emu)}`,
					},
					body: JSON.stringify(forgedEvent(callConnectionId)),
				});
				assert.equal(res.status, 401, `status ${res.status}: ${await res.text()}`);
				assert.equal(await countExecutions(client, events.id as string), before);
			},
		);

		await step(
			'a call event in other letter case posing as an Event Grid delivery, without a token, gets 401',
			async () => {
				const before = await countExecutions(client, events.id as string);
				const [event] = forgedEvent(callConnectionId);
				const res = await fetch(callbackUrl, {
					method: 'POST',
					headers: { 'content-type': 'application/json', 'aeg-event-type': 'Notification' },
					body: JSON.stringify([{ ...event, type: 'microsoft.communication.callconnected' }]),
				});
				assert.equal(res.status, 401, `status ${res.status}: ${await res.text()}`);
				assert.equal(await countExecutions(client, events.id as string), before);
			},
		);
		await step(
			'a genuine event delivered twice runs once; n8n answers with the fixed body, not workflow data',
			async () => {
				const before = await countExecutions(client, events.id as string);
				const [event] = forgedEvent(callConnectionId);
				const body = JSON.stringify([
					{
						...event,
						type: 'Microsoft.Communication.PlayFailed',
						data: { ...(event.data as Json), serverCallId: 'replayed' },
					},
				]);
				const send = async () => {
					const res = await fetch(callbackUrl, {
						method: 'POST',
						headers: {
							'content-type': 'application/json',
							authorization: `Bearer ${emu.context.jwt.token()}`,
						},
						body,
					});
					return { status: res.status, text: await res.text() };
				};
				const first = await send();
				assert.equal(first.status, 200, first.text);
				assert.deepEqual(JSON.parse(first.text), { status: 'accepted' });
				const second = await send();
				assert.equal(second.status, 200, second.text);
				assert.deepEqual(JSON.parse(second.text), { status: 'ignored' });
				await waitFor(
					'one more execution',
					async () =>
						(await countExecutions(client, events.id as string)) >= before + 1 ? true : undefined,
					10_000,
				);
				assert.equal(await countExecutions(client, events.id as string), before + 1);
			},
		);

		// ---- incoming call: Event Grid subscription on activation, removed on deactivation
		// By file: the AI receptionist also answers incoming calls (run by e2e/agent.ts).
		const incoming = workflows['incoming-call-menu.json'];
		if (incoming?.id && eventGridCredential) {
			await runIncomingCall(client, emu, incoming);
		} else {
			log('  skip incoming-call example (not in examples/ or no Event Grid credential type yet)');
		}

		const reminder = workflows['appointment-reminder.json'];
		assert.ok(reminder?.id, 'the appointment reminder example is missing');
		await runConversation(client, emu, reminder, base);
		await runRestart({
			client,
			emu,
			reminder,
			restarting: 'n8n',
			restart: async () => {
				await n8n?.stop();
				n8n = undefined;
				removeEventLogs(userFolder);
				n8n = await start();
				await client.login(owner);
			},
			step,
			log,
		});

		await step('deactivating the call events workflow unregisters its production URL', async () => {
			await client.deactivate(events.id as string);
			// n8n 2.x removes the webhook shortly after answering the request.
			let last = '';
			await waitFor(
				'the production URL to answer 404',
				async () => {
					const res = await fetch(callbackUrl, {
						method: 'POST',
						headers: { 'content-type': 'application/json' },
						body: '[]',
					});
					last = `${res.status} ${await res.text()}`;
					return res.status === 404 ? true : undefined;
				},
				10_000,
			).catch((error: Error) => {
				throw new Error(`${error.message}; last answer: ${last}`);
			});
		});

		// ---- the editor in a real browser: nodes panel, node panels, save, execute a step
		await runBrowser({ url: base, client, emulator: emu, log, step });
	} catch (error) {
		lineFailed = true;
		throw error;
	} finally {
		if (n8n) {
			if (report.failures > 0 || lineFailed)
				log(`  n8n output (${n8n.logFile}), last lines:\n${indent(n8n.tail(60))}`);
			await n8n.stop();
		}
		await emu.close();
		if (!process.env.E2E_KEEP && report.failures === 0 && !lineFailed) removeDir(userFolder);
	}
}

async function runIncomingCall(
	client: N8nClient,
	emu: Emulator,
	workflow: WorkflowJson,
): Promise<void> {
	const id = workflow.id as string;
	await step(
		'"Incoming call" activated: the trigger registered an Event Grid subscription through ARM (handshake passed)',
		async () => {
			const active = await client.activate(id);
			assert.equal(active.active, true);
			await waitFor(
				'one Event Grid subscription',
				() => ((emu.state().eventGridSubscriptions as Json[]).length === 1 ? true : undefined),
				10_000,
			).catch((error: Error) => {
				const recent = (emu.state().requests.recent as Json[])
					.slice(-10)
					.map((r) => `${r.method} ${r.path} ${r.status}`);
				throw new Error(`${error.message}; emulator's last requests: ${recent.join(', ')}`);
			});
		},
	);
	const from = '+14255550123';
	await step(
		'a call to another number of the resource (Called Numbers): acknowledged, the key menu does not start',
		async () => {
			const before = (await client.executions(id)).length;
			const other = await emu.simulateIncomingCall({ from, to: RECEPTIONIST_NUMBER });
			const delivered = other.deliveries.filter((d) => d.channel === 'eventGrid');
			assert.ok(delivered.length > 0, 'the call was not delivered to the trigger');
			for (const d of delivered) assert.equal(d.responseStatus, 200, JSON.stringify(d));
			assert.equal((await client.executions(id)).length, before);
			assert.equal(
				emu.state().calls.some((c) => c.direction === 'inbound'),
				false,
				'a call to another number was answered',
			);
		},
	);
	const callConnectionId = await step(
		'incoming call (Event Grid) answered, the caller found among the participants, key prompt started',
		async () => {
			await emu.simulateIncomingCall({ from, to: MENU_NUMBER });
			const connected = await waitFor(
				'the incoming call to be answered and connected',
				() => emu.state().calls.find((c) => c.direction === 'inbound' && c.state === 'connected'),
				60_000,
			);
			const ccid = connected.callConnectionId as string;
			// One call answered of the two: the menu's own (the other was rung first).
			assert.equal(emu.state().calls.filter((c) => c.direction === 'inbound').length, 1);
			const recognize = await waitFor('a recognize on the call', () => {
				const c = emu.state().calls.find((x) => x.callConnectionId === ccid);
				return ((c?.mediaOperations ?? {}) as Json).recognize as Json | undefined;
			});
			assert.equal(recognize.inputType, 'dtmf');
			assert.equal(((((recognize.target ?? {}) as Json).phoneNumber ?? {}) as Json).value, from);
			return ccid;
		},
	);
	await step(
		'caller presses 1: the IF branch plays the update, then the call is hung up',
		async () => {
			emu.pressKeys(callConnectionId, '1');
			await waitFor(
				'the incoming call to end',
				() => emu.state().endedCalls.find((c) => c.callConnectionId === callConnectionId),
				60_000,
			);
			const recent = (emu.state().requests.recent as Json[]).map((r) => `${r.method} ${r.path}`);
			assert.ok(
				recent.some((r) => r.includes(`${callConnectionId}:play`)),
				`no play for the call in ${recent.join(', ')}`,
			);
			assert.ok(
				recent.some((r) => r.includes(`${callConnectionId}:terminate`)),
				`no terminate for the call in ${recent.join(', ')}`,
			);
			// IncomingCall, CallConnected, RecognizeCompleted, PlayCompleted: one execution each.
			const done = await waitForExecutions(
				client,
				id,
				4,
				'four successful "incoming call" executions',
			);
			assert.equal(done.length, 4);
		},
	);
	await step('deactivating "Incoming call" deletes its Event Grid subscription', async () => {
		await client.deactivate(id);
		await waitFor('the subscription to be gone', () =>
			(emu.state().eventGridSubscriptions as Json[]).length === 0 ? true : undefined,
		);
	});
}

// ---------------------------------------------------------------------------------------------- one workflow

/** What an execution ran (e2e/lib/n8n.ts: n8n's run data, read with the 1.x install's flatted). */
function runsOf(client: N8nClient, executionId: string): Promise<Record<string, Json[]>> {
	return runsOfLine(client, executionId, E2E_DIR);
}

async function executionStatus(client: N8nClient, id: string): Promise<string> {
	return (await client.execution(id)).status;
}

function finished(
	client: N8nClient,
	id: string,
	what: string,
	ms = 60_000,
): Promise<Record<string, Json[]>> {
	return finishedRuns(client, id, E2E_DIR, what, ms);
}

/** The call a manual run of the workflow placed (the newest outbound call whose callback is a resume URL). */
async function conversationCall(emu: Emulator, executionId: string): Promise<Json> {
	return await waitFor(`the call of execution ${executionId}`, () =>
		emu
			.state()
			.calls.find((c) => String(c.callbackUri ?? '').includes(`/webhook-waiting/${executionId}`)),
	);
}

async function pendingRecognize(emu: Emulator, callConnectionId: string): Promise<Json> {
	return await waitFor('a recognize on the call', () => {
		const c = emu.state().calls.find((x) => x.callConnectionId === callConnectionId);
		return ((c?.mediaOperations ?? {}) as Json).recognize as Json | undefined;
	});
}

/**
 * Events no step waits for. CallDisconnected after the workflow's own Hang Up meets a finished execution;
 * ParticipantsUpdated follows CallConnected to the call's callback URL and, depending on when it lands,
 * finds the execution waiting (200) or running on to its next step (409). Either answer loses nothing.
 */
const NOT_OUTCOMES = new Set(['CallDisconnected', 'ParticipantsUpdated']);

/**
 * A waiting step sends its request only once n8n has stored the execution as waiting, so no outcome the
 * emulator posted to the call's resume URLs may have been answered 409 ("running").
 */
function assertNoOutcomeMet409(emu: Emulator, callConnectionId: string): void {
	const conflicts = emulatorEvents(emu, callConnectionId).filter(
		(e) => e.responseStatus === 409 && !NOT_OUTCOMES.has(shortType(e.type)),
	);
	assert.deepEqual(
		conflicts.map((e) => shortType(e.type)),
		[],
		'events answered 409 by n8n',
	);
}

async function runConversation(
	client: N8nClient,
	emu: Emulator,
	workflow: WorkflowJson,
	base: string,
): Promise<void> {
	const id = workflow.id as string;
	const trigger = 'When clicking ‘Execute workflow’';
	// CallConnected goes out the moment the call is created: the step must not lose it to n8n's 409
	// ("execution running") while it is still storing the execution as waiting.
	emu.context.options.connectDelayMs = 0;

	for (const [key, branch, other] of [
		['1', 'Say: confirmed', 'Say: we will call to reschedule'],
		['2', 'Say: we will call to reschedule', 'Say: confirmed'],
	] as const) {
		await step(
			`one execution, top to bottom: the call is answered, key ${key} takes "${branch}", then Hang up`,
			async () => {
				const executionId = await client.runManually(id, trigger);
				if (key === '1') {
					// How long n8n answers 409 ("running") on the resume URL after the run starts: an event sent then
					// would be lost, which is why the step sends its request only after this window.
					const started = Date.now();
					let conflicts = 0;
					await waitFor(
						'the resume URL to stop answering 409',
						async () => {
							const res = await fetch(`${base.replace(/\/$/, '')}/webhook-waiting/${executionId}`, {
								method: 'POST',
								headers: { 'content-type': 'application/json' },
								body: '[]',
							});
							if (res.status !== 409) return true;
							conflicts++;
							return undefined;
						},
						30_000,
						10,
					);
					log(
						`       resume URL: ${conflicts} request(s) answered 409 (running); waiting ${Date.now() - started} ms after the run request returned`,
					);
				}
				const call = await conversationCall(emu, executionId);
				const cc = call.callConnectionId as string;
				await pendingRecognize(emu, cc);
				assert.equal(await executionStatus(client, executionId), 'waiting');
				emu.pressKeys(cc, key);
				const runs = await finished(client, executionId, `execution ${executionId} to finish`);
				assert.ok(runs[branch]?.length, `"${branch}" did not run: ${Object.keys(runs).join(', ')}`);
				assert.equal(runs[other], undefined, `"${other}" ran`);
				assert.ok(runs['Hang up']?.length, 'Hang up did not run');
				assert.equal(runs['Call the customer'][0].outcome, 'succeeded');
				assert.equal(runs['Call the customer'][0].eventType, 'CallConnected');
				assert.equal(runs['Ask: 1 to confirm, 2 to reschedule'][0].dtmfTones, key);
				assert.equal(runs[branch][0].eventType, 'PlayCompleted');
				await waitFor('the call to end', () =>
					emu.state().endedCalls.find((c) => c.callConnectionId === cc),
				);
				assertNoOutcomeMet409(emu, cc);
			},
		);
	}

	await step(
		'the callee hangs up during the last play: the play resumes as callEnded, Hang up says the call had already ended, the execution succeeds',
		async () => {
			const executionId = await client.runManually(id, trigger);
			const call = await conversationCall(emu, executionId);
			const cc = call.callConnectionId as string;
			await pendingRecognize(emu, cc);
			// The confirmation plays until the callee hangs up.
			const playDuration = emu.context.options.playDurationMs;
			emu.context.options.playDurationMs = 600_000;
			try {
				emu.pressKeys(cc, '1');
				await waitFor('the confirmation to start playing', () => {
					const live = emu.state().calls.find((c) => c.callConnectionId === cc);
					const plays = ((live?.mediaOperations as Json | undefined)?.plays ?? []) as Json[];
					return plays.some((p) => p.started === true) ? true : undefined;
				});
				emu.remoteHangUp(cc);
			} finally {
				emu.context.options.playDurationMs = playDuration;
			}
			const runs = await finished(
				client,
				executionId,
				`execution ${executionId} to finish after the callee hung up`,
			);
			assert.equal(
				runs['Say: confirmed']?.[0]?.outcome,
				'callEnded',
				JSON.stringify(runs).slice(0, 800),
			);
			const hangUp = runs['Hang up']?.[0];
			assert.equal(hangUp?.alreadyEnded, true, JSON.stringify(runs['Hang up']));
			assert.equal(hangUp?.error, undefined);
			assert.equal(await executionStatus(client, executionId), 'success');
			assertNoOutcomeMet409(emu, cc);
		},
	);

	await step(
		'"Outage call: one workflow": one execution calls, waits for the answer, plays the notice to the end, hangs up',
		async () => {
			const outage = Object.values(await client.workflows()).find(
				(w) => w.name === 'Outage call: one workflow',
			);
			assert.ok(outage?.id, 'the one-workflow outage example is missing');
			const executionId = await client.runManually(outage.id as string, trigger);
			const runs = await finished(client, executionId, `execution ${executionId} to finish`);
			assert.equal(runs['Call the customer']?.[0]?.outcome, 'succeeded');
			assert.equal(runs['Play the outage notice']?.[0]?.eventType, 'PlayCompleted');
			assert.ok(runs['Hang up']?.length, 'Hang up did not run');
			assert.equal(runs['Hang up'][0].error, undefined, JSON.stringify(runs['Hang up']));
		},
	);

	await step(
		'"Recording: record a call" then "Recording: save each recording file": the file event arrives through Event Grid and is downloaded',
		async () => {
			const all = await client.workflows();
			const record = all.find((w) => w.name === 'Recording: record a call');
			const save = all.find((w) => w.name === 'Recording: save each recording file');
			assert.ok(record?.id && save?.id, 'the recording examples are missing');
			await client.activate(save.id as string);
			try {
				const executionId = await client.runManually(record.id as string, trigger);
				const runs = await finished(client, executionId, `execution ${executionId} to finish`);
				assert.ok(runs['Stop recording']?.length, 'Stop recording did not run');
				const saved = await waitForExecutions(
					client,
					save.id as string,
					1,
					'the recording file to be saved',
				);
				const download = (await runsOf(client, saved[0].id))['Download the recording']?.[0];
				assert.ok(download, 'Download the recording did not run');
			} finally {
				await client.deactivate(save.id as string);
			}
		},
	);

	await step(
		'a forged or replayed resume request is refused and the execution keeps waiting',
		async () => {
			const executionId = await client.runManually(id, trigger);
			const call = await conversationCall(emu, executionId);
			const cc = call.callConnectionId as string;
			await pendingRecognize(emu, cc);
			const resumeUrl = new URL(String(call.callbackUri));
			const event = (type: string, data: Json = {}) =>
				JSON.stringify([
					{
						id: randomUUID(),
						source: `calling/callConnections/${cc}`,
						type: `Microsoft.Communication.${type}`,
						specversion: '1.0',
						data: { callConnectionId: cc, ...data },
					},
				]);
			const post = async (
				url: URL | string,
				body: string,
				headers: Record<string, string> = {},
			) => {
				const res = await fetch(url, {
					method: 'POST',
					headers: { 'content-type': 'application/json', ...headers },
					body,
				});
				return { status: res.status, text: await res.text() };
			};
			const bare = new URL(resumeUrl);
			bare.searchParams.delete('acsStep');
			// A step token with one claim changed is no longer the step's, even with a genuine event.
			const altered = new URL(resumeUrl);
			const [payload, signature] = String(altered.searchParams.get('acsStep')).split('.');
			const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Json;
			assert.equal(claims.a, emu.resourceId, 'the step token names the resource of its events');
			claims.r = randomUUID();
			altered.searchParams.set(
				'acsStep',
				`${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`,
			);
			const forgedKeys = event('RecognizeCompleted', {
				recognitionType: 'dtmf',
				dtmfResult: { tones: ['one'] },
			});
			for (const [what, url, headers] of [
				['no token', resumeUrl, {}],
				[
					'a token signed by another key',
					resumeUrl,
					{ authorization: `Bearer ${await forgedToken(emu)}` },
				],
				['no step', bare, { authorization: `Bearer ${emu.context.jwt.token()}` }],
				['an altered step token', altered, { authorization: `Bearer ${emu.context.jwt.token()}` }],
			] as Array<[string, URL, Record<string, string>]>) {
				const res = await post(url, forgedKeys, headers);
				assert.ok(
					res.status === 401 || res.status === 403 || res.status === 404,
					`${what}: ${res.status} ${res.text}`,
				);
			}
			// A genuine event of the call, but not this step's outcome (the create step's own URL), is acknowledged and ignored.
			const replay = await post(resumeUrl, event('CallConnected'), {
				authorization: `Bearer ${emu.context.jwt.token()}`,
			});
			assert.equal(replay.status, 200, replay.text);
			assert.equal(await executionStatus(client, executionId), 'waiting');
			// The caller hangs up: the waiting Collect Input step resumes with outcome callEnded.
			emu.remoteHangUp(cc);
			// It goes on: the next play finds the call gone (outcome callEnded too), Hang up finds it already ended.
			const runs = await finished(
				client,
				executionId,
				`execution ${executionId} to finish after the hang-up`,
			);
			assert.equal(
				runs['Ask: 1 to confirm, 2 to reschedule']?.[0]?.outcome,
				'callEnded',
				JSON.stringify(runs).slice(0, 800),
			);
			assert.equal(
				runs['Say: we will call to reschedule']?.[0]?.outcome,
				'callEnded',
				JSON.stringify(runs).slice(0, 800),
			);
			assert.equal(runs['Hang up']?.[0]?.alreadyEnded, true, JSON.stringify(runs['Hang up']));
		},
	);

	await step(
		'no key within the time limit: the step continues with outcome timedOut (n8n resumes it on its own)',
		async () => {
			const copy = JSON.parse(JSON.stringify(workflow)) as WorkflowJson;
			delete copy.id;
			copy.name = `${workflow.name} (time limit)`;
			const ask = copy.nodes.find((n) => n.name === 'Ask: 1 to confirm, 2 to reschedule');
			assert.ok(ask, 'no Collect Input step in the example');
			ask.parameters.waitTimeLimit = 5;
			const created = await client.createWorkflow(copy);
			const executionId = await client.runManually(created.id as string, trigger);
			const call = await conversationCall(emu, executionId);
			await pendingRecognize(emu, call.callConnectionId as string);
			// n8n's wait tracker looks for due executions every minute.
			const runs = await finished(
				client,
				executionId,
				`execution ${executionId} to resume after its time limit`,
				120_000,
			);
			const outcome = runs['Ask: 1 to confirm, 2 to reschedule']?.[0];
			assert.equal(outcome?.outcome, 'timedOut', JSON.stringify(runs).slice(0, 800));
			assert.equal(outcome?.succeeded, false);
		},
	);
}

async function main(): Promise<void> {
	const wanted = (process.env.E2E_LINES ?? '1.x,2.x')
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean);
	const lines = wanted.map((name) => {
		const line = LINES[name as keyof typeof LINES];
		if (!line) throw new Error(`Unknown line "${name}" (E2E_LINES): use 1.x and/or 2.x.`);
		return line;
	});
	// The installs (mostly network and disk) run side by side, and alongside the build.
	const installs = lines.map((line) => {
		const p = ensureInstall(line, log);
		p.catch(() => undefined);
		return p;
	});
	await step('build the package (npm run build)', () => buildPackage(log));
	for (const [i, line] of lines.entries()) await runLine(line, installs[i]);
}

main().then(
	() => {
		log(`PASS: ${report.passes} checks, ${elapsed()}`);
		process.exit(0);
	},
	(error: unknown) => {
		if (report.failures === 0) log(`FAIL: ${(error as Error).stack ?? String(error)}`);
		log(`FAILED: ${report.failures} failing, ${report.passes} passed, ${elapsed()}`);
		process.exit(1);
	},
);
