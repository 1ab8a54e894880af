/** Call > Connect: joins a room, group call or server call by its id (POST /calling/callConnections:connect). */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	additionalFieldsCollection,
	callbackUrlField,
	cognitiveServicesEndpointField,
	operationContextField,
} from '../../descriptions/common';
import {
	mediaStreamingCollection,
	streamingOptions,
	transcriptionCollection,
} from '../../descriptions/streamingOptions';
import { showFor } from '../../helpers/displayOptions';
import {
	absoluteUrl,
	compact,
	optionalString,
	optionalUrl,
	requiredString,
} from '../../helpers/params';
import { acsRequest } from '../../transport';

/** Locator kind → the field of callLocator that holds its id. */
const LOCATOR_ID: Record<string, string> = {
	serverCallLocator: 'serverCallId',
	groupCallLocator: 'groupCallId',
	roomCallLocator: 'roomId',
};

const fields: INodeProperties[] = [
	{
		displayName: 'Join',
		name: 'callLocatorKind',
		type: 'options',
		options: [
			{
				name: 'Group Call',
				value: 'groupCallLocator',
				description: 'A group call by its group call ID (a GUID)',
			},
			{ name: 'Room', value: 'roomCallLocator', description: 'An ACS room by its room ID' },
			{
				name: 'Server Call',
				value: 'serverCallLocator',
				description: 'A call by its serverCallId (from a trigger event or Call > Get)',
			},
		],
		default: 'serverCallLocator',
		description: 'What kind of call to join',
	},
	{
		displayName: 'Call ID',
		name: 'callLocatorId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. aHR0cHM6Ly9hcGkuZmxpZ2h0cHJveHk…',
		description: 'The serverCallId, group call ID or room ID of the call to join',
	},
	callbackUrlField,
	additionalFieldsCollection([cognitiveServicesEndpointField, operationContextField]),
	mediaStreamingCollection,
	transcriptionCollection,
];

export const description = showFor({ resource: ['call'], operation: ['connect'] }, fields);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const kind = String(this.getNodeParameter('callLocatorKind', itemIndex, 'serverCallLocator'));
	const idField = LOCATOR_ID[kind] ?? 'serverCallId';
	const callLocator = {
		kind: LOCATOR_ID[kind] ? kind : 'serverCallLocator',
		[idField]: requiredString(this, 'callLocatorId', itemIndex, 'Call ID'),
	};
	const callbackUri = absoluteUrl(
		this,
		this.getNodeParameter('callbackUrl', itemIndex, ''),
		itemIndex,
		'Callback URL',
	);
	const extra = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const cognitiveServicesEndpoint = optionalUrl(
		this,
		extra.cognitiveServicesEndpoint,
		itemIndex,
		'Cognitive Services Endpoint',
	);
	const body = compact({
		callLocator,
		callbackUri,
		operationContext: optionalString(extra.operationContext),
		callIntelligenceOptions: cognitiveServicesEndpoint ? { cognitiveServicesEndpoint } : undefined,
		...streamingOptions(this, itemIndex),
	} as IDataObject);
	return (await acsRequest.call(this, {
		method: 'POST',
		path: '/calling/callConnections:connect',
		body,
		repeatable: true,
		itemIndex,
	})) as IDataObject;
}
