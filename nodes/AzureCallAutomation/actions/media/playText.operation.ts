/** Media > Play Text: speaks text (or SSML) with Azure AI text-to-speech (POST …:play). */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { additionalFieldsCollection, callConnectionIdField } from '../../descriptions/common';
import { showFor } from '../../helpers/displayOptions';
import { fail, optionalString, requiredString } from '../../helpers/params';
import { play, playOptionFields } from './play';
import { DEFAULT_VOICE, playSourceCacheId, ssmlSource, textSource } from './sources';

const fields: INodeProperties[] = [
	callConnectionIdField,
	{
		displayName: 'Text Format',
		name: 'textFormat',
		type: 'options',
		options: [
			{ name: 'Plain Text', value: 'plain', description: 'Words spoken with the voice you choose' },
			{
				name: 'SSML',
				value: 'ssml',
				description: 'A full &lt;speak&gt; document (voices, pauses, pronunciation)',
			},
		],
		default: 'plain',
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		required: true,
		default: '',
		typeOptions: { rows: 3 },
		placeholder: 'e.g. Hello, this is a reminder of your appointment tomorrow at 10 AM.',
		description: 'What to say to the caller',
		displayOptions: { show: { textFormat: ['plain'] } },
	},
	{
		displayName: 'SSML',
		name: 'ssmlText',
		type: 'string',
		required: true,
		default: '',
		typeOptions: { rows: 5 },
		placeholder:
			'<speak version="1.0" xml:lang="en-US"><voice name="en-US-NancyNeural">Hello</voice></speak>',
		description: 'Speech Synthesis Markup Language document starting with &lt;speak&gt;',
		displayOptions: { show: { textFormat: ['ssml'] } },
	},
	{
		displayName: 'Voice Name',
		name: 'voiceName',
		type: 'string',
		default: DEFAULT_VOICE,
		placeholder: 'e.g. en-US-JennyNeural',
		description:
			'Azure AI neural voice, e.g. en-US-NancyNeural, en-GB-SoniaNeural, de-DE-KatjaNeural. Empty: the service picks one from Source Locale and Voice Kind.',
		displayOptions: { show: { textFormat: ['plain'] } },
	},
	additionalFieldsCollection([
		{
			displayName: 'Custom Voice Endpoint ID',
			name: 'customVoiceEndpointId',
			type: 'string',
			default: '',
			description: 'Deployment ID of your Azure AI custom neural voice',
		},
		...playOptionFields('speech'),
		{
			displayName: 'Source Locale',
			name: 'sourceLocale',
			type: 'string',
			default: '',
			placeholder: 'e.g. en-US',
			description: 'Language of the text',
			displayOptions: { show: { '/textFormat': ['plain'] } },
		},
		{
			displayName: 'Voice Kind',
			name: 'voiceKind',
			type: 'options',
			options: [
				{ name: 'Female', value: 'female' },
				{ name: 'Male', value: 'male' },
			],
			default: 'female',
			description: 'Used when no voice name is given',
			displayOptions: { show: { '/textFormat': ['plain'] } },
		},
	]),
];

export const description = showFor({ resource: ['media'], operation: ['playText'] }, fields);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const format = this.getNodeParameter('textFormat', itemIndex, 'plain') as string;
	const extra = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const cacheId = playSourceCacheId(this, itemIndex, 1);
	const customVoiceEndpointId = optionalString(extra.customVoiceEndpointId);
	if (format === 'ssml') {
		const ssmlText = requiredString(this, 'ssmlText', itemIndex, 'SSML');
		if (!/^(<\?xml[^>]*>\s*)?<speak[\s>]/i.test(ssmlText)) {
			fail(
				this,
				itemIndex,
				'SSML must be a <speak> document',
				'Start with <speak version="1.0" xml:lang="en-US"> … </speak>, or switch Text Format to Plain Text.',
			);
		}
		return await play(
			this,
			itemIndex,
			'playText',
			[ssmlSource({ ssmlText, customVoiceEndpointId }, cacheId)],
			{ textFormat: 'ssml', text: ssmlText },
		);
	}
	const text = requiredString(this, 'text', itemIndex, 'Text');
	const voiceName = optionalString(this.getNodeParameter('voiceName', itemIndex, DEFAULT_VOICE));
	const source = {
		text,
		sourceLocale: optionalString(extra.sourceLocale),
		voiceKind: optionalString(extra.voiceKind),
		voiceName,
		customVoiceEndpointId,
	};
	return await play(this, itemIndex, 'playText', [textSource(source, cacheId)], {
		textFormat: 'plain',
		text,
		voiceName,
	});
}
