/** Participant > Remove: takes someone out of a live call (POST …/participants:remove). */
import { randomUUID } from 'node:crypto';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	callConnectionIdField,
	operationCallbackUrlField,
	operationContextField,
	participantField,
} from '../../descriptions/common';
import { showFor } from '../../helpers/displayOptions';
import { compact, optionalString, optionalUrl, requiredString } from '../../helpers/params';
import { acsRequest } from '../../transport';
import { participantParameter, participantPath, participantTypeField } from './output';

const fields: INodeProperties[] = [
	callConnectionIdField,
	participantField(
		'Who to remove: the phone number (+14255550100) or user ID (8:acs:…, 8:orgid:…) as it appears in the call, e.g. the rawId from Get Many',
	),
	participantTypeField,
	{
		...operationContextField,
		description: `${operationContextField.description}. Left empty, a random one is generated and returned.`,
	},
	operationCallbackUrlField,
];

export const description = showFor({ resource: ['participant'], operation: ['remove'] }, fields);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const callConnectionId = requiredString(this, 'callConnectionId', itemIndex, 'Call Connection ID');
	const participant = participantParameter(this, itemIndex);
	// As the SDK does: a generated context still lets the trigger match the outcome to this removal.
	const operationContext = optionalString(this.getNodeParameter('operationContext', itemIndex, '')) ?? randomUUID();
	const body = compact({
		participantToRemove: participant,
		operationContext,
		operationCallbackUri: optionalUrl(
			this,
			this.getNodeParameter('operationCallbackUrl', itemIndex, ''),
			itemIndex,
			'Operation Callback URL',
		),
	} as IDataObject);
	const response = (await acsRequest.call(this, {
		method: 'POST',
		path: `${participantPath(callConnectionId)}:remove`,
		body,
		repeatable: true,
		itemIndex,
	})) as IDataObject;
	return {
		callConnectionId,
		participant: participant.rawId,
		operationContext: (response.operationContext as string | undefined) ?? operationContext,
		removed: true,
	};
}
