/** Media > Start Transcription: starts the live transcript to the call's WebSocket URL (POST …:startTranscription). */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import {
	localeField,
	speechModelField,
	streamingAction,
	streamingFields,
	transcriptionBody,
} from './streaming';

export const description = streamingFields(
	'startTranscription',
	[],
	[localeField, speechModelField],
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return await streamingAction(
		this,
		itemIndex,
		'startTranscription',
		['TranscriptionStarted', 'TranscriptionFailed'],
		transcriptionBody,
	);
}
