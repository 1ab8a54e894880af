import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { DEFAULT_OPENID_CONFIGURATION_URL } from '../callbacks/jwt';
import { CALLBACK_EVENTS, EVENT_GRID_EVENTS, FAMILIES, PREFIX } from '../callbacks/events';

function words(name: string): string {
	return name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/Dtmf/g, 'DTMF');
}

export const eventOptions: INodePropertyOptions[] = [
	...Object.keys(CALLBACK_EVENTS).map((name) => ({
		name: words(name),
		value: PREFIX + name,
		description: `Mid-call event ${name} (sent to the call's callback URL)`,
	})),
	...Object.keys(EVENT_GRID_EVENTS).map((name) => ({
		name: words(name),
		value: PREFIX + name,
		description: `Event Grid event ${name} of the Communication Services resource`,
	})),
].sort((a, b) => a.name.localeCompare(b.name));

export const familyOutputs = JSON.stringify(FAMILIES.map((f) => ({ type: 'main', displayName: f.displayName })));

export const properties: INodeProperties[] = [
	{
		displayName:
			"Put this node's Production URL in the Callback URL of the Create Call / Answer Call operations: ACS then posts that call's events (Call Connected, Play Completed, Recognize Completed, …) here. Incoming calls come from Event Grid instead: turn on Register Event Grid Subscription (needs the Event Grid credential), or subscribe this URL yourself.",
		name: 'callbackNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Register Event Grid Subscription',
		name: 'registerEventGrid',
		type: 'boolean',
		default: false,
		description:
			'Whether to create an Event Grid subscription for this URL on the Communication Services resource when the workflow is activated (and delete it on deactivation), so incoming calls (and recording file events) arrive here',
	},
	{
		displayName:
			'Event Grid deliveries carry no ACS token: set a Shared Secret in Options. The node adds it to the endpoint URL it registers and refuses deliveries without it.',
		name: 'eventGridNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { registerEventGrid: [true] } },
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		options: eventOptions,
		default: [],
		description:
			'Events that start the workflow; none selected = all. With Event Grid registration, the Event Grid events chosen here (default Incoming Call) are the ones subscribed.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'ACS Resource ID',
				name: 'resourceId',
				type: 'string',
				default: '',
				placeholder: 'e.g. 3c8a0c2e-1f3b-4d5e-9a7b-0123456789ab',
				description:
					"The Communication Services resource's immutable resource ID (a GUID, in the resource's JSON view): the audience of the token ACS signs callbacks with. Required while Verify Token is on.",
			},
			{
				displayName: 'Call Connection ID',
				name: 'callConnectionId',
				type: 'string',
				default: '',
				description: 'Only events of these calls (comma-separated call connection IDs); incoming calls have none and are left out',
			},
			{
				displayName: 'OpenID Configuration URL',
				name: 'openIdConfigurationUrl',
				type: 'string',
				default: DEFAULT_OPENID_CONFIGURATION_URL,
				description: 'Where the issuer and signing keys of the callback tokens are published',
			},
			{
				displayName: 'Operation Context',
				name: 'operationContext',
				type: 'string',
				default: '',
				description: 'Only events whose operation context equals this value',
			},
			{
				displayName: 'Shared Secret',
				name: 'sharedSecret',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				description:
					'If set, every request must carry a secret query parameter with this value (add ?secret=… to the callback URL). This is what protects Event Grid deliveries, which carry no token.',
			},
			{
				displayName: 'Split Outputs by Event Family',
				name: 'splitByFamily',
				type: 'boolean',
				default: false,
				description: `Whether to send events to one output per family: ${FAMILIES.map((f) => f.displayName).join(', ')}`,
			},
			{
				displayName: 'Verify Token',
				name: 'verifyToken',
				type: 'boolean',
				default: true,
				description:
					"Whether to require a valid ACS-signed token (RS256, issuer from the OpenID configuration, audience = ACS Resource ID) on mid-call events; requests without one get 401 and don't start the workflow",
			},
		],
	},
];
