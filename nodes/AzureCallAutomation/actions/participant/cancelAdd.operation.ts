/** Participant > Cancel Add: withdraws a pending invitation (POST …/participants:cancelAddParticipant). */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { callConnectionIdField } from '../../descriptions/common';
import { callConnectionIdOf } from '../../helpers/callConnection';
import { showFor } from '../../helpers/displayOptions';
import { compact, operationFields, requiredString } from '../../helpers/params';
import { generatedContextFields, participantRequest } from './output';

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
	...generatedContextFields,
];

export const description = showFor({ resource: ['participant'], operation: ['cancelAdd'] }, fields);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const callConnectionId = callConnectionIdOf(this, itemIndex);
	const invitationId = requiredString(this, 'invitationId', itemIndex, 'Invitation ID');
	const operation = operationFields(this, itemIndex, { generateContext: true });
	const body = compact({ invitationId, ...operation } as IDataObject);
	const response = await participantRequest(
		this,
		itemIndex,
		callConnectionId,
		'cancelAddParticipant',
		body,
	);
	return {
		callConnectionId,
		invitationId: (response.invitationId as string | undefined) ?? invitationId,
		operationContext:
			(response.operationContext as string | undefined) ?? operation.operationContext,
		cancelRequested: true,
	};
}
