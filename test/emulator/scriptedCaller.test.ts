/**
 * The scripted caller answers real recognize requests sent by the official SDK; every event it causes must be
 * what ACS sends (parsed by the SDK's parseCallAutomationEvent) and what the caller heard is recorded.
 */
import {
	CallAutomationClient,
	DtmfTone,
	parseCallAutomationEvent,
	type CallMedia,
	type FileSource,
	type SsmlSource,
	type TextSource,
} from '@azure/communication-call-automation';
import type { PhoneNumberIdentifier } from '@azure/communication-common';
import { startEmulator, type CloudEvent, type Emulator } from '../../emulator';
import { startReceiver, type Receiver } from './receiver';

const CALLEE: PhoneNumberIdentifier = { phoneNumber: '+14255550100' };
const CALLER_ID: PhoneNumberIdentifier = { phoneNumber: '+14255550199' };
const AI = { cognitiveServicesEndpoint: 'https://ai.example.cognitiveservices.azure.com/' };
const ASK: TextSource = {
	kind: 'textSource',
	text: 'How can I help?',
	voiceName: 'en-US-AvaNeural',
};
const SSML: SsmlSource = {
	kind: 'ssmlSource',
	ssmlText:
		'<speak version="1.0" xml:lang="en-US"><voice name="en-US-AvaNeural">Anything else?</voice></speak>',
};
const WAV: FileSource = { kind: 'fileSource', url: 'https://audio.example/goodbye.wav' };

describe('scripted caller (official SDK against the emulator)', () => {
	let emu: Emulator;
	let rx: Receiver;
	let client: CallAutomationClient;
	let cb: string;

	beforeAll(async () => {
		emu = await startEmulator();
		rx = await startReceiver(emu);
		cb = `${rx.url}/callbacks`;
		client = new CallAutomationClient(emu.connectionString, { allowInsecureConnection: true });
	});

	afterEach(() => {
		emu.clearCallers();
	});

	afterAll(async () => {
		await emu.close();
		await rx.close();
	});

	async function call(number = CALLEE.phoneNumber): Promise<{ id: string; media: CallMedia }> {
		const created = await client.createCall(
			{ targetParticipant: { phoneNumber: number }, sourceCallIdNumber: CALLER_ID },
			cb,
			{
				callIntelligenceOptions: AI,
			},
		);
		const id = created.callConnectionProperties.callConnectionId as string;
		await emu.waitForEvent('CallConnected', { callConnectionId: id });
		return { id, media: client.getCallConnection(id).getCallMedia() };
	}

	function listen(
		media: CallMedia,
		operationContext: string,
		extra: { interruptPrompt?: boolean; playPrompt?: TextSource | SsmlSource } = {},
	): Promise<void> {
		return media.startRecognizing(CALLEE, {
			kind: 'callMediaRecognizeSpeechOptions',
			playPrompt: extra.playPrompt ?? ASK,
			interruptPrompt: extra.interruptPrompt,
			endSilenceTimeoutInSeconds: 1,
			operationContext,
		});
	}

	/** The event as the SDK parses it from the wire. */
	function sdk(event: CloudEvent): Record<string, unknown> {
		return parseCallAutomationEvent(JSON.stringify([event])) as unknown as Record<string, unknown>;
	}

	function eventTypes(id: string): string[] {
		return (emu.state().events as Array<{ callConnectionId?: string; type: string }>)
			.filter((e) => e.callConnectionId === id)
			.map((e) => e.type.replace('Microsoft.Communication.', ''));
	}

	it('answers each recognize with the next turn of its number: speech (confidence), keys, silence, unrecognized, then whenDone', async () => {
		emu.scriptCaller({
			number: '+14255550100',
			turns: [
				{ say: 'I would like to book a table' },
				{ say: 'for two', confidence: 0.62 },
				{ keys: '12#' },
				{ silence: true },
				{ unrecognized: true },
			],
		});
		const { id, media } = await call();

		await listen(media, 't1');
		const t1 = sdk(await emu.waitForEvent('RecognizeCompleted', { operationContext: 't1' }));
		expect(t1).toMatchObject({
			kind: 'RecognizeCompleted',
			recognitionType: 'speech',
			speechResult: { speech: 'I would like to book a table', confidence: 0.9 },
			resultInformation: { code: 200, subCode: 8569 },
		});

		await listen(media, 't2', { playPrompt: SSML });
		const t2 = sdk(await emu.waitForEvent('RecognizeCompleted', { operationContext: 't2' }));
		expect(t2.speechResult).toEqual({ speech: 'for two', confidence: 0.62 });

		await media.startRecognizing(CALLEE, {
			kind: 'callMediaRecognizeDtmfOptions',
			maxTonesToCollect: 4,
			stopDtmfTones: [DtmfTone.Pound],
			operationContext: 't3',
		});
		const t3 = sdk(await emu.waitForEvent('RecognizeCompleted', { operationContext: 't3' }));
		expect(t3).toMatchObject({
			recognitionType: 'dtmf',
			dtmfResult: { tones: ['one', 'two'] },
			resultInformation: { subCode: 8514 },
		});

		await listen(media, 't4');
		expect(
			sdk(await emu.waitForEvent('RecognizeFailed', { operationContext: 't4' })),
		).toMatchObject({
			kind: 'RecognizeFailed',
			resultInformation: { code: 400, subCode: 8510 },
		});
		await listen(media, 't5');
		expect(
			sdk(await emu.waitForEvent('RecognizeFailed', { operationContext: 't5' })).resultInformation,
		).toMatchObject({ code: 400, subCode: 8563 });
		// Turns ran out: whenDone defaults to silence.
		await listen(media, 't6');
		expect(
			sdk(await emu.waitForEvent('RecognizeFailed', { operationContext: 't6' })).resultInformation,
		).toMatchObject({ subCode: 8510 });

		const heard = emu.heard(id);
		expect(heard.map((h) => [h.via, h.kind, h.operationContext])).toEqual([
			['recognize', 'text', 't1'],
			['recognize', 'ssml', 't2'],
			['recognize', 'text', 't4'],
			['recognize', 'text', 't5'],
			['recognize', 'text', 't6'],
		]);
		expect(heard[0]).toEqual({
			at: expect.any(String),
			via: 'recognize',
			kind: 'text',
			text: 'How can I help?',
			voiceName: 'en-US-AvaNeural',
			operationContext: 't1',
			interrupted: false,
		});
		expect(heard[1].ssml).toBe(SSML.ssmlText);
		const snapshot = emu.state().calls.find((c) => c.callConnectionId === id) as {
			heard: unknown[];
			caller: { remaining: number };
		};
		expect(snapshot.heard).toEqual(heard);
		expect(snapshot.caller.remaining).toBe(0);
	});

	it('matches a choices recognize by the spoken phrase, with the turn confidence', async () => {
		emu.scriptCaller({ number: '+14255550100', turns: [{ say: 'help', confidence: 0.8 }] });
		const { media } = await call();
		await media.startRecognizing(CALLEE, {
			kind: 'callMediaRecognizeChoiceOptions',
			choices: [
				{ label: 'sales', phrases: ['sales'] },
				{ label: 'support', phrases: ['support', 'help'] },
			],
			playPrompt: ASK,
			operationContext: 'menu',
		});
		const menu = sdk(await emu.waitForEvent('RecognizeCompleted', { operationContext: 'menu' }));
		expect(menu).toMatchObject({
			recognitionType: 'choices',
			choiceResult: { label: 'support', recognizedPhrase: 'help', confidence: 0.8 },
		});
	});

	it('barge-in: speech over the prompt cuts it only when interruptPrompt is on', async () => {
		emu.scriptCaller({
			number: '+14255550100',
			turns: [
				{ say: 'sorry to interrupt', duringPrompt: true },
				{ say: 'me again', duringPrompt: true },
				{ say: 'stop there', duringPrompt: true },
			],
		});
		const { id, media } = await call();
		await listen(media, 'barge-on', { interruptPrompt: true });
		const on = sdk(await emu.waitForEvent('RecognizeCompleted', { operationContext: 'barge-on' }));
		expect(on.speechResult).toEqual({ speech: 'sorry to interrupt', confidence: 0.9 });
		await listen(media, 'barge-off', { interruptPrompt: false });
		const off = sdk(
			await emu.waitForEvent('RecognizeCompleted', { operationContext: 'barge-off' }),
		);
		expect(off.speechResult).toEqual({ speech: 'me again', confidence: 0.9 });
		// Two prompts, cut in the first: the second was never played.
		await media.startRecognizing(CALLEE, {
			kind: 'callMediaRecognizeSpeechOptions',
			playPrompts: [ASK, SSML],
			interruptPrompt: true,
			operationContext: 'two-prompts',
		});
		await emu.waitForEvent('RecognizeCompleted', { operationContext: 'two-prompts' });
		expect(emu.heard(id).map((h) => [h.operationContext, h.kind, h.interrupted])).toEqual([
			['barge-on', 'text', true],
			['barge-off', 'text', false],
			['two-prompts', 'text', true],
		]);
	});

	it('records plays (text, file) as heard, and a hang-up during a play sends CallDisconnected only', async () => {
		emu.scriptCaller({
			number: '+14255550100',
			turns: [{ say: 'bye' }, { hangUp: 'duringPrompt' }],
		});
		const { id, media } = await call();
		await listen(media, 'last');
		await emu.waitForEvent('RecognizeCompleted', { operationContext: 'last' });
		await media.play(
			[{ kind: 'textSource', text: 'Goodbye!', voiceName: 'en-US-AvaNeural' }, WAV],
			[],
			{ operationContext: 'bye' },
		);
		const gone = sdk(await emu.waitForEvent('CallDisconnected', { callConnectionId: id }));
		expect(gone.kind).toBe('CallDisconnected');
		const types = eventTypes(id);
		expect(types.slice(types.indexOf('PlayStarted'))).toEqual(['PlayStarted', 'CallDisconnected']);
		expect(emu.heard(id).filter((h) => h.via === 'play')).toEqual([
			{
				at: expect.any(String),
				via: 'play',
				kind: 'text',
				text: 'Goodbye!',
				voiceName: 'en-US-AvaNeural',
				operationContext: 'bye',
				interrupted: false,
			},
			{
				at: expect.any(String),
				via: 'play',
				kind: 'file',
				url: WAV.url,
				operationContext: 'bye',
				interrupted: false,
			},
		]);
	});

	it('hangs up while listening, during a recognize prompt, after speaking, or when the turns run out (whenDone: hangUp)', async () => {
		const cases: Array<{
			turns: Parameters<Emulator['scriptCaller']>[0]['turns'];
			whenDone?: 'hangUp';
			completed: boolean;
		}> = [
			{ turns: [{ hangUp: 'whileListening' }], completed: false },
			{ turns: [{ hangUp: 'duringPrompt' }], completed: false },
			{ turns: [{ say: 'actually never mind', thenHangUp: true }], completed: true },
			{ turns: [], whenDone: 'hangUp', completed: false },
		];
		for (const [i, c] of cases.entries()) {
			const number = `+1425555020${i}`;
			emu.scriptCaller({ number, turns: c.turns, whenDone: c.whenDone });
			const created = await client.createCall(
				{ targetParticipant: { phoneNumber: number }, sourceCallIdNumber: CALLER_ID },
				cb,
				{ callIntelligenceOptions: AI },
			);
			const id = created.callConnectionProperties.callConnectionId as string;
			await emu.waitForEvent('CallConnected', { callConnectionId: id });
			const media = client.getCallConnection(id).getCallMedia();
			await media.startRecognizing(
				{ phoneNumber: number },
				{ kind: 'callMediaRecognizeSpeechOptions', playPrompt: ASK, operationContext: `hang-${i}` },
			);
			await emu.waitForEvent('CallDisconnected', { callConnectionId: id });
			const types = eventTypes(id);
			// ACS reports the remote party leaving as CallDisconnected; nothing follows it.
			expect(types[types.length - 1]).toBe('CallDisconnected');
			expect(types.includes('RecognizeCompleted')).toBe(c.completed);
			expect(types.filter((t) => t === 'RecognizeFailed' || t === 'RecognizeCanceled')).toEqual([]);
			expect(emu.heard(id)).toHaveLength(1);
			await expect(
				media.startRecognizing(
					{ phoneNumber: number },
					{ kind: 'callMediaRecognizeSpeechOptions' },
				),
			).rejects.toMatchObject({ statusCode: 404 });
		}
	});

	it('only the remote party follows the script and hears: media for another participant is not theirs', async () => {
		emu.scriptCaller({ number: '+14255550100', turns: [{ say: 'mine' }] });
		const { id, media } = await call();
		const other = { phoneNumber: '+14255550600' };
		await client
			.getCallConnection(id)
			.addParticipant({ targetParticipant: other, sourceCallIdNumber: CALLER_ID });
		await emu.waitForEvent('AddParticipantSucceeded', { callConnectionId: id });
		await media.play([WAV], [other], { operationContext: 'to-other' });
		await emu.waitForEvent('PlayCompleted', { operationContext: 'to-other' });
		await media.startRecognizing(other, {
			kind: 'callMediaRecognizeSpeechOptions',
			playPrompt: ASK,
			operationContext: 'other-listens',
		});
		const snapshot = (): {
			caller: { next: number };
			mediaOperations: { recognize?: { operationContext: string } };
		} => emu.state().calls.find((c) => c.callConnectionId === id) as never;
		expect(snapshot().caller.next).toBe(0);
		expect(snapshot().mediaOperations.recognize?.operationContext).toBe('other-listens');
		emu.saySpeech(id, 'the other party speaks');
		await emu.waitForEvent('RecognizeCompleted', { operationContext: 'other-listens' });
		await listen(media, 'caller-listens');
		expect(
			sdk(await emu.waitForEvent('RecognizeCompleted', { operationContext: 'caller-listens' }))
				.speechResult,
		).toEqual({ speech: 'mine', confidence: 0.9 });
		expect(emu.heard(id).map((h) => h.operationContext)).toEqual(['caller-listens']);
	});

	it('scripts one call, lists and clears number scripts, and reads heard over HTTP', async () => {
		const { id, media } = await call();
		const http = async (
			method: string,
			path: string,
			body?: unknown,
		): Promise<{ status: number; json: any }> => {
			const res = await fetch(`${emu.url}${path}`, {
				method,
				body: body === undefined ? undefined : JSON.stringify(body),
			});
			const text = await res.text();
			return { status: res.status, json: text ? JSON.parse(text) : undefined };
		};
		expect(
			(
				await http('POST', `__emulator/calls/${id}/caller`, {
					turns: [{ say: 'over http', confidence: 0.7 }],
				})
			).status,
		).toBe(200);
		await listen(media, 'http');
		expect(
			sdk(await emu.waitForEvent('RecognizeCompleted', { operationContext: 'http' })).speechResult,
		).toEqual({ speech: 'over http', confidence: 0.7 });
		const heard = await http('GET', `__emulator/calls/${id}/heard`);
		expect(heard.status).toBe(200);
		expect(heard.json).toEqual([
			expect.objectContaining({
				via: 'recognize',
				kind: 'text',
				text: 'How can I help?',
				operationContext: 'http',
			}),
		]);

		const added = await http('POST', '__emulator/callers', {
			number: '4:+14255550301',
			turns: [{ keys: '9' }],
			whenDone: 'hangUp',
		});
		expect(added.json.callers).toEqual([
			{ number: '+14255550301', turns: [{ keys: '9' }], whenDone: 'hangUp' },
		]);
		expect(emu.state().callers).toEqual(added.json.callers);
		const bad = await http('POST', '__emulator/callers', {
			number: '+14255550302',
			turns: [{ say: 'x', keys: '1' }],
		});
		expect(bad.status).toBe(400);
		expect(bad.json.error.message).toContain("'caller.turns[0]' must have exactly one of");
		expect((await http('DELETE', '__emulator/callers')).status).toBe(204);
		expect((await http('GET', '__emulator/callers')).json).toEqual({ callers: [] });
		expect((await http('GET', '__emulator/calls/not-a-call/heard')).status).toBe(404);
	});

	it('an incoming call follows the script given with it (HTTP) once answered', async () => {
		const ring = await fetch(`${emu.url}__emulator/incoming-call`, {
			method: 'POST',
			body: JSON.stringify({
				from: '+14255550400',
				to: '+18005550100',
				caller: { turns: [{ say: 'hi, I am calling about my order' }] },
			}),
		});
		expect(ring.status).toBe(200);
		const { incomingCallContext } = (await ring.json()) as { incomingCallContext: string };
		const answered = await client.answerCall(incomingCallContext, cb, {
			callIntelligenceOptions: AI,
		});
		const id = answered.callConnectionProperties.callConnectionId as string;
		await emu.waitForEvent('CallConnected', { callConnectionId: id });
		await client.getCallConnection(id).getCallMedia().startRecognizing(
			{ phoneNumber: '+14255550400' },
			{
				kind: 'callMediaRecognizeSpeechOptions',
				playPrompt: ASK,
				operationContext: 'inbound',
			},
		);
		expect(
			sdk(await emu.waitForEvent('RecognizeCompleted', { operationContext: 'inbound' }))
				.speechResult,
		).toEqual({
			speech: 'hi, I am calling about my order',
			confidence: 0.9,
		});
	});

	it('scripts given as startEmulator options survive reset; scripts registered later do not', async () => {
		const own = await startEmulator({
			callers: [{ number: '+14255550500', turns: [{ say: 'from options' }] }],
		});
		try {
			own.scriptCaller({ number: '+14255550501', turns: [{ silence: true }] });
			expect(own.state().callers.map((c) => c.number)).toEqual(['+14255550500', '+14255550501']);
			await fetch(`${own.url}__emulator/reset`, { method: 'POST' });
			expect(own.state().callers).toEqual([
				{ number: '+14255550500', turns: [{ say: 'from options' }], whenDone: 'silence' },
			]);
			expect(() => own.scriptCaller({ number: 'not-a-number', turns: [] })).toThrow(/E\.164/);
			expect(() => own.scriptCaller({ turns: [] })).toThrow(/exactly one of number/);
			await expect(
				startEmulator({
					callers: [{ number: '+14255550502', turns: [{ hangUp: 'later' as never }] }],
				}),
			).rejects.toThrow(/whileListening/);
		} finally {
			await own.close();
		}
	});

	it('every callback it caused parsed with the SDK and carried a valid JWT', () => {
		expect(rx.jwtErrors).toEqual([]);
		const callbacks = rx.received.filter((r) => r.headers.authorization);
		expect(callbacks.length).toBeGreaterThan(20);
		for (const r of callbacks)
			expect(parseCallAutomationEvent(r.body).callConnectionId).toEqual(expect.any(String));
	});
});
