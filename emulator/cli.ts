/**
 * `npm run emulator`: runs the ACS Call Automation emulator on 127.0.0.1 until Ctrl+C.
 * Env: ACS_EMULATOR_PORT (default 8089, 0 = any free port), ACS_EMULATOR_ACCESS_KEY (base64; random otherwise),
 * ACS_EMULATOR_RESOURCE_ID, ACS_EMULATOR_CONNECT_DELAY_MS, ACS_EMULATOR_PLAY_DURATION_MS,
 * ACS_EMULATOR_ADD_PARTICIPANT_DELAY_MS, ACS_EMULATOR_RECOGNIZE_TONES, ACS_EMULATOR_DELIVER_EVENTS (false to disable),
 * ACS_EMULATOR_DELIVER_EXTERNAL (true to call non-loopback callback URLs),
 * ACS_EMULATOR_DECLINED_TARGETS (comma-separated numbers/raw ids that decline calls),
 * ACS_EMULATOR_CALLERS (scripted callers: a JSON array of {"number","turns","whenDone"?}, or the path of a JSON file
 * holding one), ACS_EMULATOR_MODEL_PORT (model stand-in, default 8090, 0 = any free port),
 * ACS_EMULATOR_MODEL (false = do not start the model stand-in).
 */
import { readFileSync } from 'node:fs';
import {
	startEmulator,
	startModelStandIn,
	type ModelStandIn,
	type ScriptCallerInput,
} from './index';

function envNumber(name: string, fallback: number): number {
	const raw = process.env[name];
	if (raw === undefined || raw === '') return fallback;
	const n = Number(raw);
	if (!Number.isInteger(n) || n < 0)
		throw new Error(`${name} must be a non-negative integer, got "${raw}".`);
	return n;
}

/** ACS_EMULATOR_CALLERS: inline JSON, or a file path. */
function envCallers(): ScriptCallerInput[] {
	const raw = process.env.ACS_EMULATOR_CALLERS?.trim();
	if (!raw) return [];
	let parsed: unknown;
	try {
		parsed = JSON.parse(
			raw.startsWith('[') || raw.startsWith('{') ? raw : readFileSync(raw, 'utf8'),
		);
	} catch (error) {
		throw new Error(
			`ACS_EMULATOR_CALLERS must be a JSON array of {"number","turns"} or the path of a file holding one: ${(error as Error).message}`,
		);
	}
	return (Array.isArray(parsed) ? parsed : [parsed]) as ScriptCallerInput[];
}

async function main(): Promise<void> {
	const callers = envCallers();
	const emu = await startEmulator({
		port: envNumber('ACS_EMULATOR_PORT', 8089),
		host: '127.0.0.1',
		accessKey: process.env.ACS_EMULATOR_ACCESS_KEY || undefined,
		resourceId: process.env.ACS_EMULATOR_RESOURCE_ID || undefined,
		connectDelayMs: envNumber('ACS_EMULATOR_CONNECT_DELAY_MS', 500),
		playDurationMs: envNumber('ACS_EMULATOR_PLAY_DURATION_MS', 2000),
		addParticipantDelayMs: envNumber('ACS_EMULATOR_ADD_PARTICIPANT_DELAY_MS', 1000),
		recognizeTones: process.env.ACS_EMULATOR_RECOGNIZE_TONES || undefined,
		recognizeDelayMs: envNumber('ACS_EMULATOR_RECOGNIZE_DELAY_MS', 1000),
		deliverEvents: process.env.ACS_EMULATOR_DELIVER_EVENTS !== 'false',
		deliverExternal: process.env.ACS_EMULATOR_DELIVER_EXTERNAL === 'true',
		declinedTargets: (process.env.ACS_EMULATOR_DECLINED_TARGETS ?? '')
			.split(',')
			.map((t) => t.trim())
			.filter(Boolean),
		callers,
	});
	let model: ModelStandIn | undefined;
	if (process.env.ACS_EMULATOR_MODEL !== 'false') {
		model = await startModelStandIn({
			port: envNumber('ACS_EMULATOR_MODEL_PORT', 8090),
			host: '127.0.0.1',
		});
	}
	const lines = [
		`ACS Call Automation emulator ready. Connection string: ${emu.connectionString}`,
		`  Resource id (JWT audience): ${emu.resourceId}`,
		`  OpenID configuration:       ${emu.openIdConfigurationUrl}`,
		`  State:                      ${emu.url}__emulator/state`,
		`  Press keys:                 curl -X POST ${emu.url}__emulator/calls/<callConnectionId>/keys -d '{"tones":"1#"}'`,
		`  Incoming call:              curl -X POST ${emu.url}__emulator/incoming-call -d '{"from":"+14255550123","to":"+18005550100"}'`,
		`  Scripted caller:            curl -X POST ${emu.url}__emulator/callers -d '{"number":"+14255550100","turns":[{"say":"hello"}]}'` +
			(callers.length ? ` (${callers.length} from ACS_EMULATOR_CALLERS)` : ''),
		model
			? `  Model stand-in Base URL:    ${model.url}  (OpenAI credential, any API key; model acs-emulator-stand-in)`
			: '  Model stand-in:             off (ACS_EMULATOR_MODEL=false)',
		'  Stop with Ctrl+C.',
	];
	process.stdout.write(`${lines.join('\n')}\n`);

	let stopping = false;
	const stop = (signal: string): void => {
		if (stopping) return;
		stopping = true;
		process.stdout.write(`Received ${signal}, stopping the emulator.\n`);
		Promise.all([emu.close(), model?.close()]).then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.on('SIGINT', () => stop('SIGINT'));
	process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
	process.stderr.write(`Could not start the emulator: ${(error as Error).message}\n`);
	process.exit(1);
});
