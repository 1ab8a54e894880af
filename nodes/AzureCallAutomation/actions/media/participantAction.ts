/** Media actions aimed at one participant (continuous DTMF, hold, unhold, send DTMF): its field and the request. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	additionalFieldsCollection,
	callConnectionIdField,
	operationCallbackUrlField,
	operationContextField,
} from '../../descriptions/common';
import { withoutKind, type IdentifierModel } from '../../../../acs/identifiers';
import { callConnectionIdOf, callPath } from '../../helpers/callConnection';
import { compact, identifier, operationFields } from '../../helpers/params';
import { acsRequest } from '../../transport';

export const targetParticipantField = (description: string): INodeProperties => ({
	displayName: 'Target Participant',
	name: 'targetParticipant',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. +14255550100 or 8:acs:…',
	description,
});

/** The participant a media action is aimed at, without `kind`, as the SDK sends it. */
export function targetParticipant(ctx: IExecuteFunctions, itemIndex: number): IdentifierModel {
	const value = ctx.getNodeParameter('targetParticipant', itemIndex, '');
	return withoutKind(identifier(ctx, value, itemIndex, 'Target Participant'));
}

/**
 * Actions aimed at one participant (continuous DTMF, hold, unhold): body `{targetParticipant,
 * operationContext?, operationCallbackUri?, ...extraBody}`.
 */
export async function participantAction(
	ctx: IExecuteFunctions,
	itemIndex: number,
	operation: string,
	route: string,
	expectedEvents: string[],
	extraBody: (extra: IDataObject) => IDataObject = () => ({}),
	options: { repeatable?: boolean } = {},
): Promise<IDataObject> {
	const callConnectionId = callConnectionIdOf(ctx, itemIndex);
	const target = targetParticipant(ctx, itemIndex);
	const extra = ctx.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const body = compact({
		targetParticipant: target,
		...extraBody(extra),
		...operationFields(ctx, itemIndex, { fields: extra }),
	} as IDataObject);
	const response = (await acsRequest.call(ctx, {
		method: 'POST',
		path: `${callPath(callConnectionId)}:${route}`,
		body,
		repeatable: options.repeatable,
		itemIndex,
	})) as IDataObject;
	return compact({
		callConnectionId,
		operation,
		operationContext: body.operationContext,
		targetParticipant: target.rawId,
		expectedEvents,
		...response,
	} as IDataObject);
}

export const contextFields: INodeProperties[] = [operationCallbackUrlField, operationContextField];

/** Call Connection ID, Target Participant and the context fields: the form of continuous DTMF and unhold. */
export const participantActionFields = (targetDescription: string): INodeProperties[] => [
	callConnectionIdField,
	targetParticipantField(targetDescription),
	additionalFieldsCollection(contextFields),
];
