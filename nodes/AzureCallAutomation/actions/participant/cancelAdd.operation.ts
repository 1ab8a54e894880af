/** Participant > Cancel Add: withdraws a pending invitation (POST …/participants:cancelAddParticipant). */
import { randomUUID } from 'node:crypto';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { callConnectionIdField, operationCallbackUrlField, operationContextField } from '../../descriptions/common';
import { showFor } from '../../helpers/displayOptions';
import { compact, optionalString, optionalUrl, requiredString } from '../../helpers/params';
import { acsRequest } from '../../transport';
import { participantPath } from './output';

const fields: INodeProperties[] = [
	callConnectionIdField,
	{
		displayName: 'Invitation ID',
		name: 'invitationId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. {{ $json.invitationId }}',
		description: 'The invitationId returned by Participant > Add for the invitation to withdraw',
	},
	{
		...operationContextField,
		description: `${operationContextField.description}. Left empty, a random one is generated and returned.`,
	},
	operationCallbackUrlField,
];

export const description = showFor({ resource: ['participant'], operation: ['cancelAdd'] }, fields);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const callConnectionId = requiredString(this, 'callConnectionId', itemIndex, 'Call Connection ID');
	const invitationId = requiredString(this, 'invitationId', itemIndex, 'Invitation ID');
	// As the SDK does: a generated context still lets the trigger match the outcome to this request.
	const operationContext = optionalString(this.getNodeParameter('operationContext', itemIndex, '')) ?? randomUUID();
	const body = compact({
		invitationId,
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
		path: `${participantPath(callConnectionId)}:cancelAddParticipant`,
		body,
		repeatable: true,
		itemIndex,
	})) as IDataObject;
	return {
		callConnectionId,
		invitationId: (response.invitationId as string | undefined) ?? invitationId,
		operationContext: (response.operationContext as string | undefined) ?? operationContext,
		cancelRequested: true,
	};
}
