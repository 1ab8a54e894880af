/** Recording > Resume: continues a paused recording (POST /calling/recordings/{id}:resume). */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { showFor } from '../../helpers/displayOptions';
import { recordingIdField, recordingRequest } from './shared';

export const description = showFor({ resource: ['recording'], operation: ['resume'] }, [
	recordingIdField,
] as INodeProperties[]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const { recordingId } = await recordingRequest(this, itemIndex, 'POST', ':resume');
	return { recordingId, resumed: true };
}
