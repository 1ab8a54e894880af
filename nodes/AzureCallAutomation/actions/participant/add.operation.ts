/** Participant > Add: invites a phone number or user into a live call (POST …/participants:add). */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	additionalFieldsCollection,
	callConnectionIdField,
	callerIdNumberField,
	operationCallbackUrlField,
	operationContextField,
	participantField,
} from '../../descriptions/common';
import {
	customCallingContext,
	customCallingContextField,
} from '../../descriptions/customCallingContext';
import { callConnectionIdOf } from '../../helpers/callConnection';
import { showFor } from '../../helpers/displayOptions';
import {
	boundedInteger,
	compact,
	fail,
	operationFields,
	optionalString,
	phoneNumber,
} from '../../helpers/params';
import { participantParameter, participantRequest, participantTypeField } from './output';

const fields: INodeProperties[] = [
	callConnectionIdField,
	participantField(
		'Who to bring into the call: a phone number in E.164 format (+14255550100), an ACS user ID (8:acs:…) or a Teams user ID (8:orgid:…)',
	),
	participantTypeField,
	// Top level: a phone target cannot be added without it. Shown while the type may be a phone number.
	{
		...callerIdNumberField(
			'A phone number of your ACS resource, shown to the person you add. Required when the participant is a phone number.',
		),
		name: 'callerIdNumber',
		displayOptions: { show: { participantType: ['auto', 'phoneNumber'] } },
	},
	additionalFieldsCollection([
		{
			displayName: 'Caller Display Name',
			name: 'sourceDisplayName',
			type: 'string',
			default: '',
			description: 'Name shown to the invited ACS or Teams user',
		},
		// Where Caller ID Number used to be: still read when the field above is empty.
		{
			...callerIdNumberField('Replaced by Caller ID Number above; read only when that is empty'),
			displayName: 'Caller ID Number (Old)',
		},
		{
			displayName: 'Invitation Timeout (Seconds)',
			name: 'invitationTimeoutInSeconds',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 180 },
			default: 60,
			description: 'How long the invitation rings before it counts as unanswered (0 to 180)',
		},
		operationCallbackUrlField,
		operationContextField,
		customCallingContextField,
	]),
];

export const description = showFor({ resource: ['participant'], operation: ['add'] }, fields);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const callConnectionId = callConnectionIdOf(this, itemIndex);
	const participant = participantParameter(this, itemIndex);
	const extra = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const callerId =
		optionalString(this.getNodeParameter('callerIdNumber', itemIndex, '')) ??
		optionalString(extra.sourceCallerIdNumber);
	if (callerId === undefined && participant.kind === 'phoneNumber') {
		fail(
			this,
			itemIndex,
			'Caller ID Number is empty',
			'Adding a phone number needs a caller id: set Caller ID Number to a phone number that belongs to your ACS resource, e.g. +14255550199.',
		);
	}
	const body = compact({
		participantToAdd: participant,
		sourceCallerIdNumber:
			callerId === undefined
				? undefined
				: phoneNumber(this, callerId, itemIndex, 'Caller ID Number'),
		sourceDisplayName: optionalString(extra.sourceDisplayName),
		invitationTimeoutInSeconds: boundedInteger(
			this,
			extra.invitationTimeoutInSeconds,
			itemIndex,
			'Invitation Timeout (Seconds)',
			0,
			180,
		),
		...operationFields(this, itemIndex, { fields: extra }),
		// The SDK always sends a custom calling context with an invitation (empty when none is given).
		customCallingContext: customCallingContext(this, extra.customCallingContext, itemIndex),
	} as IDataObject);
	const response = await participantRequest(this, itemIndex, callConnectionId, 'add', body);
	return {
		callConnectionId,
		participant: participant.rawId,
		kind: participant.kind ?? null,
		invitationId: response.invitationId ?? null,
		operationContext:
			(response.operationContext as string | undefined) ??
			(body.operationContext as string | undefined) ??
			null,
		invited: true,
	};
}
