/** Call > Get: reads a call's current properties (GET /calling/callConnections/{id}). */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { callConnectionIdField } from '../../descriptions/common';
import { showFor } from '../../helpers/displayOptions';
import { requiredId } from '../../helpers/params';
import { acsRequest, encodeId } from '../../transport';

const fields: INodeProperties[] = [callConnectionIdField];

export const description = showFor({ resource: ['call'], operation: ['get'] }, fields);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const callConnectionId = requiredId(this, 'callConnectionId', itemIndex, 'Call Connection ID');
	return (await acsRequest.call(this, {
		method: 'GET',
		path: `/calling/callConnections/${encodeId(callConnectionId)}`,
		itemIndex,
	})) as IDataObject;
}
