/** What the participant operations share: the participant fields, the path and request, the output item. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { operationCallbackUrlField, operationContextField } from '../../descriptions/common';
import {
	inferKind,
	rawIdOf,
	type IdentifierInputType,
	type IdentifierModel,
} from '../../../../acs/identifiers';
import { callPath } from '../../helpers/callConnection';
import { identifier } from '../../helpers/params';
import { acsRequest } from '../../transport';

/** One CallParticipant as an item: the fields people map on top, the full identifier kept. */
export function participantItem(callConnectionId: string, participant: IDataObject): IDataObject {
	const identifier = (participant.identifier ?? {}) as IDataObject;
	const rawId = rawIdOf(identifier) ?? '';
	const phone = identifier.phoneNumber as IDataObject | undefined;
	return {
		callConnectionId,
		rawId,
		kind: (identifier.kind as string | undefined) ?? inferKind(rawId),
		phoneNumber: typeof phone?.value === 'string' ? phone.value : null,
		isMuted: participant.isMuted === true,
		isOnHold: participant.isOnHold === true,
		identifier,
	};
}

export const participantPath = (callConnectionId: string): string =>
	`${callPath(callConnectionId)}/participants`;

/** POST …/participants:<action>; repeatable, as the SDK sends every participant change. */
export async function participantRequest(
	ctx: IExecuteFunctions,
	itemIndex: number,
	callConnectionId: string,
	action: string,
	body: IDataObject,
): Promise<IDataObject> {
	return (await acsRequest.call(ctx, {
		method: 'POST',
		path: `${participantPath(callConnectionId)}:${action}`,
		body,
		repeatable: true,
		itemIndex,
	})) as IDataObject;
}

/** Top-level context fields of Remove and Cancel Add, which generate a context when it is left empty. */
export const generatedContextFields: INodeProperties[] = [
	{
		...operationContextField,
		description: `${operationContextField.description}. Left empty, a random one is generated and returned.`,
	},
	operationCallbackUrlField,
];

/** How to read the Participant text; Auto-Detect covers phone numbers and the usual id prefixes. */
export const participantTypeField: INodeProperties = {
	displayName: 'Participant Type',
	name: 'participantType',
	type: 'options',
	options: [
		{ name: 'ACS User', value: 'communicationUser', description: 'An ACS user ID (8:acs:…)' },
		{
			name: 'Auto-Detect',
			value: 'auto',
			description:
				'Phone numbers (also 4:anonymous) and every raw ID the Azure SDK knows (8:acs:, 8:orgid:, 8:teamsvisitor:, 28:orgid:, sovereign clouds) are recognised',
		},
		{
			name: 'Phone Number',
			value: 'phoneNumber',
			description: 'A phone number in E.164 format (+14255550100)',
		},
		{
			name: 'Raw ID',
			value: 'unknown',
			description:
				'A rawId as ACS returns it (e.g. from Get Many), read as the Azure SDK reads raw IDs (4:anonymous is an anonymous caller); an ID of no known kind is sent as is',
		},
		{
			name: 'Teams App',
			value: 'microsoftTeamsApp',
			description: 'A Teams app ID (28:orgid:…) or its bare GUID',
		},
		{
			name: 'Teams Extension User',
			value: 'teamsExtensionUser',
			description: 'A Teams Phone extension user (8:acs:resource_tenant_user)',
		},
		{
			name: 'Teams User',
			value: 'microsoftTeamsUser',
			description: 'A Teams user ID (8:orgid:…, 8:teamsvisitor:…) or its bare Entra object ID',
		},
	],
	default: 'auto',
	description: 'What kind of ID the Participant field holds',
};

/** The Participant field of the item, read as its chosen type. */
export function participantParameter(ctx: IExecuteFunctions, itemIndex: number): IdentifierModel {
	const type = ctx.getNodeParameter('participantType', itemIndex, 'auto') as IdentifierInputType;
	return identifier(
		ctx,
		ctx.getNodeParameter('participant', itemIndex, ''),
		itemIndex,
		'Participant',
		type,
	);
}
