/** Participant > Get: one participant's current state (GET …/participants/{rawId}). */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { callConnectionIdField, participantField } from '../../descriptions/common';
import { callConnectionIdOf } from '../../helpers/callConnection';
import { showFor } from '../../helpers/displayOptions';
import { pathId } from '../../helpers/params';
import { acsRequest, encodeId } from '../../transport';
import {
	participantItem,
	participantParameter,
	participantPath,
	participantTypeField,
} from './output';

const fields: INodeProperties[] = [
	callConnectionIdField,
	participantField(
		'Who to look up: the phone number (+14255550100) or user ID (8:acs:…, 8:orgid:…) as it appears in the call',
	),
	participantTypeField,
];

export const description = showFor({ resource: ['participant'], operation: ['get'] }, fields);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const callConnectionId = callConnectionIdOf(this, itemIndex);
	const participant = participantParameter(this, itemIndex);
	pathId(this, participant.rawId, itemIndex, 'Participant');
	const response = (await acsRequest.call(this, {
		method: 'GET',
		path: `${participantPath(callConnectionId)}/${encodeId(participant.rawId)}`,
		itemIndex,
	})) as IDataObject;
	return participantItem(callConnectionId, response);
}
