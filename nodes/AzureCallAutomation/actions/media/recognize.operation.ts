/** Media > Collect Input: plays an optional prompt and collects key presses, speech or a choice (POST …:recognize). */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { callConnectionIdField } from '../../descriptions/common';
import { showFor } from '../../helpers/displayOptions';
import {
	absoluteUrl,
	compact,
	fail,
	operationFields,
	optionalString,
	requiredString,
} from '../../helpers/params';
import { acsRequest } from '../../transport';
import { callConnectionIdOf, callPath } from '../../helpers/callConnection';
import { targetParticipant, targetParticipantField } from './participantAction';
import { DEFAULT_VOICE, fileSource, textSource } from './sources';
import {
	recognizeOptionsCollection,
	recognizeOptionsOf,
	SPEECH,
	WITH_DTMF,
} from './recognizeOptions';
import { TONE_OPTIONS } from './tones';

const fields: INodeProperties[] = [
	callConnectionIdField,
	{
		displayName: 'Input Type',
		name: 'inputType',
		type: 'options',
		options: [
			{
				name: 'Choices',
				value: 'choices',
				description:
					'Match what the caller says or presses against a list of options ("sales", "support")',
			},
			{
				name: 'Key Presses (DTMF)',
				value: 'dtmf',
				description: 'Collect digits the caller types on the keypad',
			},
			{ name: 'Speech', value: 'speech', description: 'Transcribe what the caller says' },
			{
				name: 'Speech or Key Presses',
				value: 'speechOrDtmf',
				description: 'Whichever the caller does first',
			},
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
		description:
			'The options the caller can pick; RecognizeCompleted carries the label of the one picked',
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
			{
				name: 'None',
				value: 'none',
				description: 'Collect without a prompt (e.g. after a Play action)',
			},
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
	recognizeOptionsCollection,
];

export const description = showFor({ resource: ['media'], operation: ['recognize'] }, fields);

function promptOf(ctx: IExecuteFunctions, itemIndex: number): IDataObject | undefined {
	const type = ctx.getNodeParameter('promptType', itemIndex, 'none') as string;
	if (type === 'audio') {
		return fileSource(
			absoluteUrl(
				ctx,
				ctx.getNodeParameter('promptAudioUrl', itemIndex, ''),
				itemIndex,
				'Prompt Audio URL',
			),
		);
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
		fail(
			this,
			itemIndex,
			`Input Type "${inputType}" is not known`,
			'Use dtmf, speech, speechOrDtmf or choices.',
		);
	}
	const target = targetParticipant(this, itemIndex);
	const extra = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const recognizeOptions = recognizeOptionsOf(this, itemIndex, inputType, extra, target);
	const body = compact({
		recognizeInputType: inputType,
		playPrompt: promptOf(this, itemIndex),
		interruptCallMediaOperation:
			extra.interruptCallMediaOperation === undefined
				? undefined
				: extra.interruptCallMediaOperation === true,
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
