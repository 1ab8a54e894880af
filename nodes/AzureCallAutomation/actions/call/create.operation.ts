/** Call > Create: places a call to one or more targets (POST /calling/callConnections). */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	additionalFieldsCollection,
	callbackUrlField,
	callerIdNumberField,
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
	fail,
	identifierList,
	optionalString,
	optionalUrl,
	phoneNumber,
} from '../../helpers/params';
import { runParameter } from '../../helpers/runParameter';
import { acsRequest } from '../../transport';
import { runOf } from '../../helpers/run';

const fields: INodeProperties[] = [
	{
		displayName: 'Targets',
		name: 'targets',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. +14255550100 or 8:acs:…',
		description:
			'Who to call: phone numbers in E.164 format (+14255550100), ACS user IDs (8:acs:…), Teams user IDs (8:orgid:…) or Teams app IDs (28:orgid:…). Separate several with commas to ring them all in one call.',
	},
	callbackUrlField,
	callerIdNumberField(
		'A phone number of your ACS resource, shown to the people you call. Required when calling a phone number.',
	),
	additionalFieldsCollection([
		cognitiveServicesEndpointField,
		{
			displayName: 'Caller Display Name',
			name: 'sourceDisplayName',
			type: 'string',
			default: '',
			description: 'Name shown to ACS and Teams users you call',
		},
		operationContextField,
		{
			displayName: 'Teams App Source (App ID)',
			name: 'teamsAppSourceId',
			type: 'string',
			default: '',
			placeholder: 'e.g. 00000000-0000-4000-8000-000000000001',
			description:
				'Call on behalf of a Teams resource account (its app ID), so Teams users see that app as the caller',
		},
	]),
	mediaStreamingCollection,
	transcriptionCollection,
];

export const description = showFor({ resource: ['call'], operation: ['create'] }, fields);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const targets = identifierList(
		this,
		runParameter(this, 'targets', itemIndex, ''),
		itemIndex,
		'Targets',
	);
	if (targets.length === 0) {
		fail(
			this,
			itemIndex,
			'Targets is empty',
			'Enter at least one phone number (+14255550100) or ACS user id (8:acs:…).',
		);
	}
	const callbackUri =
		runOf(this).callbackOverride?.callbackUri ??
		absoluteUrl(this, runParameter(this, 'callbackUrl', itemIndex, ''), itemIndex, 'Callback URL');
	const callerId = optionalString(runParameter(this, 'sourceCallerIdNumber', itemIndex, ''));
	if (callerId === undefined && targets.some((t) => t.kind === 'phoneNumber')) {
		fail(
			this,
			itemIndex,
			'Caller ID Number is empty',
			'Calls to phone numbers need a caller id: enter a phone number that belongs to your ACS resource, e.g. +14255550199.',
		);
	}
	const extra = runParameter(this, 'additionalFields', itemIndex, {}) as IDataObject;
	const cognitiveServicesEndpoint = optionalUrl(
		this,
		extra.cognitiveServicesEndpoint,
		itemIndex,
		'Cognitive Services Endpoint',
	);
	const body = compact({
		targets,
		sourceCallerIdNumber:
			callerId === undefined
				? undefined
				: phoneNumber(this, callerId, itemIndex, 'Caller ID Number'),
		sourceDisplayName: optionalString(extra.sourceDisplayName),
		operationContext: optionalString(extra.operationContext),
		callbackUri,
		callIntelligenceOptions: cognitiveServicesEndpoint ? { cognitiveServicesEndpoint } : undefined,
		...streamingOptions(this, itemIndex),
		teamsAppSource:
			optionalString(extra.teamsAppSourceId) === undefined
				? undefined
				: { appId: optionalString(extra.teamsAppSourceId) },
	} as IDataObject);
	return (await acsRequest.call(this, {
		method: 'POST',
		path: '/calling/callConnections',
		body,
		repeatable: true,
		itemIndex,
	})) as IDataObject;
}
