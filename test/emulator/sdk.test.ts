/**
 * The official SDK drives every route the emulator serves and must not throw on any response;
 * every event the emulator delivers must parse with the SDK's parseCallAutomationEvent and carry a valid JWT.
 */
import {
	CallAutomationClient,
	DtmfTone,
	parseCallAutomationEvent,
	type CallConnection,
	type CallMedia,
	type FileSource,
	type TextSource,
} from '@azure/communication-call-automation';
import type { CommunicationIdentifier, PhoneNumberIdentifier } from '@azure/communication-common';
import { startEmulator, type Emulator } from '../../emulator';
import { startReceiver, type Receiver } from './receiver';

const CALLEE: PhoneNumberIdentifier = { phoneNumber: '+14255550100' };
const CALLER_ID: PhoneNumberIdentifier = { phoneNumber: '+14255550199' };
const AI = { cognitiveServicesEndpoint: 'https://ai.example.cognitiveservices.azure.com/' };
const WAV: FileSource = { kind: 'fileSource', url: 'https://audio.example/greeting.wav' };
const TTS: TextSource = { kind: 'textSource', text: 'Hello there', voiceName: 'en-US-NancyNeural' };

describe('emulator driven by the official SDK', () => {
	let emu: Emulator;
	let rx: Receiver;
	let client: CallAutomationClient;
	let cb: string;

	beforeAll(async () => {
		emu = await startEmulator({ participantsPageSize: 2 });
		rx = await startReceiver(emu);
		cb = `${rx.url}/callbacks`;
		client = new CallAutomationClient(emu.connectionString, { allowInsecureConnection: true });
	});

	afterAll(async () => {
		await emu.close();
		await rx.close();
	});

	async function connectedCall(
		context: string,
	): Promise<{ id: string; conn: CallConnection; media: CallMedia }> {
		const created = await client.createCall(
			{ targetParticipant: CALLEE, sourceCallIdNumber: CALLER_ID },
			cb,
			{
				operationContext: context,
				callIntelligenceOptions: AI,
			},
		);
		const id = created.callConnectionProperties.callConnectionId as string;
		expect(created.callConnectionProperties.callConnectionState).toBe('connecting');
		const connected = await emu.waitForEvent('CallConnected', { callConnectionId: id });
		expect(connected.data.operationContext).toBe(context);
		const conn = client.getCallConnection(id);
		return { id, conn, media: conn.getCallMedia() };
	}

	it('creates, reads, lists participants (paged) and hangs up a call', async () => {
		const { id, conn } = await connectedCall('create-1');
		const props = await conn.getCallConnectionProperties();
		// The SDK passes the wire name callbackUri through unchanged.
		expect(props).toMatchObject({
			callConnectionId: id,
			callConnectionState: 'connected',
			callbackUri: cb,
		});
		expect(props.targetParticipants).toEqual([
			{ phoneNumber: '+14255550100', rawId: '4:+14255550100' },
		]);
		const participant = await conn.getParticipant(CALLEE);
		expect(participant).toMatchObject({
			identifier: { phoneNumber: '+14255550100' },
			isMuted: false,
			isOnHold: false,
		});
		await conn.hangUp(false);
		await emu.waitForEvent('CallDisconnected', { callConnectionId: id });
		await expect(conn.getCallConnectionProperties()).rejects.toMatchObject({ statusCode: 404 });
	});

	it('creates a group call whose roster spans several pages, then terminates it', async () => {
		const targets: CommunicationIdentifier[] = [
			CALLEE,
			{ phoneNumber: '+14255550101' },
			{ communicationUserId: '8:acs:resource_user-1' },
		];
		const created = await client.createGroupCall(targets, cb, {
			sourceCallIdNumber: CALLER_ID,
			operationContext: 'group',
		});
		const id = created.callConnectionProperties.callConnectionId as string;
		await emu.waitForEvent('ParticipantsUpdated', { callConnectionId: id });
		const conn = client.getCallConnection(id);
		const list = await conn.listParticipants();
		expect(list.values?.map((p) => p.identifier)).toEqual([
			{ phoneNumber: '+14255550100', rawId: '4:+14255550100' },
			{ phoneNumber: '+14255550101', rawId: '4:+14255550101' },
			{ communicationUserId: '8:acs:resource_user-1' },
		]);
		expect(emu.state().requests.byRoute.listParticipants['200']).toBeGreaterThanOrEqual(2);
		await conn.hangUp(true);
		const ended = await emu.waitForEvent('CallDisconnected', { callConnectionId: id });
		expect(ended.data.resultInformation).toMatchObject({ code: 200 });
	});

	it('plays to all and to one participant, loops until cancelAll, and honours operationCallbackUrl', async () => {
		const { id, media } = await connectedCall('play');
		await media.playToAll([WAV], { operationContext: 'play-all' });
		await emu.waitForEvent('PlayStarted', { operationContext: 'play-all' });
		await emu.waitForEvent('PlayCompleted', { operationContext: 'play-all' });
		await media.play([TTS], [CALLEE], {
			operationContext: 'play-one',
			operationCallbackUrl: `${rx.url}/op-callback`,
		});
		await emu.waitForEvent('PlayCompleted', { operationContext: 'play-one' });
		expect(rx.received.filter((r) => r.path === '/op-callback').length).toBeGreaterThanOrEqual(2);
		await media.playToAll([WAV], { loop: true, operationContext: 'loop' });
		await emu.waitForEvent('PlayStarted', { operationContext: 'loop' });
		await media.cancelAllOperations();
		const canceled = await emu.waitForEvent('PlayCanceled', { callConnectionId: id });
		expect(canceled.data).toMatchObject({
			operationContext: 'loop',
			resultInformation: { code: 400, subCode: 8508 },
		});
		expect(
			emu
				.state()
				.events.some(
					(e: any) => e.type.endsWith('PlayCompleted') && e.event.data.operationContext === 'loop',
				),
		).toBe(false);
		await media.playToAll([{ kind: 'fileSource', url: 'https://audio.example/song.mp3' }], {
			operationContext: 'mp3',
		});
		const failed = await emu.waitForEvent('PlayFailed', { operationContext: 'mp3' });
		expect(failed.data).toMatchObject({
			failedPlaySourceIndex: 0,
			resultInformation: { subCode: 8535 },
		});
	});

	it('recognizes DTMF (stop tone), choices and speech; pressKeys also feeds continuous DTMF', async () => {
		const { id, media } = await connectedCall('recognize');
		await media.startRecognizing(CALLEE, {
			kind: 'callMediaRecognizeDtmfOptions',
			maxTonesToCollect: 4,
			stopDtmfTones: [DtmfTone.Pound],
			playPrompt: WAV,
			operationContext: 'pin',
		});
		await media.startContinuousDtmfRecognition(CALLEE, { operationContext: 'continuous' });
		emu.pressKeys(id, '12#');
		const pin = await emu.waitForEvent('RecognizeCompleted', { operationContext: 'pin' });
		expect(pin.data).toMatchObject({
			recognitionType: 'dtmf',
			dtmfResult: { tones: ['one', 'two'] },
			resultInformation: { subCode: 8514 },
		});
		const tone = await emu.waitForEvent('ContinuousDtmfRecognitionToneReceived', {
			callConnectionId: id,
			match: (e) => e.data.sequenceId === 3,
		});
		expect(tone.data).toMatchObject({ tone: 'pound', operationContext: 'continuous' });
		await media.stopContinuousDtmfRecognition(CALLEE, { operationContext: 'continuous-stop' });
		await emu.waitForEvent('ContinuousDtmfRecognitionStopped', {
			operationContext: 'continuous-stop',
		});

		await media.startRecognizing(CALLEE, {
			kind: 'callMediaRecognizeChoiceOptions',
			choices: [
				{ label: 'sales', phrases: ['sales', 'buy'], tone: DtmfTone.One },
				{ label: 'support', phrases: ['support', 'help'], tone: DtmfTone.Two },
			],
			playPrompt: TTS,
			operationContext: 'menu',
		});
		emu.pressKeys(id, '2');
		const menu = await emu.waitForEvent('RecognizeCompleted', { operationContext: 'menu' });
		expect(menu.data).toMatchObject({
			recognitionType: 'choices',
			choiceResult: { label: 'support' },
		});

		await media.startRecognizing(CALLEE, {
			kind: 'callMediaRecognizeSpeechOptions',
			operationContext: 'speech',
		});
		emu.saySpeech(id, 'I need a refund');
		const speech = await emu.waitForEvent('RecognizeCompleted', { operationContext: 'speech' });
		expect(speech.data).toMatchObject({
			recognitionType: 'speech',
			speechResult: { speech: 'I need a refund' },
		});

		await media.startRecognizing(CALLEE, {
			kind: 'callMediaRecognizeDtmfOptions',
			maxTonesToCollect: 1,
			operationContext: 'silent',
		});
		emu.recognizeTimeout(id);
		const silent = await emu.waitForEvent('RecognizeFailed', { operationContext: 'silent' });
		expect(silent.data.resultInformation).toMatchObject({ code: 400, subCode: 8510 });

		await media.startRecognizing(CALLEE, {
			kind: 'callMediaRecognizeDtmfOptions',
			maxTonesToCollect: 1,
			operationContext: 'canceled',
		});
		await media.cancelAllOperations();
		await emu.waitForEvent('RecognizeCanceled', { operationContext: 'canceled' });
	});

	it('sends DTMF, holds and unholds', async () => {
		const { conn, media } = await connectedCall('dtmf-hold');
		const sent = await media.sendDtmfTones(['one', 'pound'], CALLEE, { operationContext: 'send' });
		expect(sent).toBeDefined();
		await emu.waitForEvent('SendDtmfTonesCompleted', { operationContext: 'send' });
		await media.hold(CALLEE, { playSource: WAV, operationContext: 'hold' });
		expect((await conn.getParticipant(CALLEE)).isOnHold).toBe(true);
		await media.unhold(CALLEE, { operationContext: 'unhold' });
		expect((await conn.getParticipant(CALLEE)).isOnHold).toBe(false);
	});

	it('adds, mutes and removes participants', async () => {
		const { id, conn } = await connectedCall('participants');
		const agent: PhoneNumberIdentifier = { phoneNumber: '+14255550142' };
		const added = await conn.addParticipant(
			{ targetParticipant: agent, sourceCallIdNumber: CALLER_ID },
			{ operationContext: 'add' },
		);
		expect(added.invitationId).toEqual(expect.any(String));
		expect(added.participant?.identifier).toEqual({
			phoneNumber: '+14255550142',
			rawId: '4:+14255550142',
		});
		const ok = await emu.waitForEvent('AddParticipantSucceeded', { operationContext: 'add' });
		expect(ok.data.participant).toMatchObject({ rawId: '4:+14255550142' });
		await conn.muteParticipant(agent, { operationContext: 'mute' });
		expect((await conn.getParticipant(agent)).isMuted).toBe(true);
		expect((await conn.listParticipants()).values).toHaveLength(2);
		await conn.removeParticipant(agent, { operationContext: 'remove' });
		await emu.waitForEvent('RemoveParticipantSucceeded', { operationContext: 'remove' });
		await expect(conn.getParticipant(agent)).rejects.toMatchObject({ statusCode: 404 });
		const roster = await emu.waitForEvent('ParticipantsUpdated', {
			callConnectionId: id,
			match: (e) => (e.data.participants as unknown[]).length === 1,
		});
		expect(roster.data.sequenceNumber).toEqual(expect.any(Number));
		await conn.cancelAddParticipantOperation('no-such-invitation', {
			operationContext: 'cancel-unknown',
		});
		await emu.waitForEvent('CancelAddParticipantFailed', { operationContext: 'cancel-unknown' });
	});

	it('transfers a call (CallTransferAccepted, then CallDisconnected)', async () => {
		const { id, conn } = await connectedCall('transfer');
		const result = await conn.transferCallToParticipant(
			{ phoneNumber: '+14255550177' },
			{ operationContext: 'xfer' },
		);
		expect(result.operationContext).toBe('xfer');
		const accepted = await emu.waitForEvent('CallTransferAccepted', { operationContext: 'xfer' });
		expect(accepted.data).toMatchObject({
			transferTarget: { rawId: '4:+14255550177' },
			transferee: { rawId: '4:+14255550100' },
		});
		await emu.waitForEvent('CallDisconnected', { callConnectionId: id });
	});

	it('records a call: start, get state, pause, resume, stop', async () => {
		const { id } = await connectedCall('recording');
		const props = await client.getCallConnection(id).getCallConnectionProperties();
		const recording = client.getCallRecording();
		const started = await recording.start({
			callLocator: { id: props.serverCallId as string, kind: 'serverCallLocator' },
			recordingStateCallbackEndpointUrl: `${rx.url}/recording`,
			recordingContent: 'audio',
			recordingChannel: 'mixed',
			recordingFormat: 'wav',
		});
		expect(started).toMatchObject({
			recordingId: expect.any(String),
			recordingState: 'active',
			recordingKind: 'azureCommunicationServices',
		});
		const recordingId = started.recordingId;
		await emu.waitForEvent('RecordingStateChanged', {
			callConnectionId: id,
			match: (e) => e.data.state === 'active',
		});
		await recording.pause(recordingId);
		expect((await recording.getState(recordingId)).recordingState).toBe('inactive');
		await recording.resume(recordingId);
		expect((await recording.getState(recordingId)).recordingState).toBe('active');
		await recording.stop(recordingId);
		await expect(recording.getState(recordingId)).rejects.toMatchObject({ statusCode: 404 });
		const second = await recording.start({ callConnectionId: id, pauseOnStart: true });
		expect(second.recordingState).toBe('inactive');
		expect(rx.received.some((r) => r.path === '/recording')).toBe(true);
	});

	it('connects to a call in progress by serverCallId', async () => {
		const { id } = await connectedCall('connect-source');
		const serverCallId = (await client.getCallConnection(id).getCallConnectionProperties())
			.serverCallId as string;
		const joined = await client.connectCall({ id: serverCallId, kind: 'serverCallLocator' }, cb, {
			operationContext: 'join',
		});
		const joinedId = joined.callConnectionProperties.callConnectionId as string;
		await emu.waitForEvent('CallConnected', { callConnectionId: joinedId });
		expect((await client.getCallConnection(joinedId).listParticipants()).values).toHaveLength(1);
	});

	it('answers, rejects and redirects simulated incoming calls delivered through Event Grid', async () => {
		const sub = await emu.eventGrid.add({
			endpointUrl: `${rx.url}/eventgrid`,
			includedEventTypes: ['Microsoft.Communication.IncomingCall'],
		});
		expect(emu.eventGrid.list()).toEqual([sub]);
		const ring = await emu.simulateIncomingCall({ from: '+14255550123', to: '+18005550100' });
		expect(ring.deliveries[0]).toMatchObject({ status: 'delivered', attempts: 1 });
		const delivered = rx.received.find(
			(r) => r.path === '/eventgrid' && r.headers['aeg-event-type'] === 'Notification',
		);
		const [event] = delivered?.json as Array<{
			eventType: string;
			data: { incomingCallContext: string; from: { rawId: string } };
		}>;
		expect(event.eventType).toBe('Microsoft.Communication.IncomingCall');
		expect(event.data.from.rawId).toBe('4:+14255550123');

		const answered = await client.answerCall(event.data.incomingCallContext, cb, {
			operationContext: 'answer',
			callIntelligenceOptions: AI,
		});
		const id = answered.callConnectionProperties.callConnectionId as string;
		await emu.waitForEvent('CallConnected', { callConnectionId: id, operationContext: 'answer' });
		expect(answered.callConnectionProperties.answeredFor).toEqual({ phoneNumber: '+18005550100' });
		await expect(client.answerCall(event.data.incomingCallContext, cb)).rejects.toMatchObject({
			statusCode: 404,
		});
		await expect(client.answerCall('forged-context', cb)).rejects.toMatchObject({
			statusCode: 400,
		});

		const second = await emu.simulateIncomingCall({ from: '+14255550124', to: '+18005550100' });
		await client.rejectCall(second.incomingCallContext, { callRejectReason: 'busy' });
		const third = await emu.simulateIncomingCall({ from: '+14255550125', to: '+18005550100' });
		await client.redirectCall(third.incomingCallContext, {
			targetParticipant: { phoneNumber: '+14255550188' },
		});
		expect(emu.state().incomingCalls.map((c: any) => c.state)).toEqual([
			'answered',
			'rejected',
			'redirected',
		]);
		expect(emu.eventGrid.remove(sub.id)).toBe(true);
	});

	it('delivered only events the SDK parses, each with a valid JWT, strictly in order per call', () => {
		const callbacks = rx.received.filter((r) => r.headers.authorization);
		expect(callbacks.length).toBeGreaterThan(40);
		expect(rx.jwtErrors).toEqual([]);
		const kinds = new Set<string>();
		for (const r of callbacks) {
			expect(r.claims).toMatchObject({ iss: emu.issuer, aud: emu.resourceId });
			const parsed = parseCallAutomationEvent(r.body);
			kinds.add(parsed.kind);
			expect(parsed.callConnectionId).toEqual(expect.any(String));
		}
		expect([...kinds].sort()).toEqual(
			[
				'AddParticipantSucceeded',
				'CallConnected',
				'CallDisconnected',
				'CallTransferAccepted',
				'CancelAddParticipantFailed',
				'ContinuousDtmfRecognitionStopped',
				'ContinuousDtmfRecognitionToneReceived',
				'ParticipantsUpdated',
				'PlayCanceled',
				'PlayCompleted',
				'PlayFailed',
				'PlayStarted',
				'RecognizeCanceled',
				'RecognizeCompleted',
				'RecognizeFailed',
				'RecordingStateChanged',
				'RemoveParticipantSucceeded',
				'SendDtmfTonesCompleted',
			].sort(),
		);
		// Per call, the receiver saw events in the order the emulator emitted them.
		const events = emu.state().events as Array<{
			seq: number;
			callConnectionId?: string;
			status: string;
			event: { id: string };
		}>;
		expect(events.filter((e) => e.status !== 'delivered' && e.callConnectionId)).toEqual([]);
		const arrival = new Map(callbacks.map((r, i) => [(r.json as Array<{ id: string }>)[0].id, i]));
		const byCall = new Map<string, number[]>();
		for (const e of events) {
			if (!e.callConnectionId) continue;
			const list = byCall.get(e.callConnectionId) ?? [];
			list.push(arrival.get(e.event.id) as number);
			byCall.set(e.callConnectionId, list);
		}
		for (const order of byCall.values()) expect(order).toEqual([...order].sort((a, b) => a - b));
	});
});

describe('emulator: pending invitations can be canceled', () => {
	it('answers cancelAddParticipant with CancelAddParticipantSucceeded while the invitation rings', async () => {
		const emu = await startEmulator({ addParticipantDelayMs: 60_000 });
		const rx = await startReceiver(emu);
		try {
			const client = new CallAutomationClient(emu.connectionString, {
				allowInsecureConnection: true,
			});
			const created = await client.createCall(
				{ targetParticipant: CALLEE, sourceCallIdNumber: CALLER_ID },
				`${rx.url}/cb`,
			);
			const id = created.callConnectionProperties.callConnectionId as string;
			await emu.waitForEvent('CallConnected', { callConnectionId: id });
			const conn = client.getCallConnection(id);
			const added = await conn.addParticipant(
				{ targetParticipant: { communicationUserId: '8:acs:res_agent' } },
				{ operationContext: 'ring' },
			);
			expect(emu.state().calls[0].pendingInvitations).toHaveLength(1);
			const canceled = await conn.cancelAddParticipantOperation(added.invitationId as string, {
				operationContext: 'cancel',
			});
			expect(canceled.invitationId).toBe(added.invitationId);
			const event = await emu.waitForEvent('CancelAddParticipantSucceeded', {
				operationContext: 'cancel',
			});
			expect(parseCallAutomationEvent(JSON.stringify([event]))).toMatchObject({
				kind: 'CancelAddParticipantSucceeded',
				invitationId: added.invitationId,
			});
			expect(emu.state().calls[0].pendingInvitations).toHaveLength(0);
		} finally {
			await emu.close();
			await rx.close();
		}
	});
});
