/** Media > Start Media Streaming: starts streaming audio to the call's WebSocket URL (POST …:startMediaStreaming). */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { streamingAction, streamingFields } from './streaming';

export const description = streamingFields('startMediaStreaming');

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return await streamingAction(this, itemIndex, 'startMediaStreaming', [
		'MediaStreamingStarted',
		'MediaStreamingFailed',
	]);
}
