/**
 * The official SDK drives the emulator's newer routes (connect, moveHere, transcription, media streaming):
 * it accepts every response, and every event they cause parses with its parseCallAutomationEvent.
 */
import {
	CallAutomationClient,
	parseCallAutomationEvent,
	type CallConnection,
} from '@azure/communication-call-automation';
import { startEmulator, type Emulator } from '../../emulator';
import { startReceiver, type Receiver } from './receiver';

const CALLER_ID = { phoneNumber: '+14255550199' };
const MEDIA = {
	transportType: 'websocket',
	transportUrl: 'wss://media.example.com/acs',
	audioChannelType: 'mixed',
	contentType: 'audio',
	startMediaStreaming: true,
} as const;
const TEXT = {
	transportType: 'websocket',
	transportUrl: 'wss://text.example.com/acs',
	locale: 'en-US',
	startTranscription: false,
} as const;

describe('emulator: newer routes driven by the official SDK', () => {
	let emu: Emulator;
	let rx: Receiver;
	let client: CallAutomationClient;
	let cb: string;

	beforeAll(async () => {
		emu = await startEmulator({});
		rx = await startReceiver(emu);
		cb = `${rx.url}/callbacks`;
		client = new CallAutomationClient(emu.connectionString, { allowInsecureConnection: true });
	});
	afterAll(async () => {
		await emu.close();
		await rx.close();
	});

	async function call(
		target: string,
	): Promise<{ id: string; serverCallId: string; conn: CallConnection }> {
		const created = await client.createCall(
			{ targetParticipant: { phoneNumber: target }, sourceCallIdNumber: CALLER_ID },
			cb,
		);
		const id = created.callConnectionProperties.callConnectionId as string;
		await emu.waitForEvent('CallConnected', { callConnectionId: id });
		return {
			id,
			serverCallId: created.callConnectionProperties.serverCallId as string,
			conn: client.getCallConnection(id),
		};
	}

	it('connects by server call id with media streaming and transcription, then runs both', async () => {
		const first = await call('+14255550100');
		const joined = await client.connectCall(
			{ kind: 'serverCallLocator', id: first.serverCallId },
			cb,
			{
				operationContext: 'join',
				mediaStreamingOptions: MEDIA,
				transcriptionOptions: TEXT,
			},
		);
		const id = joined.callConnectionProperties.callConnectionId as string;
		await emu.waitForEvent('CallConnected', { callConnectionId: id, operationContext: 'join' });
		await emu.waitForEvent('MediaStreamingStarted', { callConnectionId: id });
		const props = await client.getCallConnection(id).getCallConnectionProperties();
		expect(props).toMatchObject({
			mediaStreamingSubscription: { state: 'active' },
			transcriptionSubscription: { state: 'inactive', locale: 'en-US' },
		});

		const media = client.getCallConnection(id).getCallMedia();
		await media.startTranscription({ locale: 'en-GB', operationContext: 't1' });
		await emu.waitForEvent('TranscriptionStarted', {
			callConnectionId: id,
			operationContext: 't1',
		});
		await media.updateTranscription('fr-FR', { operationContext: 't2' });
		await emu.waitForEvent('TranscriptionUpdated', {
			callConnectionId: id,
			operationContext: 't2',
		});
		await media.stopTranscription({ operationContext: 't3' });
		await emu.waitForEvent('TranscriptionStopped', {
			callConnectionId: id,
			operationContext: 't3',
		});
		await media.stopMediaStreaming({ operationContext: 'm1' });
		await emu.waitForEvent('MediaStreamingStopped', {
			callConnectionId: id,
			operationContext: 'm1',
		});
		await media.startMediaStreaming({ operationContext: 'm2' });
		await emu.waitForEvent('MediaStreamingStarted', {
			callConnectionId: id,
			operationContext: 'm2',
		});
		// Stopping what is not running is refused, as the service does.
		await media.stopTranscription().then(
			() => expect('no error').toBe('a 400'),
			(error: { statusCode?: number }) => expect(error.statusCode).toBe(400),
		);
	});

	it('a call set up without transcription reports TranscriptionFailed (stream URL missing)', async () => {
		const { id, conn } = await call('+14255550101');
		await conn.getCallMedia().startTranscription({ operationContext: 'no-url' });
		const failed = await emu.waitForEvent('TranscriptionFailed', {
			callConnectionId: id,
			operationContext: 'no-url',
		});
		expect(failed.data).toMatchObject({
			transcriptionUpdate: { transcriptionStatusDetails: 'streamUrlMissing' },
		});
	});

	it('moves a participant from one call into another', async () => {
		const a = await call('+14255550102');
		const b = await call('+14255550103');
		const result = await a.conn.moveParticipants([{ phoneNumber: '+14255550103' }], b.id, {
			operationContext: 'move',
		});
		expect(result).toMatchObject({
			fromCall: b.id,
			operationContext: 'move',
			participants: [{ identifier: { phoneNumber: '+14255550103' } }],
		});
		const moved = await emu.waitForEvent('MoveParticipantSucceeded', {
			callConnectionId: a.id,
			operationContext: 'move',
		});
		expect(moved.data).toMatchObject({ fromCall: b.id, participant: { rawId: '4:+14255550103' } });
		const roster = (await a.conn.listParticipants()).values?.map((p) => p.identifier);
		expect(roster).toEqual(
			expect.arrayContaining([expect.objectContaining({ phoneNumber: '+14255550103' })]),
		);
		await expect(
			a.conn.moveParticipants([{ phoneNumber: '+14255550199' }], b.id),
		).rejects.toMatchObject({ statusCode: 400 });
	});

	it('every event these routes caused parses with the SDK', async () => {
		const names = [
			'MediaStreamingStarted',
			'MediaStreamingStopped',
			'TranscriptionStarted',
			'TranscriptionUpdated',
			'TranscriptionStopped',
			'TranscriptionFailed',
			'MoveParticipantSucceeded',
		];
		const seen = new Set<string>();
		for (const r of rx.received.filter((x) => x.path === '/callbacks')) {
			const parsed = parseCallAutomationEvent(r.body);
			if (names.includes(parsed.kind)) seen.add(parsed.kind);
		}
		expect([...seen].sort()).toEqual([...names].sort());
		expect(rx.jwtErrors).toEqual([]);
	});
});
