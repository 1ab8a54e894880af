/** Call > Answer: picks up an incoming call (POST /calling/callConnections:answer). */
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
	identifier,
	optionalString,
	optionalUrl,
	requiredString,
} from '../../helpers/params';
import { acsRequest } from '../../transport';
import { runOf } from '../../helpers/run';

/** Shared by Answer, Reject and Redirect: the token from the trigger's IncomingCall event. */
export const incomingCallContextField: INodeProperties = {
	displayName: 'Incoming Call Context',
	name: 'incomingCallContext',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. {{ $json.incomingCallContext }}',
	description:
		'The incomingCallContext of an IncomingCall event from the Azure Call Automation Trigger. It is valid for about 30 seconds and can be used once.',
};

const fields: INodeProperties[] = [
	incomingCallContextField,
	callbackUrlField,
	additionalFieldsCollection([
		{
			displayName: 'Answered By',
			name: 'answeredBy',
			type: 'string',
			default: '',
			placeholder: 'e.g. 8:acs:…',
			description: 'ACS user ID that answers the call on behalf of your application',
		},
		cognitiveServicesEndpointField,
		operationContextField,
	]),
	mediaStreamingCollection,
	transcriptionCollection,
];

export const description = showFor({ resource: ['call'], operation: ['answer'] }, fields);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const incomingCallContext = requiredString(
		this,
		'incomingCallContext',
		itemIndex,
		'Incoming Call Context',
	);
	const callbackUri =
		runOf(this).callbackOverride?.callbackUri ??
		absoluteUrl(
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
	const answeredBy = optionalString(extra.answeredBy);
	const body = compact({
		incomingCallContext,
		callIntelligenceOptions: cognitiveServicesEndpoint ? { cognitiveServicesEndpoint } : undefined,
		...streamingOptions(this, itemIndex),
		operationContext: optionalString(extra.operationContext),
		callbackUri,
		// The SDK sends a bare CommunicationUserIdentifierModel here.
		answeredBy:
			answeredBy === undefined
				? undefined
				: { id: identifier(this, answeredBy, itemIndex, 'Answered By', 'communicationUser').rawId },
	} as IDataObject);
	return (await acsRequest.call(this, {
		method: 'POST',
		path: '/calling/callConnections:answer',
		body,
		repeatable: true,
		itemIndex,
	})) as IDataObject;
}
