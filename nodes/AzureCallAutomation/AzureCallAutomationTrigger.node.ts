import {
	NodeOperationError,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { chosenEvents, familyOutputs, properties, triggerSubtitle } from './trigger/description';
import {
	createEventGridSubscription,
	deleteEventGridSubscription,
	eventGridSubscriptionExists,
	type Registration,
} from './trigger/eventGrid';
import { isCallbackType } from './callbacks/eventTypes';
import { parseCalledNumbers } from './callbacks/filter';
import { endpointSecret, type TriggerOptions } from './trigger/settings';
import { handleWebhook } from './trigger/webhook';
import { eventGridConnectionTest, webhookSecretTest } from './methods';

async function registration(this: IHookFunctions): Promise<Registration> {
	return {
		webhookUrl: this.getNodeWebhookUrl('default') as string,
		endpointSecret: await endpointSecret.call(this),
		events: chosenEvents(
			this.getNodeParameter('triggerOn', 'chosen'),
			this.getNodeParameter('events', []),
		),
	};
}

/**
 * Activation fails early with a clear message instead of every call event answering 401; a trigger
 * chosen for Event Grid events only needs no resource ID.
 */
function assertConfigured(this: IHookFunctions): void {
	const options = this.getNodeParameter('options', {}) as TriggerOptions;
	const events = chosenEvents(
		this.getNodeParameter('triggerOn', 'chosen'),
		this.getNodeParameter('events', []),
	);
	const { invalid } = parseCalledNumbers(options.calledNumbers ?? '');
	if (invalid.length > 0) {
		throw new NodeOperationError(
			this.getNode(),
			`Options > Called Numbers: "${invalid[0]}" is not an E.164 phone number`,
			{
				description:
					'Enter each number with "+" and the country code, separated by commas, e.g. +18005550100, +18005550101.',
			},
		);
	}
	const wantsCallEvents = events.length === 0 || events.some((e) => isCallbackType(e));
	if (wantsCallEvents && options.verifyToken !== false && !(options.resourceId ?? '').trim()) {
		throw new NodeOperationError(
			this.getNode(),
			'Set Options > ACS Resource ID to verify callback tokens',
			{
				description:
					"ACS signs each callback with a token whose audience is the resource's immutable resource ID (a GUID shown in the resource's JSON view). Enter it under Options > ACS Resource ID, or turn off Verify Token (then protect the URL with a Shared Secret).",
			},
		);
	}
}

export class AzureCallAutomationTrigger implements INodeType {
	methods = { credentialTest: { eventGridConnectionTest, webhookSecretTest } };

	description: INodeTypeDescription = {
		displayName: 'Azure Call Automation Trigger',
		name: 'azureCallAutomationTrigger',
		icon: { light: 'file:../../icons/acs.svg', dark: 'file:../../icons/acs.dark.svg' },
		group: ['trigger'],
		// 2: the shared secret lives in the Webhook Secret credential, no longer in the workflow.
		version: [1, 2],
		defaultVersion: 2,
		subtitle: triggerSubtitle,
		description:
			'Starts the workflow on Azure Communication Services call events and incoming calls',
		defaults: { name: 'Azure Call Automation Trigger' },
		inputs: [],
		// One output, or one per event family when Split Outputs by Event Family is on. The plain "main"
		// string: NodeConnectionTypes does not exist in older n8n 1.x and would break loading there.
		outputs: `={{ ($parameter.options && $parameter.options.splitByFamily) ? ${familyOutputs} : ["main"] }}`,
		// Both optional and independent of any parameter: n8n's editor hides a parameter that a credential's
		// displayOptions depend on (it takes it for the authentication selector).
		// Names written out (not the SECRET_CREDENTIAL / EVENT_GRID_CREDENTIAL constants): n8n's community
		// lint reads them from this literal.
		credentials: [
			// Labels of their own: without them n8n 2.x labels both selectors "Credential".
			{
				name: 'azureCallAutomationWebhookSecretApi',
				displayName: 'Webhook Secret',
				required: false,
				testedBy: 'webhookSecretTest',
			},
			{
				name: 'azureCallAutomationEventGridApi',
				displayName: 'Event Grid Registration',
				required: false,
				testedBy: 'eventGridConnectionTest',
			},
		],
		webhooks: [
			// Event Grid's CloudEvents OPTIONS handshake cannot be served: n8n answers every OPTIONS request
			// to a webhook path itself (204, CORS) and does not accept OPTIONS webhooks. The node therefore
			// registers Event Grid subscriptions in the Event Grid schema, whose handshake is a POST.
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' },
		],
		properties,
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				assertConfigured.call(this);
				if (this.getNodeParameter('registerEventGrid', false) !== true) return true;
				return await eventGridSubscriptionExists.call(this, await registration.call(this));
			},
			async create(this: IHookFunctions): Promise<boolean> {
				if (this.getNodeParameter('registerEventGrid', false) !== true) return true;
				return await createEventGridSubscription.call(this, await registration.call(this));
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				if (this.getNodeParameter('registerEventGrid', false) === true) {
					return await deleteEventGridSubscription.call(this);
				}
				// Registration was switched off: remove what an earlier activation created, if the credential still works.
				try {
					return await deleteEventGridSubscription.call(this);
				} catch {
					const data = this.getWorkflowStaticData('node');
					delete data.eventGridSubscriptionName;
					delete data.eventGridSubscriptionId;
					return true;
				}
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleWebhook.call(this);
	}
}
