/** Media > Play Audio: plays one or more WAV files to everyone or to chosen participants (POST …:play). */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { additionalFieldsCollection, callConnectionIdField } from '../../descriptions/common';
import { showFor } from '../../helpers/displayOptions';
import { play, playOptionFields } from './play';
import { audioUrls, fileSource, playSourceCacheId } from './sources';

const fields: INodeProperties[] = [
	callConnectionIdField,
	{
		displayName: 'Audio URL',
		name: 'audioUrl',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. https://example.com/audio/welcome.wav',
		description:
			'Public URL of a WAV file (mono, 16-bit PCM, 16 kHz) that ACS can download. Separate several URLs with commas to play them one after another.',
	},
	additionalFieldsCollection(playOptionFields('audio')),
];

export const description = showFor({ resource: ['media'], operation: ['playAudio'] }, fields);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const urls = audioUrls(
		this,
		this.getNodeParameter('audioUrl', itemIndex, ''),
		itemIndex,
		'Audio URL',
	);
	const cacheId = playSourceCacheId(this, itemIndex, urls.length);
	return await play(
		this,
		itemIndex,
		'playAudio',
		urls.map((url) => fileSource(url, cacheId)),
		{ audioUrl: urls },
	);
}
