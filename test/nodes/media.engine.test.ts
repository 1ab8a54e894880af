/**
 * Media resource in n8n's engine against the emulator: each operation does on the emulated call what
 * the service would (plays queue and complete or are canceled, input is collected from the keys the
 * callee presses, hold changes the roster), bad input is refused before anything is sent, and
 * Continue On Fail keeps items paired.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Emulator } from '../../emulator';
import {
	CALLBACK,
	CALLEE,
	callSnapshot,
	connectedCall,
	expectRefused,
	outputJson,
	runAction,
	WAV,
	withEmulator,
} from '../harness/action';
import { engineLabel } from '../harness/engine';

const WAV2 = 'https://audio.example.com/second.wav';
const OP_CALLBACK = 'https://op-callbacks.example.com/media';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

type MediaOps = { plays: IDataObject[]; recognize?: IDataObject; continuousDtmf: IDataObject[] };

describe(`Media resource (${engineLabel})`, () => {
	let emu: Emulator;
	withEmulator({ port: 0 }, (started) => (emu = started));

	const media = async (callConnectionId: string, operation: string, fields: IDataObject = {}) =>
		outputJson(
			await runAction(emu, {
				parameters: { resource: 'media', operation, callConnectionId, ...fields },
			}),
		)[0];
	const mediaOps = (id: string) => callSnapshot(emu, id)?.mediaOperations as MediaOps;
	const participant = (id: string, rawId: string) =>
		(
			callSnapshot(emu, id)?.participants as Array<{
				identifier: { rawId: string };
				isOnHold: boolean;
			}>
		).find((p) => p.identifier.rawId === rawId);

	describe('playAudio and cancelAll', () => {
		it('plays a file to everyone; PlayCompleted carries the generated operation context', async () => {
			const id = await connectedCall(emu);
			const out = await media(id, 'playAudio', { audioUrl: WAV });
			expect(out).toMatchObject({
				callConnectionId: id,
				operation: 'playAudio',
				audioUrl: [WAV],
				loop: false,
				playTo: 'everyone',
			});
			expect(out.operationContext).toMatch(UUID);
			const started = await emu.waitForEvent('PlayStarted', {
				callConnectionId: id,
				operationContext: String(out.operationContext),
			});
			const done = await emu.waitForEvent('PlayCompleted', {
				callConnectionId: id,
				operationContext: String(out.operationContext),
			});
			expect(started.data.resultInformation).toMatchObject({ code: 200 });
			expect(done.data.resultInformation).toMatchObject({ code: 200, subCode: 0 });
		});

		it('a looping play keeps playing until Cancel All, which sends PlayCanceled for it and for the queued one', async () => {
			const id = await connectedCall(emu);
			await media(id, 'playAudio', {
				audioUrl: WAV,
				additionalFields: { loop: true, operationContext: 'hold-music' },
			});
			await emu.waitForEvent('PlayStarted', {
				callConnectionId: id,
				operationContext: 'hold-music',
			});
			// Queued behind the loop, so the emulator's record still shows it.
			await media(id, 'playAudio', {
				audioUrl: `${WAV}, ${WAV2}`,
				additionalFields: {
					playTo: CALLEE,
					operationContext: 'queued',
					operationCallbackUrl: OP_CALLBACK,
				},
			});
			const plays = mediaOps(id).plays;
			expect(plays).toHaveLength(2);
			expect(plays[0]).toMatchObject({
				operationContext: 'hold-music',
				loop: true,
				started: true,
				sources: [{ kind: 'file', file: { uri: WAV } }],
			});
			expect(plays[1]).toMatchObject({
				operationContext: 'queued',
				loop: false,
				started: false,
				callbackUri: OP_CALLBACK,
				playTo: [{ rawId: `4:${CALLEE}` }],
				sources: [
					{ kind: 'file', file: { uri: WAV } },
					{ kind: 'file', file: { uri: WAV2 } },
				],
			});

			const out = await media(id, 'cancelAll');
			expect(out).toMatchObject({ callConnectionId: id, operation: 'cancelAll', canceled: true });
			const canceled = await emu.waitForEvent('PlayCanceled', {
				callConnectionId: id,
				operationContext: 'hold-music',
			});
			expect(canceled.data.resultInformation).toMatchObject({ code: 400, subCode: 8508 });
			const queued = (
				emu.state().events as Array<{ type: string; url: string; event: { data: IDataObject } }>
			).find(
				(e) =>
					e.type === 'Microsoft.Communication.PlayCanceled' &&
					e.event.data.operationContext === 'queued',
			);
			expect(queued?.url).toBe(OP_CALLBACK);
			expect(mediaOps(id).plays).toEqual([]);
		});

		it('interrupt stops the running loop and plays right away', async () => {
			const id = await connectedCall(emu);
			await media(id, 'playAudio', {
				audioUrl: WAV,
				additionalFields: { loop: true, operationContext: 'loop' },
			});
			await media(id, 'playAudio', {
				audioUrl: WAV2,
				additionalFields: { interruptCallMediaOperation: true, operationContext: 'urgent' },
			});
			await emu.waitForEvent('PlayCanceled', { callConnectionId: id, operationContext: 'loop' });
			await emu.waitForEvent('PlayCompleted', { callConnectionId: id, operationContext: 'urgent' });
		});
	});

	describe('playText', () => {
		it('speaks text with the default voice (queued behind a loop to read it back), then completes', async () => {
			const id = await connectedCall(emu);
			await media(id, 'playAudio', {
				audioUrl: WAV,
				additionalFields: { loop: true, operationContext: 'loop' },
			});
			const out = await media(id, 'playText', {
				text: 'Your appointment is tomorrow at 10 AM.',
				additionalFields: { operationContext: 'tts' },
			});
			expect(out).toMatchObject({
				operation: 'playText',
				operationContext: 'tts',
				voiceName: 'en-US-NancyNeural',
			});
			expect(mediaOps(id).plays[1].sources).toEqual([
				{
					kind: 'text',
					text: { text: 'Your appointment is tomorrow at 10 AM.', voiceName: 'en-US-NancyNeural' },
				},
			]);
			await media(id, 'cancelAll');
			await emu.waitForEvent('PlayCanceled', { callConnectionId: id, operationContext: 'tts' });
			await media(id, 'playText', {
				text: 'Goodbye',
				voiceName: 'en-GB-SoniaNeural',
				additionalFields: { operationContext: 'bye' },
			});
			await emu.waitForEvent('PlayCompleted', { callConnectionId: id, operationContext: 'bye' });
		});

		it('speaks SSML', async () => {
			const id = await connectedCall(emu);
			const ssmlText =
				'<speak version="1.0" xml:lang="en-US"><voice name="en-US-JennyNeural">Hi</voice></speak>';
			await media(id, 'playText', {
				textFormat: 'ssml',
				ssmlText,
				additionalFields: { operationContext: 'ssml' },
			});
			await emu.waitForEvent('PlayCompleted', { callConnectionId: id, operationContext: 'ssml' });
		});

		it('on a call without Azure AI services the trigger gets PlayFailed 8565', async () => {
			const id = await connectedCall(emu, { cognitiveServices: false });
			await media(id, 'playText', {
				text: 'Hello',
				additionalFields: { operationContext: 'no-ai' },
			});
			const failed = await emu.waitForEvent('PlayFailed', {
				callConnectionId: id,
				operationContext: 'no-ai',
			});
			expect(failed.data.resultInformation).toMatchObject({ subCode: 8565 });
		});
	});

	describe('recognize', () => {
		it('collects the keys pressed up to a stop key (#), which is not included', async () => {
			const id = await connectedCall(emu);
			const out = await media(id, 'recognize', {
				inputType: 'dtmf',
				targetParticipant: CALLEE,
				maxTonesToCollect: 6,
				promptType: 'audio',
				promptAudioUrl: WAV,
				additionalFields: { stopTones: ['pound'], operationContext: 'account-number' },
			});
			expect(out).toMatchObject({
				operation: 'recognize',
				operationContext: 'account-number',
				inputType: 'dtmf',
				targetParticipant: `4:${CALLEE}`,
			});
			expect(mediaOps(id).recognize).toMatchObject({
				inputType: 'dtmf',
				maxTonesToCollect: 6,
				stopTones: ['pound'],
			});
			emu.pressKeys(id, '12#');
			const done = await emu.waitForEvent('RecognizeCompleted', {
				callConnectionId: id,
				operationContext: 'account-number',
			});
			expect(done.data).toMatchObject({
				recognitionType: 'dtmf',
				dtmfResult: { tones: ['one', 'two'] },
				resultInformation: { subCode: 8514 },
			});
		});

		it('ends after Max Keys to Collect, with a generated context', async () => {
			const id = await connectedCall(emu);
			const out = await media(id, 'recognize', {
				inputType: 'dtmf',
				targetParticipant: CALLEE,
				maxTonesToCollect: 2,
			});
			expect(out.operationContext).toMatch(UUID);
			emu.pressKeys(id, '*9');
			const done = await emu.waitForEvent('RecognizeCompleted', {
				callConnectionId: id,
				operationContext: String(out.operationContext),
			});
			expect(done.data).toMatchObject({
				dtmfResult: { tones: ['asterisk', 'nine'] },
				resultInformation: { subCode: 8531 },
			});
		});

		it('silence gives RecognizeFailed 8510', async () => {
			const id = await connectedCall(emu);
			await media(id, 'recognize', {
				inputType: 'dtmf',
				targetParticipant: CALLEE,
				additionalFields: { operationContext: 'silent' },
			});
			emu.recognizeTimeout(id);
			const failed = await emu.waitForEvent('RecognizeFailed', {
				callConnectionId: id,
				operationContext: 'silent',
			});
			expect(failed.data.resultInformation).toMatchObject({ code: 400, subCode: 8510 });
		});

		it('choices: matched by a spoken phrase or by the choice key', async () => {
			const id = await connectedCall(emu);
			const choices = {
				choice: [
					{ label: 'sales', phrases: 'sales, buy', tone: 'one' },
					{ label: 'support', phrases: 'support, help', tone: 'two' },
				],
			};
			const fields = {
				inputType: 'choices',
				targetParticipant: CALLEE,
				choices,
				promptType: 'text',
				promptText: 'Say sales or support.',
			};
			await media(id, 'recognize', { ...fields, additionalFields: { operationContext: 'menu-1' } });
			emu.saySpeech(id, 'buy');
			const spoken = await emu.waitForEvent('RecognizeCompleted', {
				callConnectionId: id,
				operationContext: 'menu-1',
			});
			expect(spoken.data).toMatchObject({
				recognitionType: 'choices',
				choiceResult: { label: 'sales', recognizedPhrase: 'buy' },
			});
			await media(id, 'recognize', { ...fields, additionalFields: { operationContext: 'menu-2' } });
			emu.pressKeys(id, '2');
			const pressed = await emu.waitForEvent('RecognizeCompleted', {
				callConnectionId: id,
				operationContext: 'menu-2',
			});
			expect(pressed.data).toMatchObject({ choiceResult: { label: 'support' } });
		});

		it('speech: what the caller says arrives in speechResult', async () => {
			const id = await connectedCall(emu);
			await media(id, 'recognize', {
				inputType: 'speech',
				targetParticipant: CALLEE,
				additionalFields: { speechLanguage: 'en-US', operationContext: 'speech' },
			});
			emu.saySpeech(id, 'I would like to reschedule');
			const done = await emu.waitForEvent('RecognizeCompleted', {
				callConnectionId: id,
				operationContext: 'speech',
			});
			expect(done.data).toMatchObject({
				recognitionType: 'speech',
				speechResult: { speech: 'I would like to reschedule' },
			});
		});
	});

	it('sendDtmf: the emulator accepts the tones and reports SendDtmfTonesCompleted', async () => {
		const id = await connectedCall(emu);
		const out = await media(id, 'sendDtmf', {
			tones: '12#*',
			targetParticipant: CALLEE,
			additionalFields: { operationContext: 'ivr-nav' },
		});
		expect(out).toMatchObject({
			callConnectionId: id,
			operation: 'sendDtmf',
			operationContext: 'ivr-nav',
			targetParticipant: `4:${CALLEE}`,
		});
		await emu.waitForEvent('SendDtmfTonesCompleted', {
			callConnectionId: id,
			operationContext: 'ivr-nav',
		});
		expect(emu.state().requests.byRoute.sendDtmfTones).toEqual({ '202': 1 });
	});

	it('continuous DTMF: one event per key until stopped', async () => {
		const id = await connectedCall(emu);
		await media(id, 'startContinuousDtmf', {
			targetParticipant: CALLEE,
			additionalFields: { operationContext: 'keys' },
		});
		expect(mediaOps(id).continuousDtmf).toMatchObject([
			{ operationContext: 'keys', target: { rawId: `4:${CALLEE}` } },
		]);
		expect(emu.pressKeys(id, '5#').continuousDtmfEvents).toBe(2);
		const tones = (emu.state().events as Array<{ type: string; event: { data: IDataObject } }>)
			.filter((e) => e.type === 'Microsoft.Communication.ContinuousDtmfRecognitionToneReceived')
			.map((e) => e.event.data.tone);
		expect(tones).toEqual(['five', 'pound']);
		await emu.waitForEvent('ContinuousDtmfRecognitionToneReceived', {
			callConnectionId: id,
			operationContext: 'keys',
			match: (e) => e.data.tone === 'pound',
		});

		await media(id, 'stopContinuousDtmf', {
			targetParticipant: CALLEE,
			additionalFields: { operationContext: 'keys-off' },
		});
		await emu.waitForEvent('ContinuousDtmfRecognitionStopped', {
			callConnectionId: id,
			operationContext: 'keys-off',
		});
		expect(mediaOps(id).continuousDtmf).toEqual([]);
		expect(emu.pressKeys(id, '7').continuousDtmfEvents).toBe(0);
	});

	it('continuous DTMF with an operation callback URL: key events go there (the SDK 1.6.0 drops this option on start)', async () => {
		const id = await connectedCall(emu);
		await media(id, 'startContinuousDtmf', {
			targetParticipant: CALLEE,
			additionalFields: { operationContext: 'keys', operationCallbackUrl: OP_CALLBACK },
		});
		emu.pressKeys(id, '3');
		await emu.waitForEvent('ContinuousDtmfRecognitionToneReceived', {
			callConnectionId: id,
			operationContext: 'keys',
		});
		const record = (emu.state().events as Array<{ type: string; url: string }>).find(
			(e) => e.type === 'Microsoft.Communication.ContinuousDtmfRecognitionToneReceived',
		);
		expect(record?.url).toBe(OP_CALLBACK);
	});

	it('hold with music, then unhold: the participant is on hold and back, with ParticipantsUpdated each time', async () => {
		const id = await connectedCall(emu);
		const seq = emu.eventSeq();
		const held = await media(id, 'hold', {
			targetParticipant: CALLEE,
			additionalFields: { musicOnHoldUrl: WAV, operationContext: 'h' },
		});
		expect(held).toMatchObject({
			operation: 'hold',
			onHold: true,
			musicOnHoldUrl: WAV,
			targetParticipant: `4:${CALLEE}`,
		});
		expect(participant(id, `4:${CALLEE}`)?.isOnHold).toBe(true);
		await emu.waitForEvent('ParticipantsUpdated', {
			callConnectionId: id,
			afterSeq: seq,
			match: (e) => (e.data.participants as Array<{ isOnHold: boolean }>).some((p) => p.isOnHold),
		});
		const afterHold = emu.eventSeq();
		const unheld = await media(id, 'unhold', {
			targetParticipant: CALLEE,
			additionalFields: { operationContext: 'u' },
		});
		expect(unheld).toMatchObject({ operation: 'unhold', onHold: false });
		expect(participant(id, `4:${CALLEE}`)?.isOnHold).toBe(false);
		await emu.waitForEvent('ParticipantsUpdated', { callConnectionId: id, afterSeq: afterHold });
	});

	describe('bad input is refused before anything is sent', () => {
		const cases: Array<[string, string, IDataObject, RegExp]> = [
			[
				'audio URL not absolute',
				'playAudio',
				{ audioUrl: 'greeting.wav' },
				/Audio URL "greeting.wav" is not an absolute URL/,
			],
			[
				'audio URL ftp',
				'playAudio',
				{ audioUrl: 'ftp://audio.example.com/a.wav' },
				/Audio URL .* must start with https:\/\//,
			],
			['second audio URL bad', 'playAudio', { audioUrl: `${WAV}, nope` }, /Audio URL #2 "nope"/],
			['empty audio URL', 'playAudio', { audioUrl: ' ' }, /Audio URL is empty/],
			[
				'cache id with two files',
				'playAudio',
				{ audioUrl: `${WAV},${WAV2}`, additionalFields: { playSourceCacheId: 'x' } },
				/Play Source Cache ID/,
			],
			[
				'play to a name',
				'playAudio',
				{ audioUrl: WAV, additionalFields: { playTo: 'Alice' } },
				/Play To "Alice" is neither a phone number/,
			],
			[
				'callback URL relative',
				'playAudio',
				{ audioUrl: WAV, additionalFields: { operationCallbackUrl: '/hook' } },
				/Operation Callback URL/,
			],
			['empty text (mapped)', 'playText', { text: '={{ "" }}' }, /Text is empty/],
			[
				'SSML without speak',
				'playText',
				{ textFormat: 'ssml', ssmlText: 'Hello' },
				/SSML must be a <speak> document/,
			],
			[
				'tones with a letter',
				'sendDtmf',
				{ tones: '12x', targetParticipant: CALLEE },
				/Keys contains "x"/,
			],
			[
				'too many tones',
				'sendDtmf',
				{ tones: '1234567890123456789', targetParticipant: CALLEE },
				/Keys has 19 keys/,
			],
			[
				'send to a bad number',
				'sendDtmf',
				{ tones: '1', targetParticipant: '+12' },
				/Target Participant "\+12" is not an E\.164 phone number/,
			],
			[
				'recognize without participant (mapped)',
				'recognize',
				{ inputType: 'dtmf', targetParticipant: '={{ "" }}' },
				/Target Participant is empty/,
			],
			[
				'max keys 0',
				'recognize',
				{ inputType: 'dtmf', targetParticipant: CALLEE, maxTonesToCollect: 0 },
				/Max Keys to Collect must be a whole number from 1 to 100/,
			],
			[
				'silence 301 s',
				'recognize',
				{
					inputType: 'dtmf',
					targetParticipant: CALLEE,
					additionalFields: { initialSilenceTimeoutInSeconds: 301 },
				},
				/Initial Silence Timeout \(Seconds\) must be/,
			],
			[
				'inter-key 1.5 s',
				'recognize',
				{
					inputType: 'dtmf',
					targetParticipant: CALLEE,
					additionalFields: { interToneTimeoutInSeconds: 1.5 },
				},
				/Inter-Key Timeout \(Seconds\) must be a whole number/,
			],
			[
				'no choices',
				'recognize',
				{ inputType: 'choices', targetParticipant: CALLEE, choices: {} },
				/Choices is empty/,
			],
			[
				'choice without phrases',
				'recognize',
				{
					inputType: 'choices',
					targetParticipant: CALLEE,
					choices: { choice: [{ label: 'a', phrases: ' ' }] },
				},
				/Choices #1 \("a"\): Phrases is empty/,
			],
			[
				'prompt URL bad',
				'recognize',
				{
					inputType: 'dtmf',
					targetParticipant: CALLEE,
					promptType: 'audio',
					promptAudioUrl: 'menu.wav',
				},
				/Prompt Audio URL/,
			],
			[
				'hold music URL bad',
				'hold',
				{ targetParticipant: CALLEE, additionalFields: { musicOnHoldUrl: 'hold.wav' } },
				/Music on Hold URL/,
			],
			[
				'unhold someone unknown',
				'unhold',
				{ targetParticipant: 'someone' },
				/Target Participant "someone"/,
			],
			[
				'start DTMF without participant (mapped)',
				'startContinuousDtmf',
				{ targetParticipant: '={{ $json.nobody }}' },
				/Target Participant is empty/,
			],
		];

		it.each(cases)('%s', async (_name, operation, fields, message) => {
			const id = await connectedCall(emu);
			await expectRefused(
				emu,
				async () =>
					await runAction(emu, {
						parameters: { resource: 'media', operation, callConnectionId: id, ...fields },
					}),
				message,
			);
		});

		it('empty call connection id (mapped from an item without one)', async () => {
			const result = await runAction(emu, {
				parameters: {
					resource: 'media',
					operation: 'cancelAll',
					callConnectionId: '={{ $json.callConnectionId }}',
				},
			});
			expect(result.error?.message).toMatch(/Call Connection ID is empty/);
			expect(emu.state().requests.total).toBe(0);
		});

		it('a required field left empty in the editor: n8n itself refuses to run the node', async () => {
			const id = await connectedCall(emu);
			const before = emu.state().requests.total;
			await expect(
				runAction(emu, {
					parameters: {
						resource: 'media',
						operation: 'recognize',
						callConnectionId: id,
						inputType: 'dtmf',
						targetParticipant: '',
					},
				}),
			).rejects.toThrow(/issues/);
			expect(emu.state().requests.total).toBe(before);
		});
	});

	it('an unknown or ended call: ACS 404, and the error says the call may have ended', async () => {
		const result = await runAction(emu, {
			parameters: {
				resource: 'media',
				operation: 'playAudio',
				callConnectionId: 'no-such-call',
				audioUrl: WAV,
			},
		});
		expect(result.error?.message).toMatch(/404/);
		expect(result.error?.description).toMatch(/call may have ended/);
	});

	it('a second recognize while one runs is refused by ACS (8500) unless it interrupts', async () => {
		const id = await connectedCall(emu);
		const fields = { inputType: 'dtmf', targetParticipant: CALLEE };
		await media(id, 'recognize', { ...fields, additionalFields: { operationContext: 'first' } });
		const refused = await runAction(emu, {
			parameters: { resource: 'media', operation: 'recognize', callConnectionId: id, ...fields },
		});
		expect(refused.error?.message).toMatch(/8500/);
		await media(id, 'recognize', {
			...fields,
			additionalFields: { operationContext: 'second', interruptCallMediaOperation: true },
		});
		await emu.waitForEvent('RecognizeCanceled', {
			callConnectionId: id,
			operationContext: 'first',
		});
		emu.pressKeys(id, '4');
		await emu.waitForEvent('RecognizeCompleted', {
			callConnectionId: id,
			operationContext: 'second',
		});
	});

	describe.each([
		['continueOnFail', { continueOnFail: true }],
		['onError: continueRegularOutput', { onError: 'continueRegularOutput' as const }],
	])('Continue On Fail (%s)', (_label, settings) => {
		it('gives one paired item per input, errors in place', async () => {
			const id = await connectedCall(emu);
			const before = emu.state().requests.total;
			const result = await runAction(emu, {
				parameters: {
					resource: 'media',
					operation: 'playAudio',
					callConnectionId: '={{ $json.call }}',
					audioUrl: '={{ $json.url }}',
					additionalFields: { operationContext: '={{ $json.ctx }}' },
				},
				items: [
					{ call: id, url: WAV, ctx: 'a' },
					{ call: id, url: 'not-a-url', ctx: 'b' },
					{ call: 'ended-call', url: WAV, ctx: 'c' },
					{ call: id, url: WAV2, ctx: 'd' },
				],
				settings,
			});
			expect(result.error).toBeUndefined();
			const items = result.outputs[0];
			expect(items.map((i) => i.pairedItem)).toEqual([
				{ item: 0 },
				{ item: 1 },
				{ item: 2 },
				{ item: 3 },
			]);
			expect(items[0].json).toMatchObject({ operation: 'playAudio', operationContext: 'a' });
			expect(items[1].json.error).toMatch(/Audio URL "not-a-url"/);
			expect(items[2].json).toMatchObject({ httpCode: '404' });
			expect(items[2].json.description).toMatch(/call may have ended/);
			expect(items[3].json).toMatchObject({ operation: 'playAudio', operationContext: 'd' });
			// The bad URL never reached ACS: two plays and one 404.
			expect(emu.state().requests.total - before).toBe(3);
			await emu.waitForEvent('PlayCompleted', { callConnectionId: id, operationContext: 'd' });
		});
	});

	it('events go to the call callback unless an operation callback URL is given', async () => {
		const id = await connectedCall(emu);
		await media(id, 'sendDtmf', {
			tones: '1',
			targetParticipant: CALLEE,
			additionalFields: { operationContext: 'default' },
		});
		await media(id, 'sendDtmf', {
			tones: '2',
			targetParticipant: CALLEE,
			additionalFields: { operationContext: 'custom', operationCallbackUrl: OP_CALLBACK },
		});
		await emu.waitForEvent('SendDtmfTonesCompleted', {
			callConnectionId: id,
			operationContext: 'custom',
		});
		await emu.waitForEvent('SendDtmfTonesCompleted', {
			callConnectionId: id,
			operationContext: 'default',
		});
		const urls = Object.fromEntries(
			(emu.state().events as Array<{ type: string; url: string; event: { data: IDataObject } }>)
				.filter((e) => e.type === 'Microsoft.Communication.SendDtmfTonesCompleted')
				.map((e) => [e.event.data.operationContext, e.url]),
		);
		expect(urls).toEqual({ default: CALLBACK, custom: OP_CALLBACK });
	});
});
