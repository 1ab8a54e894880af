/**
 * `npm start`: the local ACS emulator, its OpenAI-compatible model stand-in, and a real n8n with this
 * package installed, the example workflows imported and active (the AI examples with an OpenAI credential
 * whose Base URL is the stand-in, and scripted callers who talk to them): try the nodes without an Azure or
 * OpenAI account. Ctrl+C stops everything.
 *
 * Ports: n8n 5678 and the emulator 8089 when free (others otherwise). State kept between runs in
 * e2e/.n8n-start/ (n8n's user folder, the owner's password, the emulator's keys): delete the folder to
 * start from scratch. Each run refreshes the package build and resets the example workflows to
 * examples/*.json (save your own copies under another name).
 *
 * Env: N8N_START_PORT, ACS_EMULATOR_PORT (preferred ports), N8N_START_ECHO=1 (show n8n's own output).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, startModelStandIn, type Emulator } from '../emulator';
import {
	AGENT_N8N_ENV,
	DEMO_CALLER,
	DEMO_CALLERS,
	RECEPTIONIST_FILE,
	RECEPTIONIST_NUMBER,
	REMINDER_FILE,
	SAMPLE_CONTACT,
	reminderWebhookUrl,
} from '../e2e/lib/agent';
import {
	E2E_DIR,
	LINES,
	MENU_NUMBER,
	N8nClient,
	RestError,
	buildPackage,
	ensureInstall,
	freePort,
	newOwner,
	provisionForEmulator,
	stagePackage,
	startN8n,
	type N8nProcess,
	type Owner,
} from '../e2e/lib/n8n';

const USER_FOLDER = join(E2E_DIR, '.n8n-start');
const STATE_FILE = join(USER_FOLDER, 'start-state.json');

interface StartState {
	owner: Owner;
	accessKey: string;
	resourceId: string;
	tenantId: string;
	clientId: string;
	clientSecret: string;
}

const log = (line: string): void => {
	process.stdout.write(`${line}\n`);
};

function loadState(): StartState {
	if (existsSync(STATE_FILE)) return JSON.parse(readFileSync(STATE_FILE, 'utf8')) as StartState;
	const state: StartState = {
		owner: newOwner(),
		accessKey: randomBytes(32).toString('base64'),
		resourceId: randomUUID(),
		tenantId: randomUUID(),
		clientId: randomUUID(),
		clientSecret: randomBytes(24).toString('base64url'),
	};
	mkdirSync(USER_FOLDER, { recursive: true });
	writeFileSync(STATE_FILE, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
	return state;
}

function envPort(name: string, fallback: number): number {
	const n = Number(process.env[name] || fallback);
	return Number.isInteger(n) && n > 0 ? n : fallback;
}

/** Prints the key-press command for each inbound call once it is connected (the caller is the emulator). */
function watchIncomingCalls(emu: Emulator): NodeJS.Timeout {
	const seen = new Set<string>();
	const timer = setInterval(() => {
		for (const call of emu.state().calls) {
			const id = call.callConnectionId as string;
			// An AI example's call: a scripted caller talks, nothing to press.
			if (call.caller !== undefined) {
				if (!seen.has(id)) {
					seen.add(id);
					log(
						`\nCall ${id}: a scripted caller talks with the AI agent. What the caller heard: ${emu.url}__emulator/calls/${id}/heard\n`,
					);
				}
				continue;
			}
			// The appointment reminder's call: its Collect Input step waits for a key.
			const waiting = String(call.callbackUri ?? '').includes('/webhook-waiting/');
			const asking =
				((call.mediaOperations ?? {}) as Record<string, unknown>).recognize !== undefined;
			if (waiting && asking && !seen.has(id)) {
				seen.add(id);
				log(
					`\nThe reminder call ${id} asks for a key. Press 1 (confirm) or 2 (reschedule):\n` +
						`  curl -X POST ${emu.url}__emulator/calls/${id}/keys -d '{"tones":"1"}'\n`,
				);
				continue;
			}
			if (call.direction !== 'inbound' || call.state !== 'connected' || seen.has(id)) continue;
			seen.add(id);
			log(
				`\nIncoming call ${id} answered. Press 1 (plays the update, then hangs up) or 2 (hangs up):\n` +
					`  curl -X POST ${emu.url}__emulator/calls/${id}/keys -d '{"tones":"1"}'\n`,
			);
		}
	}, 500);
	timer.unref();
	return timer;
}

/** What is running, so a failure or Ctrl+C stops it. */
const running: { n8n?: N8nProcess; emu?: Emulator; model?: { close(): Promise<void> } } = {};

async function main(): Promise<void> {
	const line = LINES['1.x'];
	const state = loadState();
	log(
		'Preparing: the first run installs n8n 1.x into e2e/node_modules (usually 3 to 4 minutes, progress below); ' +
			'later runs reuse it and are ready in about a minute.',
	);
	await ensureInstall(line, log);
	await buildPackage(log);
	await stagePackage(USER_FOLDER, log);

	const emu = await startEmulator({
		port: await freePort(envPort('ACS_EMULATOR_PORT', 8089)),
		accessKey: state.accessKey,
		resourceId: state.resourceId,
		tenantId: state.tenantId,
		clientId: state.clientId,
		clientSecret: state.clientSecret,
		// Human pace, like `npm run emulator`.
		connectDelayMs: 500,
		playDurationMs: 2000,
		addParticipantDelayMs: 1000,
		recognizeDelayMs: 1000,
	});
	running.emu = emu;
	// The scripted callers the AI examples talk to (the receptionist's caller, the reminder's sample contact).
	for (const caller of DEMO_CALLERS) emu.scriptCaller(caller);
	const model = await startModelStandIn({ port: 0 });
	running.model = model;
	let stopping = false;
	const stop = async (signal: string): Promise<void> => {
		if (stopping) return;
		stopping = true;
		log(`\n${signal}: stopping n8n and the emulator...`);
		await running.n8n?.stop().catch(() => undefined);
		await model.close().catch(() => undefined);
		await emu.close().catch(() => undefined);
		process.exit(0);
	};
	process.on('SIGINT', () => void stop('SIGINT'));
	process.on('SIGTERM', () => void stop('SIGTERM'));

	const n8n = await startN8n({
		line,
		userFolder: USER_FOLDER,
		port: await freePort(envPort('N8N_START_PORT', 5678)),
		log,
		echo: process.env.N8N_START_ECHO === '1',
		// The AI examples use this package's node as AI Agent tools.
		env: AGENT_N8N_ENV,
	});
	running.n8n = n8n;
	const client = new N8nClient(n8n.url);
	try {
		await client.ownerLogin(state.owner);
	} catch (error) {
		if (error instanceof RestError && error.status === 401) {
			throw new Error(
				`This n8n has an owner whose password is not in ${STATE_FILE}. Delete ${USER_FOLDER} to start from scratch.`,
			);
		}
		throw error;
	}
	const workflows = await provisionForEmulator(client, emu, n8n.url, { modelBaseUrl: model.url });
	watchIncomingCalls(emu);

	const outage = workflows['outage-call.json'];
	const events = workflows['outage-call-events.json'];
	const menu = workflows['incoming-call-menu.json'];
	const receptionist = workflows[RECEPTIONIST_FILE];
	const reminder = workflows[REMINDER_FILE];
	const contact = JSON.stringify({
		name: 'Sam',
		number: '+14255550104',
		appointment: 'Friday at 9 am',
	});
	const samScript = JSON.stringify({
		number: '+14255550104',
		turns: [{ say: 'Yes, I will be there.' }, { say: 'That is all, goodbye.' }],
		whenDone: 'hangUp',
	});
	const editor = n8n.url;
	log(
		[
			'',
			'Ready: n8n with n8n-nodes-azure-call-automation, talking to the local ACS emulator.',
			'',
			`  n8n editor    ${editor}`,
			`  log in        ${state.owner.email} / ${state.owner.password}`,
			`  ACS emulator  ${emu.url}  (what it saw: ${emu.url}__emulator/state)`,
			`  model         ${model.url}  (the emulator's OpenAI-compatible stand-in, model acs-emulator-stand-in)`,
			'',
			'Try it:',
			`  1. Open "${outage?.name}" (${editor}workflow/${outage?.id}) and click "Execute workflow".`,
			'     The emulator rings +14255550100 from +14255550199. Its events go to the active workflow',
			`     "${events?.name}" (${editor}workflow/${events?.id}): on Call Connected it plays the outage`,
			'     notice, on Play Completed it hangs up. Watch its Executions tab, and the calls and events at',
			`     ${emu.url}__emulator/state`,
			'  2. AI receptionist: ring it. The scripted caller gives a name, asks the opening hours (a lookup tool),',
			'     asks its name back (memory) and says goodbye (the agent hangs up with a tool). Every turn is one',
			`     resume of one execution of "${receptionist?.name}" (${editor}workflow/${receptionist?.id}):`,
			`     curl -X POST ${emu.url}__emulator/incoming-call -d '{"from":"${DEMO_CALLER}","to":"${RECEPTIONIST_NUMBER}"}'`,
			'     Your own script (ask for a person to be transferred, stay silent, hang up):',
			`     curl -X POST ${emu.url}__emulator/incoming-call -d '{"from":"+14255550124","to":"${RECEPTIONIST_NUMBER}","caller":{"turns":[{"say":"Can I talk to a person in billing?"}]}}'`,
			`     The last node, "Call result", holds the transcript, summary, intent and follow-up. The model is the`,
			`     emulator's stand-in (${model.url}, an OpenAI-compatible API with fixed replies): point the`,
			'     "OpenAI account" credential at OpenAI or Azure OpenAI for a real one (docs/ai-phone-agent.md).',
			`     "${menu?.name}" (${editor}workflow/${menu?.id}) answers another number (each trigger's`,
			'     Options > Called Numbers): ring it and press a key when asked (the command is printed here):',
			`     curl -X POST ${emu.url}__emulator/incoming-call -d '{"from":"+14255550177","to":"${MENU_NUMBER}"}'`,
			'  3. Appointment reminder: open "Appointment reminder: one call, one workflow" and click "Execute workflow":',
			'     one execution places the call, waits until it is answered, asks for a key (the command is printed',
			'     here), plays the branch for that key and hangs up.',
			`  4. AI reminder call: open "${reminder?.name}" (${editor}workflow/${reminder?.id}) and click`,
			`     "Execute workflow": the agent calls ${SAMPLE_CONTACT.name} (${SAMPLE_CONTACT.number}, scripted to move the appointment to Thursday).`,
			'     Or one execution per contact, with a caller script for the number first:',
			`     curl -X POST ${emu.url}__emulator/callers -d '${samScript}'`,
			`     curl -X POST ${reminder ? reminderWebhookUrl(editor, reminder) : ''} -H 'content-type: application/json' -d '${contact}'`,
			'',
			'Ctrl+C stops n8n and the emulator. The next `npm start` reuses the install and this n8n (e2e/.n8n-start).',
		].join('\n'),
	);
	n8n.child.once('exit', (code) => {
		if (!stopping) {
			log(`n8n exited (${code}); last output:\n${n8n.tail()}`);
			void emu.close().then(() => process.exit(1));
		}
	});
}

main().catch(async (error: unknown) => {
	process.stderr.write(`npm start failed: ${(error as Error).message}\n`);
	await running.n8n?.stop().catch(() => undefined);
	await running.model?.close().catch(() => undefined);
	await running.emu?.close().catch(() => undefined);
	process.exit(1);
});
