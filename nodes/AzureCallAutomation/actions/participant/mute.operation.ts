/** Participant > Mute: mutes one participant's microphone for the call (POST …/participants:mute). */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	callConnectionIdField,
	operationContextField,
	participantField,
} from '../../descriptions/common';
import { callConnectionIdOf } from '../../helpers/callConnection';
import { showFor } from '../../helpers/displayOptions';
import { compact, optionalString } from '../../helpers/params';
import { participantParameter, participantRequest, participantTypeField } from './output';

const fields: INodeProperties[] = [
	callConnectionIdField,
	participantField(
		'Who to mute: the phone number (+14255550100) or user ID (8:acs:…, 8:orgid:…) as it appears in the call. They can unmute themselves.',
	),
	participantTypeField,
	operationContextField,
];

export const description = showFor({ resource: ['participant'], operation: ['mute'] }, fields);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const callConnectionId = callConnectionIdOf(this, itemIndex);
	const participant = participantParameter(this, itemIndex);
	const operationContext = optionalString(this.getNodeParameter('operationContext', itemIndex, ''));
	const body = compact({
		// The API takes a list, but mutes one participant per request (as the SDK sends it).
		targetParticipants: [participant],
		operationContext,
	} as IDataObject);
	const response = await participantRequest(this, itemIndex, callConnectionId, 'mute', body);
	return {
		callConnectionId,
		participant: participant.rawId,
		operationContext: (response.operationContext as string | undefined) ?? operationContext ?? null,
		muted: true,
	};
}
