/** Participant > Remove: takes someone out of a live call (POST …/participants:remove). */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { callConnectionIdField, participantField } from '../../descriptions/common';
import { callConnectionIdOf } from '../../helpers/callConnection';
import { showFor } from '../../helpers/displayOptions';
import { compact, operationFields } from '../../helpers/params';
import {
	generatedContextFields,
	participantParameter,
	participantRequest,
	participantTypeField,
} from './output';

const fields: INodeProperties[] = [
	callConnectionIdField,
	participantField(
		'Who to remove: the phone number (+14255550100) or user ID (8:acs:…, 8:orgid:…) as it appears in the call, e.g. the rawId from Get Many',
	),
	participantTypeField,
	...generatedContextFields,
];

export const description = showFor({ resource: ['participant'], operation: ['remove'] }, fields);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const callConnectionId = callConnectionIdOf(this, itemIndex);
	const participant = participantParameter(this, itemIndex);
	const operation = operationFields(this, itemIndex, { generateContext: true });
	const body = compact({ participantToRemove: participant, ...operation } as IDataObject);
	const response = await participantRequest(this, itemIndex, callConnectionId, 'remove', body);
	return {
		callConnectionId,
		participant: participant.rawId,
		operationContext:
			(response.operationContext as string | undefined) ?? operation.operationContext,
		removed: true,
	};
}
