/** Media > Stop Transcription (POST …:stopTranscription). */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { errorIfEndedField, tidyUp } from '../../helpers/alreadyEnded';
import { callConnectionIdOf } from '../../helpers/callConnection';
import { streamingAction, streamingFields } from './streaming';

export const description = streamingFields('stopTranscription', [errorIfEndedField]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const callConnectionId = callConnectionIdOf(this, itemIndex);
	return await tidyUp(
		this,
		itemIndex,
		async () =>
			await streamingAction(this, itemIndex, 'stopTranscription', [
				'TranscriptionStopped',
				'TranscriptionFailed',
			]),
		{
			callConnectionId,
			operation: 'stopTranscription',
		},
	);
}
