/** Participant > Move: brings participants over from another call of this resource (POST …/participants:moveHere). */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { callConnectionIdField } from '../../descriptions/common';
import { callConnectionIdOf } from '../../helpers/callConnection';
import { showFor } from '../../helpers/displayOptions';
import { compact, fail, identifierList, operationFields, requiredId } from '../../helpers/params';
import { generatedContextFields, participantRequest } from './output';

const fields: INodeProperties[] = [
	{
		...callConnectionIdField,
		description: 'The call to move the participants into (this resource must be in it)',
	},
	{
		displayName: 'Participants',
		name: 'participants',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. +14255550100, 8:acs:…',
		description:
			'Who to move: phone numbers or raw IDs as they appear in the other call, separated by commas',
	},
	{
		displayName: 'From Call Connection ID',
		name: 'fromCall',
		type: 'string',
		required: true,
		default: '',
		description: 'The callConnectionId of the call the participants are in now',
	},
	...generatedContextFields,
];

export const description = showFor({ resource: ['participant'], operation: ['move'] }, fields);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const callConnectionId = callConnectionIdOf(this, itemIndex);
	const targetParticipants = identifierList(
		this,
		this.getNodeParameter('participants', itemIndex, ''),
		itemIndex,
		'Participants',
	);
	if (targetParticipants.length === 0)
		fail(
			this,
			itemIndex,
			'Participants is empty',
			'Enter at least one phone number or raw ID to move.',
		);
	// Sent in the body, not the path; still an id ACS returned, so the same rules apply.
	const fromCall = requiredId(this, 'fromCall', itemIndex, 'From Call Connection ID');
	const operation = operationFields(this, itemIndex, { generateContext: true });
	const body = compact({ targetParticipants, fromCall, ...operation } as IDataObject);
	const response = await participantRequest(this, itemIndex, callConnectionId, 'moveHere', body);
	return {
		callConnectionId,
		fromCall,
		participants: targetParticipants.map((p) => p.rawId),
		operationContext:
			(response.operationContext as string | undefined) ?? operation.operationContext,
		moved: true,
	};
}
