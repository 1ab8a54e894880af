/** Media > Collect Input: plays an optional prompt and collects key presses, speech or a choice (POST …:recognize). */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { additionalFieldsCollection, callConnectionIdField, operationCallbackUrlField, operationContextField } from '../../descriptions/common';
import { showFor } from '../../helpers/displayOptions';
import { absoluteUrl, boundedInteger, compact, fail, operationFields, optionalString, requiredString } from '../../helpers/params';
import { acsRequest } from '../../transport';
import { DEFAULT_VOICE } from './sources';
import { callConnectionIdOf, callPath } from '../../helpers/callConnection';
import { targetParticipant, targetParticipantField } from './participantAction';
import { fileSource, textSource } from './sources';
import { TONE_OPTIONS } from './tones';

const WITH_DTMF = ['dtmf', 'speechOrDtmf'];
const WITH_SPEECH = ['speech', 'speechOrDtmf', 'choices'];
const SPEECH = ['speech', 'speechOrDtmf'];
/**
 * How long a pause ends the caller's turn. Every turn waits at least this long after the caller stops,
 * so it is the largest fixed cost of a spoken turn: 1000 ms (Microsoft's OpenAI voice sample) keeps a
 * conversation lively; the SDK's 2000 ms suits callers who pause mid-sentence (reading out a number).
 */
export const DEFAULT_END_SILENCE_MS = 1000;

const fields: INodeProperties[] = [
	callConnectionIdField,
	{
		displayName: 'Input Type',
		name: 'inputType',
		type: 'options',
		options: [
			{ name: 'Choices', value: 'choices', description: 'Match what the caller says or presses against a list of options ("sales", "support")' },
			{ name: 'Key Presses (DTMF)', value: 'dtmf', description: 'Collect digits the caller types on the keypad' },
			{ name: 'Speech', value: 'speech', description: 'Transcribe what the caller says' },
			{ name: 'Speech or Key Presses', value: 'speechOrDtmf', description: 'Whichever the caller does first' },
		],
		default: 'dtmf',
	},
	targetParticipantField(
		'The caller whose input is collected: phone number (+14255550100) or ACS user ID (8:acs:…). ACS requires it.',
	),
	{
		displayName:
			'Speech turns: the outcome carries <code>speech</code> (what the caller said), <code>confidence</code> (0–1) and <code>recognitionType</code>; silence ends with RecognizeFailed <code>resultSubCode</code> 8510, speech not recognized with 8563. For an AI agent, put its answer in Prompt Text: one request speaks it and listens. See docs/ai-phone-agent.md.',
		name: 'speechNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { inputType: SPEECH } },
	},
	{
		displayName: 'Max Keys to Collect',
		name: 'maxTonesToCollect',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 100 },
		default: 1,
		description: 'Collection ends after this many keys (or earlier on a stop key or timeout)',
		displayOptions: { show: { inputType: WITH_DTMF } },
	},
	{
		displayName: 'Choices',
		name: 'choices',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Choice',
		default: {},
		description: 'The options the caller can pick; RecognizeCompleted carries the label of the one picked',
		displayOptions: { show: { inputType: ['choices'] } },
		options: [
			{
				displayName: 'Choice',
				name: 'choice',
				values: [
					{
						displayName: 'Label',
						name: 'label',
						type: 'string',
						default: '',
						placeholder: 'e.g. sales',
						description: 'Name of the choice, returned in the event',
					},
					{
						displayName: 'Phrases',
						name: 'phrases',
						type: 'string',
						default: '',
						placeholder: 'e.g. sales, buy, pricing',
						description: 'Words the caller may say for this choice, separated by commas',
					},
					{
						displayName: 'Key',
						name: 'tone',
						type: 'options',
						options: [{ name: 'None', value: '' }, ...TONE_OPTIONS],
						default: '',
						description: 'Phone key that also selects this choice',
					},
				],
			},
		],
	},
	{
		displayName: 'Prompt',
		name: 'promptType',
		type: 'options',
		options: [
			{ name: 'Audio File', value: 'audio', description: 'Play a WAV file' },
			{ name: 'None', value: 'none', description: 'Collect without a prompt (e.g. after a Play action)' },
			{ name: 'Text to Speech', value: 'text', description: 'Speak a text' },
		],
		default: 'none',
		description: 'What the caller hears while input is collected',
	},
	{
		displayName: 'Prompt Audio URL',
		name: 'promptAudioUrl',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. https://example.com/audio/menu.wav',
		description: 'Public URL of a WAV file (mono, 16-bit PCM, 16 kHz)',
		displayOptions: { show: { promptType: ['audio'] } },
	},
	{
		displayName: 'Prompt Text',
		name: 'promptText',
		type: 'string',
		required: true,
		default: '',
		typeOptions: { rows: 2 },
		placeholder: 'e.g. Press 1 for sales, 2 for support.',
		description: 'Text spoken to the caller (needs Azure AI services linked to the call)',
		displayOptions: { show: { promptType: ['text'] } },
	},
	{
		displayName: 'Prompt Voice Name',
		name: 'promptVoiceName',
		type: 'string',
		default: DEFAULT_VOICE,
		placeholder: 'e.g. en-US-JennyNeural',
		description: 'Azure AI neural voice for the prompt',
		displayOptions: { show: { promptType: ['text'] } },
	},
	additionalFieldsCollection([
		{
			displayName: 'End Silence Timeout (Ms)',
			name: 'endSilenceTimeoutInMs',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 60000 },
			default: DEFAULT_END_SILENCE_MS,
			description:
				'Pause, in milliseconds, that ends what the caller says. Shorter answers sooner but may cut off a caller who pauses mid-sentence; 2000 suits reading out numbers.',
			displayOptions: { show: { '/inputType': SPEECH } },
		},
		{
			displayName: 'Initial Silence Timeout (Seconds)',
			name: 'initialSilenceTimeoutInSeconds',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 300 },
			default: 5,
			description: 'How long to wait for the caller to start; then RecognizeFailed arrives (code 8510)',
		},
		{
			displayName: 'Inter-Key Timeout (Seconds)',
			name: 'interToneTimeoutInSeconds',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 60 },
			default: 2,
			description: 'How long to wait between two key presses before ending collection',
			displayOptions: { show: { '/inputType': WITH_DTMF } },
		},
		{
			displayName: 'Interrupt Current Media',
			name: 'interruptCallMediaOperation',
			type: 'boolean',
			default: false,
			description: 'Whether to stop any audio or input collection already running on the call first',
		},
		{
			displayName: 'Interrupt Prompt',
			name: 'interruptPrompt',
			type: 'boolean',
			default: true,
			description:
				'Whether the caller can cut the prompt short by pressing a key or speaking (barge-in). When not added: on for Speech and Speech or Key Presses, off otherwise.',
		},
		operationCallbackUrlField,
		{
			...operationContextField,
			description:
				'Your own label, echoed back in RecognizeCompleted / RecognizeFailed so the trigger can tell which question was answered. Empty: a random ID is used and returned in the output.',
		},
		{
			displayName: 'Speech Language',
			name: 'speechLanguage',
			type: 'string',
			default: '',
			placeholder: 'e.g. en-US',
			description: 'Language the caller speaks',
			displayOptions: { show: { '/inputType': WITH_SPEECH } },
		},
		{
			displayName: 'Speech Model Endpoint ID',
			name: 'speechRecognitionModelEndpointId',
			type: 'string',
			default: '',
			description: 'Endpoint ID of a custom Azure AI speech model',
			displayOptions: { show: { '/inputType': WITH_SPEECH } },
		},
		{
			displayName: 'Stop Keys',
			name: 'stopTones',
			type: 'multiOptions',
			options: TONE_OPTIONS,
			default: [],
			description: 'Keys that end collection early (e.g. # after an account number); they are not included in the result',
			displayOptions: { show: { '/inputType': WITH_DTMF } },
		},
	]),
];

export const description = showFor({ resource: ['media'], operation: ['recognize'] }, fields);

function choicesOf(ctx: IExecuteFunctions, itemIndex: number): IDataObject[] {
	const raw = ctx.getNodeParameter('choices', itemIndex, {}) as { choice?: IDataObject[] };
	const list = raw.choice ?? [];
	if (list.length === 0) fail(ctx, itemIndex, 'Choices is empty', 'Add at least one choice with a label and the phrases that select it.');
	return list.map((c, n) => {
		const label = optionalString(c.label);
		if (label === undefined) fail(ctx, itemIndex, `Choices #${n + 1}: Label is empty`);
		const phrases = (Array.isArray(c.phrases) ? c.phrases : String(c.phrases ?? '').split(','))
			.map((p) => String(p).trim())
			.filter((p) => p !== '');
		if (phrases.length === 0) fail(ctx, itemIndex, `Choices #${n + 1} ("${label}"): Phrases is empty`, 'Enter the words a caller may say, separated by commas.');
		return compact({ label, phrases, tone: optionalString(c.tone) });
	});
}

function promptOf(ctx: IExecuteFunctions, itemIndex: number): IDataObject | undefined {
	const type = ctx.getNodeParameter('promptType', itemIndex, 'none') as string;
	if (type === 'audio') {
		return fileSource(absoluteUrl(ctx, ctx.getNodeParameter('promptAudioUrl', itemIndex, ''), itemIndex, 'Prompt Audio URL'));
	}
	if (type === 'text') {
		return textSource({
			text: requiredString(ctx, 'promptText', itemIndex, 'Prompt Text'),
			voiceName: optionalString(ctx.getNodeParameter('promptVoiceName', itemIndex, DEFAULT_VOICE)),
		});
	}
	return undefined;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const callConnectionId = callConnectionIdOf(this, itemIndex);
	const inputType = this.getNodeParameter('inputType', itemIndex, 'dtmf') as string;
	if (!['dtmf', 'speech', 'speechOrDtmf', 'choices'].includes(inputType)) {
		fail(this, itemIndex, `Input Type "${inputType}" is not known`, 'Use dtmf, speech, speechOrDtmf or choices.');
	}
	const target = targetParticipant(this, itemIndex);
	const extra = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const dtmf = WITH_DTMF.includes(inputType);
	const speech = SPEECH.includes(inputType);
	const stopTones = ((extra.stopTones as string[] | undefined) ?? []).filter((t) => t !== '');

	const recognizeOptions = compact({
		// Barge-in by default for speech: a caller who answers over the prompt is heard, as on a human line.
		interruptPrompt: extra.interruptPrompt === undefined ? (speech ? true : undefined) : extra.interruptPrompt === true,
		// The SDK's defaults, sent explicitly as it does.
		initialSilenceTimeoutInSeconds:
			boundedInteger(this, extra.initialSilenceTimeoutInSeconds, itemIndex, 'Initial Silence Timeout (Seconds)', 1, 300) ?? 5,
		targetParticipant: target,
		speechLanguage: inputType === 'dtmf' ? undefined : optionalString(extra.speechLanguage),
		speechRecognitionModelEndpointId: inputType === 'dtmf' ? undefined : optionalString(extra.speechRecognitionModelEndpointId),
		dtmfOptions: dtmf
			? compact({
					interToneTimeoutInSeconds:
						boundedInteger(this, extra.interToneTimeoutInSeconds, itemIndex, 'Inter-Key Timeout (Seconds)', 1, 60) ?? 2,
					maxTonesToCollect: boundedInteger(this, this.getNodeParameter('maxTonesToCollect', itemIndex, 1), itemIndex, 'Max Keys to Collect', 1, 100),
					stopTones: stopTones.length > 0 ? stopTones : undefined,
				})
			: undefined,
		speechOptions: speech
			? { endSilenceTimeoutInMs: boundedInteger(this, extra.endSilenceTimeoutInMs, itemIndex, 'End Silence Timeout (Ms)', 1, 60000) ?? DEFAULT_END_SILENCE_MS }
			: undefined,
		choices: inputType === 'choices' ? choicesOf(this, itemIndex) : undefined,
	} as IDataObject);
	const body = compact({
		recognizeInputType: inputType,
		playPrompt: promptOf(this, itemIndex),
		interruptCallMediaOperation: extra.interruptCallMediaOperation === undefined ? undefined : extra.interruptCallMediaOperation === true,
		recognizeOptions,
		...operationFields(this, itemIndex, { fields: extra, generateContext: true }),
	} as IDataObject);
	const response = (await acsRequest.call(this, {
		method: 'POST',
		path: `${callPath(callConnectionId)}:recognize`,
		body,
		itemIndex,
	})) as IDataObject;
	return {
		callConnectionId,
		operation: 'recognize',
		operationContext: body.operationContext,
		inputType,
		targetParticipant: target.rawId,
		expectedEvents: ['RecognizeCompleted', 'RecognizeFailed', 'RecognizeCanceled'],
		...response,
	};
}
