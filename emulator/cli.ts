/**
 * `npm run emulator`: runs the ACS Call Automation emulator on 127.0.0.1 until Ctrl+C.
 * Env: ACS_EMULATOR_PORT (default 8089, 0 = any free port), ACS_EMULATOR_ACCESS_KEY (base64; random otherwise),
 * ACS_EMULATOR_RESOURCE_ID, ACS_EMULATOR_CONNECT_DELAY_MS, ACS_EMULATOR_PLAY_DURATION_MS,
 * ACS_EMULATOR_ADD_PARTICIPANT_DELAY_MS, ACS_EMULATOR_RECOGNIZE_TONES, ACS_EMULATOR_DELIVER_EVENTS (false to disable),
 * ACS_EMULATOR_DELIVER_EXTERNAL (true to call non-loopback callback URLs),
 * ACS_EMULATOR_DECLINED_TARGETS (comma-separated numbers/raw ids that decline calls).
 */
import { startEmulator } from './index';

function envNumber(name: string, fallback: number): number {
	const raw = process.env[name];
	if (raw === undefined || raw === '') return fallback;
	const n = Number(raw);
	if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}".`);
	return n;
}

async function main(): Promise<void> {
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
	});
	const lines = [
		`ACS Call Automation emulator ready. Connection string: ${emu.connectionString}`,
		`  Resource id (JWT audience): ${emu.resourceId}`,
		`  OpenID configuration:       ${emu.openIdConfigurationUrl}`,
		`  State:                      ${emu.url}__emulator/state`,
		`  Press keys:                 curl -X POST ${emu.url}__emulator/calls/<callConnectionId>/keys -d '{"tones":"1#"}'`,
		`  Incoming call:              curl -X POST ${emu.url}__emulator/incoming-call -d '{"from":"+14255550123","to":"+18005550100"}'`,
		'  Stop with Ctrl+C.',
	];
	process.stdout.write(`${lines.join('\n')}\n`);

	let stopping = false;
	const stop = (signal: string): void => {
		if (stopping) return;
		stopping = true;
		process.stdout.write(`Received ${signal}, stopping the emulator.\n`);
		emu.close().then(
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
