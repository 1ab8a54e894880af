/** Recording > Get State: whether a recording is running or paused (GET /calling/recordings/{id}). */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { showFor } from '../../helpers/displayOptions';
import { recordingIdField, recordingRequest } from './shared';

export const description = showFor({ resource: ['recording'], operation: ['getState'] }, [
	recordingIdField,
] as INodeProperties[]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const { recordingId, response } = await recordingRequest(this, itemIndex, 'GET');
	return {
		recordingId: (response.recordingId as string | undefined) ?? recordingId,
		recordingState: response.recordingState ?? null,
		recordingKind: response.recordingKind ?? null,
	};
}
