/** Fields several operations share, so they look and read the same everywhere. */
import type { INodeProperties } from 'n8n-workflow';

export const callConnectionIdField: INodeProperties = {
	displayName: 'Call Connection ID',
	name: 'callConnectionId',
	type: 'string',
	required: true,
	// Every flow passes the id along from the previous step or the trigger's event.
	default: '={{ $json.callConnectionId }}',
	placeholder: 'e.g. 401f3500-62bd-46a9-8c09-9e1b06caca01',
	description:
		'The call to act on: the callConnectionId from Create Call or Answer, or from a trigger event',
	// In the hint, not the description: a description lint rule would upper-case n8n's $json.
	hint: 'Usually {{ $json.callConnectionId }}, from the step before',
};

export const operationContextField: INodeProperties = {
	displayName: 'Operation Context',
	name: 'operationContext',
	type: 'string',
	default: '',
	description:
		'Your own label, echoed back in the events this action causes, so the trigger can tell which step they belong to',
};

export const operationCallbackUrlField: INodeProperties = {
	displayName: 'Operation Callback URL',
	name: 'operationCallbackUrl',
	type: 'string',
	default: '',
	placeholder: 'https://n8n.example.com/webhook/…/webhook',
	description: "Send this action's events here instead of to the call's callback URL",
};

export const participantField = (description: string): INodeProperties => ({
	displayName: 'Participant',
	name: 'participant',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. +14255550100 or 8:acs:…',
	description,
});

export const callbackUrlField: INodeProperties = {
	displayName: 'Callback URL',
	name: 'callbackUrl',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'https://n8n.example.com/webhook/…/webhook',
	description:
		"Where ACS sends this call's events. Paste the Production URL of an Azure Call Automation Trigger node; it must be reachable from the internet.",
	// With Wait for Outcome the events come back to this execution instead.
	displayOptions: { hide: { waitForOutcome: [true] } },
};

/** The optional settings of an operation, under one "Additional Fields" collection. */
export const additionalFieldsCollection = (options: INodeProperties[]): INodeProperties => ({
	displayName: 'Additional Fields',
	name: 'additionalFields',
	type: 'collection',
	placeholder: 'Add Field',
	default: {},
	options,
});

/** Call intelligence for Create and Answer: needed later for text-to-speech and speech recognition. */
export const cognitiveServicesEndpointField: INodeProperties = {
	displayName: 'Cognitive Services Endpoint',
	name: 'cognitiveServicesEndpoint',
	type: 'string',
	default: '',
	placeholder: 'https://<name>.cognitiveservices.azure.com/',
	description:
		'Azure AI services endpoint connected to your ACS resource. Needed for Play Text (text-to-speech) and speech recognition on this call.',
};

/** The number callees see (Create, Transfer, Add); `description` says to whom it is shown. */
export const callerIdNumberField = (description: string): INodeProperties => ({
	displayName: 'Caller ID Number',
	name: 'sourceCallerIdNumber',
	type: 'string',
	default: '',
	placeholder: 'e.g. +14255550199',
	description,
});
