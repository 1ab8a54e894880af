/** Media > Stop Media Streaming (POST …:stopMediaStreaming). */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { errorIfEndedField, tidyUp } from '../../helpers/alreadyEnded';
import { callConnectionIdOf } from '../../helpers/callConnection';
import { streamingAction, streamingFields } from './streaming';

export const description = streamingFields('stopMediaStreaming', [errorIfEndedField]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const callConnectionId = callConnectionIdOf(this, itemIndex);
	return await tidyUp(
		this,
		itemIndex,
		async () =>
			await streamingAction(this, itemIndex, 'stopMediaStreaming', [
				'MediaStreamingStopped',
				'MediaStreamingFailed',
			]),
		{
			callConnectionId,
			operation: 'stopMediaStreaming',
		},
	);
}
