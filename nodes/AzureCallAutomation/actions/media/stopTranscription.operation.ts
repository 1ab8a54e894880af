/** Media > Stop Transcription (POST …:stopTranscription). */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { streamingAction, streamingFields } from './streaming';

export const description = streamingFields('stopTranscription');

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return await streamingAction(this, itemIndex, 'stopTranscription', ['TranscriptionStopped', 'TranscriptionFailed']);
}
