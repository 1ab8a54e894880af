/** Media > Stop Media Streaming (POST …:stopMediaStreaming). */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { streamingAction, streamingFields } from './streaming';

export const description = streamingFields('stopMediaStreaming');

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return await streamingAction(this, itemIndex, 'stopMediaStreaming', ['MediaStreamingStopped', 'MediaStreamingFailed']);
}
