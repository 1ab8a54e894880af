import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { DEFAULT_OPENID_CONFIGURATION_URL } from '../../../acs/defaults';
import { CALLBACK_EVENTS, EVENT_GRID_EVENTS, FAMILIES, PREFIX } from '../callbacks/eventTypes';

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

/**
 * The common choices, so n8n's nodes panel (which lists one "On …" action per option of the first
 * parameter named Trigger On / Events) offers a short list instead of every event type. 'chosen'
 * (the default, so workflows saved before this parameter keep their Events list) reads Event Types.
 */
const TRIGGER_ON: Array<INodePropertyOptions & { events: string[] }> = [
	{
		name: 'Incoming Call',
		value: 'incomingCall',
		action: 'On incoming call',
		description:
			'A call to one of your numbers (Event Grid: turn on Register Event Grid Subscription)',
		events: ['IncomingCall'],
	},
	{
		name: 'Call Connected',
		value: 'callConnected',
		action: 'On call connected',
		description: 'The call was answered',
		events: ['CallConnected'],
	},
	{
		name: 'Input Collected (DTMF or Speech)',
		value: 'inputCollected',
		action: 'On input collected (DTMF or speech)',
		description:
			'Collect Input ended: keys pressed, speech or a choice (RecognizeCompleted), or a timeout (RecognizeFailed)',
		events: ['RecognizeCompleted', 'RecognizeFailed'],
	},
	{
		name: 'DTMF Tone Received',
		value: 'dtmfTone',
		action: 'On DTMF tone received',
		description: 'A key pressed while continuous DTMF recognition is on',
		events: ['ContinuousDtmfRecognitionToneReceived'],
	},
	{
		name: 'Audio Finished',
		value: 'audioFinished',
		action: 'On audio finished',
		description: 'Play Audio / Play Text ended (PlayCompleted, PlayFailed, PlayCanceled)',
		events: ['PlayCompleted', 'PlayFailed', 'PlayCanceled'],
	},
	{
		name: 'Call Ended',
		value: 'callEnded',
		action: 'On call ended',
		description: 'The call was hung up (CallDisconnected)',
		events: ['CallDisconnected'],
	},
	{
		name: 'Call Failed',
		value: 'callFailed',
		action: 'On call failed',
		description: 'Create Call, Answer or Connect did not connect',
		events: ['CreateCallFailed', 'AnswerFailed', 'ConnectFailed'],
	},
	{
		name: 'Recording File Ready',
		value: 'recordingFile',
		action: 'On recording file ready',
		description: 'A recording can be downloaded (Event Grid)',
		events: ['RecordingFileStatusUpdated'],
	},
	{
		name: 'Any Event',
		value: 'any',
		action: 'On any call event',
		description: 'Every call event and Event Grid event',
		events: [],
	},
	{
		name: 'Event Types Chosen Below',
		value: 'chosen',
		action: 'On chosen event types',
		description: 'The event types picked under Event Types (none picked: all)',
		events: [],
	},
];

/** Full event type names the node listens for (empty = all), from Trigger On and Event Types. */
export function chosenEvents(triggerOn: unknown, eventTypes: unknown): string[] {
	const preset = TRIGGER_ON.find((o) => o.value === triggerOn);
	if (preset === undefined || preset.value === 'chosen')
		return Array.isArray(eventTypes) ? (eventTypes as string[]) : [];
	return preset.events.map((name) => PREFIX + name);
}

/** Canvas subtitle: the Trigger On choice, or how many event types were picked. */
export const triggerSubtitle = `={{ (${JSON.stringify(
	Object.fromEntries(TRIGGER_ON.filter((o) => o.value !== 'chosen').map((o) => [o.value, o.name])),
)})[$parameter["triggerOn"]] || ($parameter["events"] && $parameter["events"].length ? $parameter["events"].length + " event types" : "All events") }}`;

export const familyOutputs = JSON.stringify(
	FAMILIES.map((f) => ({ type: 'main', displayName: f.displayName })),
);

/** Options of the node; version 1 also keeps Shared Secret, read as before so its workflows keep working. */
function options(version: number): INodeProperties {
	const list: INodeProperties[] = [
		{
			displayName: 'Accept Unauthenticated Requests (Unsafe)',
			name: 'allowUnauthenticated',
			type: 'boolean',
			default: false,
			description:
				'Whether to run the workflow for requests that prove nothing: Event Grid deliveries without the secret and, with Verify Token off, call events without it. Anyone who learns the URL can then start the workflow with calls that never happened. Only for trying things out.',
		},
		{
			displayName: 'ACS Resource ID',
			name: 'resourceId',
			type: 'string',
			default: '',
			placeholder: 'e.g. 3c8a0c2e-1f3b-4d5e-9a7b-0123456789ab',
			description:
				"The Communication Services resource's immutable resource ID (a GUID, in the resource's JSON view): the audience of the token ACS signs call events with. Required to receive call events while Verify Token is on.",
		},
		{
			displayName: 'Call Connection ID',
			name: 'callConnectionId',
			type: 'string',
			default: '',
			description:
				'Only events of these calls (comma-separated call connection IDs); incoming calls have none and are left out',
		},
		{
			displayName: 'Called Numbers',
			name: 'calledNumbers',
			type: 'string',
			default: '',
			placeholder: 'e.g. +18005550100, +18005550101',
			description:
				'Only incoming calls to these numbers start the workflow (comma-separated, E.164); empty for calls to any number of the resource. Other events are not filtered by it. Lets several workflows each answer their own number.',
		},
		{
			displayName: 'OpenID Configuration URL',
			name: 'openIdConfigurationUrl',
			type: 'string',
			default: DEFAULT_OPENID_CONFIGURATION_URL,
			description: 'Where the issuer and signing keys of the call event tokens are published',
		},
		{
			displayName: 'Operation Context',
			name: 'operationContext',
			type: 'string',
			default: '',
			description: 'Only events whose operation context equals this value',
		},
		{
			displayName: 'Split Outputs by Event Family',
			name: 'splitByFamily',
			type: 'boolean',
			default: false,
			description: `Whether to send events to one output per family: ${FAMILIES.map((f) => `${f.displayName} (${f.contents})`).join(', ')}`,
		},
		{
			displayName: 'Verify Token',
			name: 'verifyToken',
			type: 'boolean',
			default: true,
			description:
				'Whether call events must carry a valid ACS-signed token (RS256, issuer from the OpenID configuration, audience = ACS Resource ID). When off, they must carry the Webhook Secret instead.',
		},
	];
	if (version === 1) {
		list.push({
			displayName: 'Shared Secret (Deprecated)',
			name: 'sharedSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Saved in the workflow in clear: use the Webhook Secret credential instead. Proves Event Grid deliveries (?secret=…); a request with a wrong secret is refused.',
		});
	}
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: list,
		displayOptions: { show: { '@version': [version] } },
	};
}
export const properties: INodeProperties[] = [
	{
		displayName:
			"Put this node's Production URL in the Callback URL of the Create Call / Answer Call operations: ACS then posts that call's events (Call Connected, Play Completed, Recognize Completed, …) here. Incoming calls come from Event Grid instead: turn on Register Event Grid Subscription (needs the Event Grid credential), or subscribe this URL yourself.",
		name: 'callbackNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Trigger On',
		name: 'triggerOn',
		type: 'options',
		noDataExpression: true,
		// Most used first ("Incoming Call" on top), as the nodes panel lists them in this order.
		options: TRIGGER_ON.map(({ name, value, action, description }) => ({
			name,
			value,
			action,
			description,
		})),
		default: 'chosen',
		description: 'Which events start the workflow',
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
			'Event Grid deliveries carry no ACS token: the node puts a secret in the endpoint URL it registers (the Webhook Secret credential, or one derived from the Event Grid credential) and refuses deliveries without it.',
		name: 'eventGridNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { registerEventGrid: [true] } },
	},
	{
		displayName:
			'Shared Secret under Options is saved in the workflow in clear. Move it to a Webhook Secret credential (same value, so URLs keep working), then remove the option.',
		name: 'sharedSecretNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { '@version': [1] } },
	},
	{
		displayName: 'Event Types',
		name: 'events',
		type: 'multiOptions',
		options: eventOptions,
		default: [],
		displayOptions: { show: { triggerOn: ['chosen'] } },
		description:
			'Events that start the workflow; none selected = all. With Event Grid registration, the Event Grid events chosen here (default Incoming Call) are the ones subscribed.',
	},
	options(1),
	options(2),
];
