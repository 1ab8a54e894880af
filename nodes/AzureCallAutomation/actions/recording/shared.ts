/** What the recording operations share: the recordingId field, its path, and a 404 that says what happened. */
import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	INodeProperties,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { asNodeError } from '../../helpers/errors';
import { requiredId } from '../../helpers/params';
import { acsRequest, encodeId } from '../../transport';

export const recordingIdField: INodeProperties = {
	displayName: 'Recording ID',
	name: 'recordingId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. {{ $json.recordingId }}',
	description:
		'The recordingId returned by Recording > Start, or from a RecordingStateChanged trigger event',
};

/** Sends one request about the recording named in the item; returns its id and the response. */
export async function recordingRequest(
	ctx: IExecuteFunctions,
	itemIndex: number,
	method: IHttpRequestMethods,
	action = '',
): Promise<{ recordingId: string; response: IDataObject }> {
	const recordingId = requiredId(ctx, 'recordingId', itemIndex, 'Recording ID');
	try {
		const response = (await acsRequest.call(ctx, {
			method,
			path: `/calling/recordings/${encodeId(recordingId)}${action}`,
			itemIndex,
		})) as IDataObject;
		return { recordingId, response };
	} catch (error) {
		if (error instanceof NodeApiError && error.httpCode === '404') {
			error.description =
				'Recording not found: it has already stopped (a recording also ends when its call ends), or the Recording ID is wrong.';
		}
		throw asNodeError(ctx.getNode(), error, itemIndex);
	}
}
