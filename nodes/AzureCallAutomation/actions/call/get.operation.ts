/** Call > Get: reads a call's current properties (GET /calling/callConnections/{id}). */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { callConnectionIdField } from '../../descriptions/common';
import { callConnectionIdOf, callPath } from '../../helpers/callConnection';
import { showFor } from '../../helpers/displayOptions';
import { acsRequest } from '../../transport';

const fields: INodeProperties[] = [callConnectionIdField];

export const description = showFor({ resource: ['call'], operation: ['get'] }, fields);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const callConnectionId = callConnectionIdOf(this, itemIndex);
	return (await acsRequest.call(this, {
		method: 'GET',
		path: callPath(callConnectionId),
		itemIndex,
	})) as IDataObject;
}
