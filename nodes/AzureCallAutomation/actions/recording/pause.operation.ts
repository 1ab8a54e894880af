/** Recording > Pause: nothing is recorded until Resume (POST /calling/recordings/{id}:pause). */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { showFor } from '../../helpers/displayOptions';
import { recordingIdField, recordingRequest } from './shared';

export const description = showFor({ resource: ['recording'], operation: ['pause'] }, [
	recordingIdField,
] as INodeProperties[]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const { recordingId } = await recordingRequest(this, itemIndex, 'POST', ':pause');
	return { recordingId, paused: true };
}
