/** Call > Transfer: hands a one-to-one call (or one participant) to someone else (POST …:transferToParticipant). */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	additionalFieldsCollection,
	callConnectionIdField,
	callerIdNumberField,
	operationCallbackUrlField,
	operationContextField,
} from '../../descriptions/common';
import {
	customCallingContext,
	customCallingContextField,
} from '../../descriptions/customCallingContext';
import { callConnectionIdOf, callPath } from '../../helpers/callConnection';
import { showFor } from '../../helpers/displayOptions';
import {
	compact,
	identifier,
	operationFields,
	optionalString,
	phoneNumber,
} from '../../helpers/params';
import { acsRequest } from '../../transport';

const fields: INodeProperties[] = [
	callConnectionIdField,
	{
		displayName: 'Target',
		name: 'target',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. +14255550100 or 8:orgid:…',
		description:
			'Who takes over the call: a phone number in E.164 format, an ACS user ID (8:acs:…), a Teams user ID (8:orgid:…) or a Teams app ID (28:orgid:…)',
	},
	additionalFieldsCollection([
		callerIdNumberField(
			'A phone number of your ACS resource, shown to the transfer target when it is a phone number',
		),
		operationCallbackUrlField,
		operationContextField,
		{
			displayName: 'Transferee',
			name: 'transferee',
			type: 'string',
			default: '',
			placeholder: 'e.g. +14255550123',
			description:
				'In a group call, the participant to transfer. Leave empty in a one-to-one call to transfer the other party.',
		},
		customCallingContextField,
	]),
];

export const description = showFor({ resource: ['call'], operation: ['transfer'] }, fields);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const callConnectionId = callConnectionIdOf(this, itemIndex);
	const targetParticipant = identifier(
		this,
		this.getNodeParameter('target', itemIndex, ''),
		itemIndex,
		'Target',
	);
	const extra = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const transferee = optionalString(extra.transferee);
	const callerId = optionalString(extra.sourceCallerIdNumber);
	const body = compact({
		targetParticipant,
		...operationFields(this, itemIndex, { fields: extra, generateContext: true }),
		transferee:
			transferee === undefined ? undefined : identifier(this, transferee, itemIndex, 'Transferee'),
		// The SDK always sends empty header maps.
		customCallingContext: customCallingContext(this, extra.customCallingContext, itemIndex),
		sourceCallerIdNumber:
			callerId === undefined
				? undefined
				: phoneNumber(this, callerId, itemIndex, 'Caller ID Number'),
	} as IDataObject);
	const response = (await acsRequest.call(this, {
		method: 'POST',
		path: `${callPath(callConnectionId)}:transferToParticipant`,
		body,
		repeatable: true,
		itemIndex,
	})) as IDataObject;
	return { callConnectionId, transferTarget: targetParticipant.rawId, ...response };
}
