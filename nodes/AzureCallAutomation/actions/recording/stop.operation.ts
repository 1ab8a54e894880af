/** Recording > Stop: ends a recording for good (DELETE /calling/recordings/{id}). */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { showFor } from '../../helpers/displayOptions';
import { recordingIdField, recordingRequest } from './shared';

export const description = showFor({ resource: ['recording'], operation: ['stop'] }, [recordingIdField] as INodeProperties[]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const { recordingId } = await recordingRequest(this, itemIndex, 'DELETE');
	return { recordingId, stopped: true };
}
