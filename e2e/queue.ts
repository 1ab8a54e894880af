/**
 * The package in n8n's queue mode: Redis and Postgres (Debian's packages, installed with apt-get when
 * missing, started here on loopback ports with their data in a temporary folder), n8n main + one webhook
 * processor (`n8n webhook`) + two workers (`n8n worker`), against the ACS emulator, on n8n 1.x and 2.x. Run
 * by `npm run e2e` after the single-process lines.
 *
 *   tsx e2e/queue.ts                        # both lines: the essential checks and a 200-contact campaign
 *   E2E_QUEUE_FULL=1 tsx e2e/queue.ts       # the whole 10,000-contact campaign instead of 200
 *   E2E_QUEUE_LINES=2.x tsx e2e/queue.ts    # one line
 *   E2E_QUEUE=0 npm run e2e                 # skip queue mode
 *   E2E_KEEP=1                              # keep the temporary folder (logs of every process)
 *
 * Everything waits on conditions with deadlines; no sleeps.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import { startEmulator, type Emulator } from '../emulator';
import {
	ACS_CREDENTIAL_TYPE,
	EVENT_GRID_CREDENTIAL_TYPE,
	EXAMPLES_DIR,
	LINES,
	N8nClient,
	buildPackage,
	finishedRuns,
	freePort,
	ensureInstall,
	newOwner,
	prepareExample,
	productionUrl,
	readExamples,
	removeEventLogs,
	stagePackage,
	waitFor,
	WaitAbort,
	type N8nLine,
	type WorkflowJson,
} from './lib/n8n';
import { createReport, indent } from './lib/report';
import { runRestart } from './restart';
import {
	executionSpans,
	mostAtOnce,
	removeClusterDir,
	startCluster,
	startQueueProcess,
	workerOf,
	type QueueCluster,
	type QueueProcess,
} from './lib/queue';

const FULL = process.env.E2E_QUEUE_FULL === '1';
const report = createReport('queue');
const { log, step, elapsed } = report;

type Json = Record<string, unknown>;

function finished(
	client: N8nClient,
	line: N8nLine,
	id: string,
	what: string,
	ms = 60_000,
): Promise<Record<string, Json[]>> {
	return finishedRuns(client, id, line.dir, what, ms, 300);
}

/** Waits for `count` successful executions of the workflow; fails on any failed one. */
async function successes(
	client: N8nClient,
	workflowId: string,
	count: number,
	what: string,
	ms = 60_000,
): Promise<string[]> {
	return await waitFor(
		what,
		async () => {
			const list = await client.executions(workflowId);
			const bad = list.find((e) => e.status === 'error' || e.status === 'crashed');
			if (bad) throw new WaitAbort(`execution ${bad.id} ended "${bad.status}"`);
			const done = list.filter((e) => e.status === 'success').map((e) => e.id);
			return done.length >= count ? done : undefined;
		},
		ms,
		300,
	);
}

function routeCount(emu: Emulator, pattern: RegExp): number {
	let n = 0;
	for (const [route, byStatus] of Object.entries(emu.state().requests.byRoute)) {
		if (pattern.test(route)) for (const c of Object.values(byStatus)) n += c;
	}
	return n;
}

interface Cluster {
	main: QueueProcess;
	webhook: QueueProcess;
	workers: QueueProcess[];
}

async function runLine(line: N8nLine): Promise<void> {
	log(
		`=== n8n ${line.name}, queue mode: main + webhook processor + 2 workers, Redis, Postgres ===`,
	);
	await step(`install n8n ${line.name} (${line.dir})`, () => ensureInstall(line, log));
	const cluster: QueueCluster = await step(
		'Redis and Postgres started on loopback (temporary folder), package staged',
		() => startCluster(log, (folder) => stagePackage(folder, log)),
	);
	const emu = await startEmulator({ port: 0, connectDelayMs: 50, playDurationMs: 200 });
	// The campaign's own ACS: 25 ms round trip, no callback events (the campaign's result is the Create Call's).
	const campaignEmu = await startEmulator({
		port: 0,
		deliverEvents: false,
		faults: { latencyMs: 25 },
	});
	// The OpenID configuration through a counting relay: how often the n8n processes fetch token keys.
	// The keys must come from the configuration's origin, so the relay serves both (jwks_uri rewritten to it).
	const keyFetches = { count: 0 };
	const relay = createServer((req, res) => {
		const path = req.url ?? '/';
		const isConfig = path.includes('openidconfiguration');
		if (isConfig) keyFetches.count++;
		fetch(new URL(path.replace(/^\//, ''), emu.url))
			.then(async (r) => {
				let text = await r.text();
				if (isConfig) text = text.split(emu.url).join(relayUrl);
				res.writeHead(r.status, { 'content-type': 'application/json' }).end(text);
			})
			.catch(() => res.writeHead(502).end());
	});
	await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
	const relayUrl = `http://127.0.0.1:${(relay.address() as AddressInfo).port}/`;
	const openIdConfigurationUrl = new URL(
		new URL(emu.openIdConfigurationUrl).pathname.replace(/^\//, ''),
		relayUrl,
	).toString();
	const procs: Partial<Cluster> = {};
	const all = (): QueueProcess[] =>
		[procs.main, procs.webhook, ...(procs.workers ?? [])].filter((p): p is QueueProcess => !!p);
	try {
		// WEBHOOK_URL is the webhook processor's address in every process: callback and resume URLs go there.
		const webhookPort = await freePort();
		const webhookUrl = `http://127.0.0.1:${webhookPort}/`;
		procs.main = await step('n8n main (n8n start) on Postgres + Redis', () =>
			startQueueProcess({ line, cluster, role: 'main', name: 'main', webhookUrl, log }),
		);
		const [webhook, ...workers] = await step(
			'webhook processor (n8n webhook) and two workers (n8n worker) started',
			() =>
				Promise.all([
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
					startQueueProcess({ line, cluster, role: 'worker', name: 'worker-2', webhookUrl, log }),
				]),
		);
		procs.webhook = webhook;
		procs.workers = workers;
		const main = procs.main;
		const client = new N8nClient(main.url);
		await step('owner set up and logged in on main', async () => {
			owner = newOwner();
			assert.equal(await client.ownerLogin(owner), 'created');
		});

		const workflows = await step(
			'credentials created, examples imported (callback URLs on the webhook processor)',
			async () => {
				const acsCredential = await client.upsertCredential(
					'Azure Communication Services account',
					ACS_CREDENTIAL_TYPE,
					{
						connectionString: emu.connectionString,
						resourceId: emu.resourceId,
						openIdConfigurationUrl,
					},
				);
				const campaignCredential = await client.upsertCredential(
					'ACS for the campaign',
					ACS_CREDENTIAL_TYPE,
					{
						connectionString: campaignEmu.connectionString,
						resourceId: campaignEmu.resourceId,
						openIdConfigurationUrl: campaignEmu.openIdConfigurationUrl,
					},
				);
				const eventGridCredential = await client.upsertCredential(
					'Azure Event Grid account',
					EVENT_GRID_CREDENTIAL_TYPE,
					{ ...emu.arm },
				);
				const out: Record<string, WorkflowJson> = {};
				for (const { file, workflow } of readExamples()) {
					const prepared = prepareExample(workflow, {
						webhookBaseUrl: webhookUrl,
						acsCredential: file.startsWith('campaign') ? campaignCredential : acsCredential,
						eventGridCredential,
						triggerOptions: { resourceId: emu.resourceId, openIdConfigurationUrl },
					});
					out[file] = await client.createWorkflow(prepared);
				}
				return out;
			},
		);
		const events = workflows['outage-call-events.json'];
		const outage = workflows['outage-call.json'];
		const callbackUrl = productionUrl(webhookUrl, events);
		assert.ok(callbackUrl.startsWith(webhook.url));

		await step('"Outage call: call events" activated on main', async () => {
			assert.equal((await client.activate(events.id as string)).active, true);
		});

		await step(
			'call events reach the webhook processor and run on the workers (CallConnected → Play, PlayCompleted → Hang Up)',
			async () => {
				const executionId = await client.runManually(
					outage.id as string,
					'When clicking ‘Execute workflow’',
				);
				const call = await waitFor('the outage call in the emulator', () => {
					const s = emu.state();
					return [...s.calls, ...s.endedCalls].find((c) => c.callbackUri === callbackUrl);
				});
				await finished(client, line, executionId, `manual execution ${executionId}`);
				const cc = call.callConnectionId as string;
				await waitFor(
					'the call to end',
					() => emu.state().endedCalls.find((c) => c.callConnectionId === cc),
					60_000,
				);
				const ids = await successes(client, events.id as string, 2, 'two "call events" executions');
				const delivered = (emu.state().events as Json[]).filter(
					(e) => e.callConnectionId === cc && e.status === 'delivered',
				);
				assert.ok(delivered.length >= 3, `delivered: ${JSON.stringify(delivered).slice(0, 500)}`);
				const ran = await waitFor(
					'the workers to log both executions',
					() => {
						const names = ids.map((id) => workerOf(workers, id));
						return names.every(Boolean) ? names : undefined;
					},
					10_000,
				);
				log(`    executions ${ids.join(', ')} ran on ${ran.join(', ')}`);
			},
		);

		await step(
			'the same event id to the webhook processor twice runs once; to main as well, main runs it again (dedupe is per process)',
			async () => {
				const before = (await client.executions(events.id as string)).length;
				const cc = `dedupe-${randomUUID()}`;
				const body = JSON.stringify([
					{
						id: randomUUID(),
						source: `calling/callConnections/${cc}`,
						type: 'Microsoft.Communication.PlayFailed',
						specversion: '1.0',
						time: new Date().toISOString(),
						data: { callConnectionId: cc, serverCallId: 'replayed', correlationId: randomUUID() },
					},
				]);
				const send = async (url: string): Promise<{ status: number; text: string }> => {
					const res = await fetch(url, {
						method: 'POST',
						headers: {
							'content-type': 'application/json',
							authorization: `Bearer ${emu.context.jwt.token()}`,
						},
						body,
					});
					return { status: res.status, text: await res.text() };
				};
				const first = await send(callbackUrl);
				assert.equal(first.status, 200, first.text);
				assert.deepEqual(JSON.parse(first.text), { status: 'accepted' });
				const again = await send(callbackUrl);
				assert.deepEqual(JSON.parse(again.text), { status: 'ignored' });
				const viaMain = await send(callbackUrl.replace(webhook.url, main.url));
				log(`    the same event id posted to main: ${viaMain.status} ${viaMain.text}`);
				assert.equal(viaMain.status, 200, viaMain.text);
				assert.deepEqual(
					JSON.parse(viaMain.text),
					{ status: 'accepted' },
					'main has its own memory of event ids',
				);
				// (The workflow then acts on a call that does not exist, so these executions may end in an error.)
				await waitFor(
					'two more executions',
					async () =>
						(await client.executions(events.id as string)).length >= before + 2 ? true : undefined,
					15_000,
				);
				assert.equal((await client.executions(events.id as string)).length, before + 2);
			},
		);

		await step(
			'token keys: fetched once per process that verifies callbacks (webhook processor, main), not per event',
			async () => {
				// Callbacks so far: several events on the webhook processor, one on main.
				assert.ok(
					keyFetches.count >= 1 && keyFetches.count <= 2,
					`OpenID configuration fetched ${keyFetches.count} times`,
				);
				log(`    OpenID configuration fetched ${keyFetches.count} times`);
			},
		);

		const incoming = workflows['incoming-call-menu.json'];
		const subscriptionNames = (): string[] =>
			(emu.state().eventGridSubscriptions as Json[]).map((s) => String(s.name));
		const armWrites = (): number =>
			routeCount(emu, /eventSubscriptions?.*(put|create)|(put|create).*eventSubscriptions?/i);
		const names = await step(
			'"Incoming call" activated: one Event Grid subscription, deterministic name',
			async () => {
				assert.equal((await client.activate(incoming.id as string)).active, true);
				return await waitFor(
					'one Event Grid subscription',
					() => (subscriptionNames().length === 1 ? subscriptionNames() : undefined),
					15_000,
				);
			},
		);

		procs.main = await step(
			'main restarted: the subscription is not duplicated (same name, still one)',
			async () => {
				const writesBefore = armWrites();
				await main.stop();
				const restarted = await startQueueProcess({
					line,
					cluster,
					role: 'main',
					name: 'main',
					port: main.port,
					webhookUrl,
					log,
				});
				await client.login(owner as ReturnType<typeof newOwner>);
				assert.deepEqual(subscriptionNames(), names);
				log(
					`    ARM subscription writes during the restart: ${armWrites() - writesBefore}; subscriptions: ${subscriptionNames().join(', ')}`,
				);
				return restarted;
			},
		);

		await step(
			'an incoming call (Event Grid → webhook processor) is answered by a worker; key 1 plays the update, then hang up',
			async () => {
				await emu.simulateIncomingCall({ from: '+14255550123', to: '+18005550100' });
				const connected = await waitFor(
					'the incoming call to be answered',
					() => emu.state().calls.find((c) => c.direction === 'inbound' && c.state === 'connected'),
					60_000,
				);
				const cc = connected.callConnectionId as string;
				await waitFor(
					'a recognize on the call',
					() =>
						(
							(emu.state().calls.find((x) => x.callConnectionId === cc)?.mediaOperations ??
								{}) as Json
						).recognize,
				);
				emu.pressKeys(cc, '1');
				await waitFor(
					'the incoming call to end',
					() => emu.state().endedCalls.find((c) => c.callConnectionId === cc),
					60_000,
				);
				const ids = await successes(
					client,
					incoming.id as string,
					4,
					'four "incoming call" executions',
				);
				const ran = await waitFor(
					'the workers to log them',
					() => {
						const w = ids.map((id) => workerOf(workers, id));
						return w.every(Boolean) ? w : undefined;
					},
					10_000,
				);
				log(`    ran on ${ran.join(', ')}`);
			},
		);

		await step('"Incoming call" deactivated: its Event Grid subscription is deleted', async () => {
			await client.deactivate(incoming.id as string);
			await waitFor(
				'no subscription',
				() => (subscriptionNames().length === 0 ? true : undefined),
				15_000,
			);
		});

		const reminder = workflows['appointment-reminder.json'];
		await step(
			"Wait for Outcome in queue mode: the resume URL is the webhook processor's /webhook-waiting/, a worker resumes the execution",
			async () => {
				emu.context.options.connectDelayMs = 0;
				const executionId = await client.runManually(
					reminder.id as string,
					'When clicking ‘Execute workflow’',
				);
				const call = await waitFor(`the call of execution ${executionId}`, () =>
					emu
						.state()
						.calls.find((c) =>
							String(c.callbackUri ?? '').includes(`/webhook-waiting/${executionId}`),
						),
				);
				assert.ok(
					String(call.callbackUri).startsWith(`${webhookUrl}webhook-waiting/`),
					String(call.callbackUri),
				);
				const cc = call.callConnectionId as string;
				await waitFor(
					'a recognize on the call',
					() =>
						(
							(emu.state().calls.find((x) => x.callConnectionId === cc)?.mediaOperations ??
								{}) as Json
						).recognize,
					60_000,
				);
				emu.pressKeys(cc, '1');
				const runs = await finished(
					client,
					line,
					executionId,
					`execution ${executionId} to finish`,
					90_000,
				);
				assert.ok(
					runs['Say: confirmed']?.length,
					`"Say: confirmed" did not run: ${Object.keys(runs).join(', ')}`,
				);
				assert.ok(runs['Hang up']?.length, 'Hang up did not run');
				const worker = await waitFor(
					'a worker to log the resumed execution',
					() => workerOf(workers, executionId),
					10_000,
				);
				log(`    execution ${executionId} resumed on ${worker}`);
				assert.ok(keyFetches.count <= 2, `OpenID configuration fetched ${keyFetches.count} times`);
			},
		);

		await runRestart({
			client,
			emu,
			reminder,
			restarting: 'main, the webhook processor and worker-1',
			restart: async () => {
				const [oldMain, oldWebhook, oldWorker] = [
					procs.main as QueueProcess,
					procs.webhook as QueueProcess,
					workers[0],
				];
				await Promise.all([oldMain.stop(), oldWebhook.stop(), oldWorker.stop()]);
				for (const name of ['main', 'webhook', 'worker-1'])
					removeEventLogs(join(cluster.dir, 'n8n', name));
				[procs.main, procs.webhook, workers[0]] = await Promise.all([
					startQueueProcess({
						line,
						cluster,
						role: 'main',
						name: 'main',
						port: oldMain.port,
						webhookUrl,
						log,
					}),
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
				await client.login(owner as ReturnType<typeof newOwner>);
			},
			step,
			log,
		});

		await runCampaign(client, line, cluster, workflows, campaignEmu, workers, FULL ? 10_000 : 200);
	} catch (error) {
		for (const p of all())
			log(`  ${p.name} output (${p.logFile}), last lines:\n${indent(p.tail(30))}`);
		throw error;
	} finally {
		await Promise.all(all().map((p) => p.stop()));
		relay.close();
		await emu.close();
		await campaignEmu.close();
		await cluster.stop();
		if (process.env.E2E_KEEP || report.failures > 0) log(`  logs and data kept in ${cluster.dir}`);
		else removeClusterDir(cluster);
	}
}

let owner: ReturnType<typeof newOwner> | undefined;

async function runCampaign(
	client: N8nClient,
	line: N8nLine,
	cluster: QueueCluster,
	workflows: Record<string, WorkflowJson>,
	emu: Emulator,
	workers: QueueProcess[],
	contacts: number,
): Promise<void> {
	const parent = workflows['campaign.json'];
	const batch = workflows['campaign-batch.json'];
	await step(
		`campaign: ${contacts} contacts in batches of 50, each batch an execution on a worker, one result per contact`,
		async () => {
			const csv = readFileSync(join(EXAMPLES_DIR, 'campaign-contacts.csv'), 'utf8')
				.trimEnd()
				.split('\n');
			const file = join(cluster.dir, 'contacts.csv');
			writeFileSync(file, `${csv.slice(0, contacts + 1).join('\n')}\n`);
			const wf = await client.workflow(parent.id as string);
			for (const n of wf.nodes)
				if (n.type === 'n8n-nodes-base.readWriteFile') n.parameters.fileSelector = file;
			await client.updateWorkflow(parent.id as string, wf);
			assert.equal((await client.activate(batch.id as string)).active, true);
			const t0 = Date.now();
			const executionId = await client.runManually(
				parent.id as string,
				'When clicking ‘Execute workflow’',
			);
			const runs = await finished(
				client,
				line,
				executionId,
				`campaign execution ${executionId}`,
				Math.max(120_000, contacts * 150),
			);
			const seconds = (Date.now() - t0) / 1000;
			const results = runs['Result per contact'] ?? [];
			assert.equal(results.length, contacts, `results: ${results.length}`);
			const placed = results.filter((r) => r.result === 'placed');
			assert.equal(
				placed.length,
				contacts,
				JSON.stringify(results.find((r) => r.result !== 'placed')),
			);
			assert.equal(new Set(results.map((r) => r.phone)).size, contacts);
			const s = emu.state();
			const targets = new Set(
				[...s.calls, ...s.endedCalls].map(
					(c) => ((((c.targets as Json[])[0] ?? {}) as Json).phoneNumber as Json)?.value,
				),
			);
			assert.equal(targets.size, contacts, `calls in the emulator: ${targets.size}`);
			const batchIds = await successes(
				client,
				batch.id as string,
				Math.ceil(contacts / 50),
				'the batch executions',
				30_000,
			);
			const perWorker: Record<string, number> = {};
			await waitFor(
				'the workers to log every batch',
				() => batchIds.every((id) => workerOf(workers, id)) || undefined,
				10_000,
			);
			for (const id of batchIds)
				perWorker[workerOf(workers, id) as string] =
					(perWorker[workerOf(workers, id) as string] ?? 0) + 1;
			const executions = (await client.executions(batch.id as string)).filter((e) =>
				batchIds.includes(e.id),
			);
			const atOnce = mostAtOnce(executionSpans(executions, workers));
			log(
				`    ${contacts} calls placed in ${seconds.toFixed(1)} s (${(contacts / seconds).toFixed(0)} calls/s); batches per worker: ${JSON.stringify(perWorker)}; most batches running at once: ${atOnce.all} (per worker ${JSON.stringify(atOnce.perWorker)})`,
			);
			// Loop Over Items hands over four batches at a time: never more running at once.
			assert.ok(atOnce.all <= 4, `${atOnce.all} batches ran at once`);
			await client.deactivate(batch.id as string);
		},
	);
}

async function main(): Promise<void> {
	if (process.env.E2E_QUEUE === '0') {
		log('skipped (E2E_QUEUE=0)');
		return;
	}
	const wanted = (process.env.E2E_QUEUE_LINES ?? '1.x,2.x')
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean);
	const lines = wanted.map((name) => {
		const line = LINES[name as keyof typeof LINES];
		if (!line) throw new Error(`Unknown line "${name}" (E2E_QUEUE_LINES): use 1.x and/or 2.x.`);
		return line;
	});
	await step('build the package (npm run build)', () => buildPackage(log));
	for (const line of lines) await runLine(line);
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
