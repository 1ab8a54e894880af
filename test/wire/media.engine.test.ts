/**
 * Media resource on the wire: for the same inputs the node sends what the official SDK
 * (@azure/communication-call-automation 1.6.0) sends — method, path, api-version, JSON body and
 * whether the request is repeatable.
 */
import {
	CallAutomationClient,
	DtmfTone,
	VoiceKind,
	type CallMedia,
} from '@azure/communication-call-automation';
import type { IDataObject } from 'n8n-workflow';

import { CALLEE, WAV } from '../harness/action';
import { engineLabel } from '../harness/engine';
import {
	expectSameWire,
	expectSameWireWithRandomContext,
	withWireRecorder,
	type WireRecorder,
} from '../harness/wire';

const CALL_ID = 'wire-call';
const ACS_USER = '8:acs:00000000-0000-0000-0000-000000000001_00000000-0000-0000-0000-000000000002';
const OP_CALLBACK = 'https://callbacks.example.com/op';
const WAV2 = 'https://audio.example.com/second.wav';

const media = (operation: string, fields: IDataObject): IDataObject => ({
	resource: 'media',
	operation,
	callConnectionId: CALL_ID,
	...fields,
});

describe(`Media resource on the wire, node vs SDK (${engineLabel})`, () => {
	let rec: WireRecorder;
	let sdk: CallMedia;
	withWireRecorder((started) => {
		rec = started;
		sdk = new CallAutomationClient(rec.connectionString, { allowInsecureConnection: true })
			.getCallConnection(CALL_ID)
			.getCallMedia();
	});
	const expectSame = async (parameters: IDataObject, viaSdk: () => Promise<unknown>) =>
		await expectSameWire(rec, parameters, viaSdk);

	describe('playAudio', () => {
		it('one file to everyone with a context', async () => {
			const { shape, output } = await expectSame(
				media('playAudio', { audioUrl: WAV, additionalFields: { operationContext: 'ctx-play' } }),
				async () =>
					await sdk.playToAll([{ kind: 'fileSource', url: WAV }], { operationContext: 'ctx-play' }),
			);
			expect(shape).toMatchObject({
				method: 'POST',
				path: `/calling/callConnections/${CALL_ID}:play`,
				repeatable: false,
			});
			expect(output).toMatchObject({
				callConnectionId: CALL_ID,
				operation: 'playAudio',
				operationContext: 'ctx-play',
				audioUrl: [WAV],
			});
		});

		it('several files, loop, interrupt, callback URL and cache id', async () => {
			await expectSame(
				media('playAudio', {
					audioUrl: `${WAV}, ${WAV2}`,
					additionalFields: {
						loop: true,
						interruptCallMediaOperation: true,
						operationContext: 'ctx-loop',
						operationCallbackUrl: OP_CALLBACK,
					},
				}),
				async () =>
					await sdk.playToAll(
						[
							{ kind: 'fileSource', url: WAV },
							{ kind: 'fileSource', url: WAV2 },
						],
						{
							loop: true,
							interruptCallMediaOperation: true,
							operationContext: 'ctx-loop',
							operationCallbackUrl: OP_CALLBACK,
						},
					),
			);
			await expectSame(
				media('playAudio', {
					audioUrl: WAV,
					additionalFields: { playSourceCacheId: 'greeting-v1', operationContext: 'ctx-cache' },
				}),
				async () =>
					await sdk.playToAll(
						[{ kind: 'fileSource', url: WAV, playSourceCacheId: 'greeting-v1' }],
						{ operationContext: 'ctx-cache' },
					),
			);
		});

		it('to chosen participants (sent without kind, as the SDK does)', async () => {
			const { shape } = await expectSame(
				media('playAudio', {
					audioUrl: WAV,
					additionalFields: { playTo: `${CALLEE}, ${ACS_USER}`, operationContext: 'ctx-to' },
				}),
				async () =>
					await sdk.play(
						[{ kind: 'fileSource', url: WAV }],
						[{ phoneNumber: CALLEE }, { communicationUserId: ACS_USER }],
						{
							operationContext: 'ctx-to',
						},
					),
			);
			expect((shape.body as IDataObject).playTo).toHaveLength(2);
		});

		it('without a context: a random UUID, like playToAll, returned in the output', async () => {
			const { node, output } = await expectSameWireWithRandomContext(
				rec,
				media('playAudio', { audioUrl: WAV }),
				async () => await sdk.playToAll([{ kind: 'fileSource', url: WAV }]),
			);
			expect(output.operationContext).toBe((node.body as IDataObject).operationContext);
		});
	});

	describe('playText', () => {
		it('plain text with the default voice', async () => {
			await expectSame(
				media('playText', {
					text: 'Hello there',
					additionalFields: { operationContext: 'ctx-tts' },
				}),
				async () =>
					await sdk.playToAll(
						[{ kind: 'textSource', text: 'Hello there', voiceName: 'en-US-NancyNeural' }],
						{ operationContext: 'ctx-tts' },
					),
			);
		});

		it('locale and voice kind without a voice name, to one participant, looping', async () => {
			await expectSame(
				media('playText', {
					text: 'Bonjour',
					voiceName: '',
					additionalFields: {
						sourceLocale: 'fr-FR',
						voiceKind: 'male',
						playTo: CALLEE,
						loop: true,
						operationContext: 'ctx-fr',
					},
				}),
				async () =>
					await sdk.play(
						[
							{
								kind: 'textSource',
								text: 'Bonjour',
								sourceLocale: 'fr-FR',
								voiceKind: VoiceKind.Male,
							},
						],
						[{ phoneNumber: CALLEE }],
						{
							loop: true,
							operationContext: 'ctx-fr',
						},
					),
			);
		});

		it('SSML with interrupt and a random context', async () => {
			const ssmlText =
				'<speak version="1.0" xml:lang="en-US"><voice name="en-US-JennyNeural">Hi</voice></speak>';
			await expectSameWireWithRandomContext(
				rec,
				media('playText', {
					textFormat: 'ssml',
					ssmlText,
					additionalFields: { interruptCallMediaOperation: true },
				}),
				async () =>
					await sdk.playToAll([{ kind: 'ssmlSource', ssmlText }], {
						interruptCallMediaOperation: true,
					}),
			);
		});
	});

	it('cancelAll: no body', async () => {
		const { shape } = await expectSame(
			media('cancelAll', {}),
			async () => await sdk.cancelAllOperations(),
		);
		expect(shape).toMatchObject({
			path: `/calling/callConnections/${CALL_ID}:cancelAllMediaOperations`,
			body: undefined,
		});
	});

	describe('recognize', () => {
		const target = { phoneNumber: CALLEE };

		it('dtmf with SDK defaults (initial silence 5 s, inter-key 2 s)', async () => {
			const { shape } = await expectSame(
				media('recognize', {
					inputType: 'dtmf',
					targetParticipant: CALLEE,
					maxTonesToCollect: 3,
					additionalFields: { operationContext: 'ctx-rec' },
				}),
				async () =>
					await sdk.startRecognizing(target, {
						kind: 'callMediaRecognizeDtmfOptions',
						maxTonesToCollect: 3,
						operationContext: 'ctx-rec',
					}),
			);
			expect(shape.body).toMatchObject({
				recognizeOptions: {
					initialSilenceTimeoutInSeconds: 5,
					dtmfOptions: { interToneTimeoutInSeconds: 2 },
				},
			});
		});

		it('dtmf with an audio prompt, stop keys, timeouts and every flag', async () => {
			await expectSame(
				media('recognize', {
					inputType: 'dtmf',
					targetParticipant: CALLEE,
					maxTonesToCollect: 4,
					promptType: 'audio',
					promptAudioUrl: WAV,
					additionalFields: {
						initialSilenceTimeoutInSeconds: 10,
						interToneTimeoutInSeconds: 5,
						stopTones: ['pound', 'asterisk'],
						interruptPrompt: true,
						interruptCallMediaOperation: true,
						operationContext: 'ctx-dtmf',
						operationCallbackUrl: OP_CALLBACK,
					},
				}),
				async () =>
					await sdk.startRecognizing(target, {
						kind: 'callMediaRecognizeDtmfOptions',
						maxTonesToCollect: 4,
						playPrompt: { kind: 'fileSource', url: WAV },
						initialSilenceTimeoutInSeconds: 10,
						interToneTimeoutInSeconds: 5,
						stopDtmfTones: [DtmfTone.Pound, DtmfTone.Asterisk],
						interruptPrompt: true,
						interruptCallMediaOperation: true,
						operationContext: 'ctx-dtmf',
						operationCallbackUrl: OP_CALLBACK,
					}),
			);
		});

		it('choices with a text prompt and a key per choice', async () => {
			await expectSame(
				media('recognize', {
					inputType: 'choices',
					targetParticipant: CALLEE,
					choices: {
						choice: [
							{ label: 'yes', phrases: 'yes, yeah', tone: 'one' },
							{ label: 'no', phrases: 'no', tone: '' },
						],
					},
					promptType: 'text',
					promptText: 'Say yes',
					additionalFields: { speechLanguage: 'en-US', operationContext: 'rc' },
				}),
				async () =>
					await sdk.startRecognizing(target, {
						kind: 'callMediaRecognizeChoiceOptions',
						choices: [
							{ label: 'yes', phrases: ['yes', 'yeah'], tone: DtmfTone.One },
							{ label: 'no', phrases: ['no'] },
						],
						playPrompt: { kind: 'textSource', text: 'Say yes', voiceName: 'en-US-NancyNeural' },
						speechLanguage: 'en-US',
						operationContext: 'rc',
					}),
			);
		});

		it('speech with the default end silence (1000 ms), barge-in on, and an ACS user target', async () => {
			await expectSame(
				media('recognize', {
					inputType: 'speech',
					targetParticipant: ACS_USER,
					additionalFields: { operationContext: 'rs' },
				}),
				async () =>
					await sdk.startRecognizing(
						{ communicationUserId: ACS_USER },
						{
							kind: 'callMediaRecognizeSpeechOptions',
							endSilenceTimeoutInSeconds: 1,
							interruptPrompt: true,
							operationContext: 'rs',
						},
					),
			);
		});

		it('speech with barge-in turned off is sent with interruptPrompt false', async () => {
			await expectSame(
				media('recognize', {
					inputType: 'speech',
					targetParticipant: CALLEE,
					promptType: 'text',
					promptText: 'How can I help?',
					additionalFields: {
						interruptPrompt: false,
						endSilenceTimeoutInMs: 2000,
						operationContext: 'rs2',
					},
				}),
				async () =>
					await sdk.startRecognizing(target, {
						kind: 'callMediaRecognizeSpeechOptions',
						playPrompt: {
							kind: 'textSource',
							text: 'How can I help?',
							voiceName: 'en-US-NancyNeural',
						},
						interruptPrompt: false,
						operationContext: 'rs2',
					}),
			);
		});

		it('speech or dtmf with end silence in ms, language and max keys', async () => {
			await expectSame(
				media('recognize', {
					inputType: 'speechOrDtmf',
					targetParticipant: CALLEE,
					maxTonesToCollect: 2,
					additionalFields: {
						endSilenceTimeoutInMs: 3000,
						speechLanguage: 'de-DE',
						operationContext: 'rsd',
					},
				}),
				async () =>
					await sdk.startRecognizing(target, {
						kind: 'callMediaRecognizeSpeechOrDtmfOptions',
						maxTonesToCollect: 2,
						endSilenceTimeoutInSeconds: 3,
						interruptPrompt: true,
						speechLanguage: 'de-DE',
						operationContext: 'rsd',
					}),
			);
		});

		it('without a context: a random UUID, like startRecognizing', async () => {
			const { node, output } = await expectSameWireWithRandomContext(
				rec,
				media('recognize', { inputType: 'dtmf', targetParticipant: CALLEE }),
				async () =>
					await sdk.startRecognizing(target, {
						kind: 'callMediaRecognizeDtmfOptions',
						maxTonesToCollect: 1,
					}),
			);
			expect(output.operationContext).toBe((node.body as IDataObject).operationContext);
		});
	});

	describe('sendDtmf', () => {
		it('keys typed as "12#*" become Tone names; repeatable like the SDK', async () => {
			const { shape, output } = await expectSame(
				media('sendDtmf', {
					tones: '12#*',
					targetParticipant: CALLEE,
					additionalFields: { operationContext: 'ctx-send' },
				}),
				async () =>
					await sdk.sendDtmfTones(
						['one', 'two', 'pound', 'asterisk'],
						{ phoneNumber: CALLEE },
						{ operationContext: 'ctx-send' },
					),
			);
			expect(shape).toMatchObject({
				repeatable: true,
				body: { tones: ['one', 'two', 'pound', 'asterisk'] },
			});
			expect(output).toMatchObject({ operation: 'sendDtmf', operationContext: 'ctx-send' });
		});

		it('letters and a callback URL, no context', async () => {
			await expectSame(
				media('sendDtmf', {
					tones: '9 a D 0',
					targetParticipant: ACS_USER,
					additionalFields: { operationCallbackUrl: OP_CALLBACK },
				}),
				async () =>
					await sdk.sendDtmfTones(
						['nine', 'a', 'd', 'zero'],
						{ communicationUserId: ACS_USER },
						{ operationCallbackUrl: OP_CALLBACK },
					),
			);
		});
	});

	describe('continuous DTMF', () => {
		it('start with a context', async () => {
			await expectSame(
				media('startContinuousDtmf', {
					targetParticipant: CALLEE,
					additionalFields: { operationContext: 'cd' },
				}),
				async () =>
					await sdk.startContinuousDtmfRecognition(
						{ phoneNumber: CALLEE },
						{ operationContext: 'cd' },
					),
			);
		});

		it('stop with a context and a callback URL', async () => {
			await expectSame(
				media('stopContinuousDtmf', {
					targetParticipant: CALLEE,
					additionalFields: { operationContext: 'cd', operationCallbackUrl: OP_CALLBACK },
				}),
				async () =>
					await sdk.stopContinuousDtmfRecognition(
						{ phoneNumber: CALLEE },
						{ operationContext: 'cd', operationCallbackUrl: OP_CALLBACK },
					),
			);
		});
	});

	describe('hold and unhold', () => {
		it('hold with music and a context', async () => {
			const { shape } = await expectSame(
				media('hold', {
					targetParticipant: CALLEE,
					additionalFields: { musicOnHoldUrl: WAV, operationContext: 'h' },
				}),
				async () =>
					await sdk.hold(
						{ phoneNumber: CALLEE },
						{ playSource: { kind: 'fileSource', url: WAV }, operationContext: 'h' },
					),
			);
			expect(shape.path).toBe(`/calling/callConnections/${CALL_ID}:hold`);
		});

		it('hold with nothing but the participant, and with a callback URL', async () => {
			await expectSame(
				media('hold', { targetParticipant: ACS_USER }),
				async () => await sdk.hold({ communicationUserId: ACS_USER }),
			);
			await expectSame(
				media('hold', {
					targetParticipant: CALLEE,
					additionalFields: { operationCallbackUrl: OP_CALLBACK },
				}),
				async () => await sdk.hold({ phoneNumber: CALLEE }, { operationCallbackUrl: OP_CALLBACK }),
			);
		});

		it('unhold with a context and a callback URL', async () => {
			await expectSame(
				media('unhold', {
					targetParticipant: CALLEE,
					additionalFields: { operationContext: 'u', operationCallbackUrl: OP_CALLBACK },
				}),
				async () =>
					await sdk.unhold(
						{ phoneNumber: CALLEE },
						{ operationContext: 'u', operationCallbackUrl: OP_CALLBACK },
					),
			);
		});
	});
});
