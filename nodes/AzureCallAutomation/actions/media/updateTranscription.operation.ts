/** Media > Update Transcription: switches the transcript's language or speech model (POST …:updateTranscription). */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { requiredString } from '../../helpers/params';
import {
	localeField,
	speechModelField,
	streamingAction,
	streamingFields,
	transcriptionBody,
} from './streaming';

export const description = streamingFields(
	'updateTranscription',
	[
		{
			...localeField,
			required: true,
			description: 'The language to transcribe from now on, e.g. es-ES',
		},
	],
	[speechModelField],
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const locale = requiredString(this, 'locale', itemIndex, 'Locale');
	return await streamingAction(
		this,
		itemIndex,
		'updateTranscription',
		['TranscriptionUpdated', 'TranscriptionFailed'],
		(extra) => ({
			...transcriptionBody(extra),
			locale,
		}),
	);
}
