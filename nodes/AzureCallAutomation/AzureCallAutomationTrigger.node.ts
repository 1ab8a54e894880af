import {
	NodeOperationError,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { familyOutputs, properties } from './trigger/description';
import {
	EVENT_GRID_CREDENTIAL,
	createEventGridSubscription,
	deleteEventGridSubscription,
	eventGridSubscriptionExists,
	type Registration,
} from './trigger/eventGrid';
import { handleWebhook, type TriggerOptions } from './trigger/webhook';
import { eventGridConnectionTest } from './methods';

function registration(this: IHookFunctions): Registration {
	const options = this.getNodeParameter('options', {}) as TriggerOptions;
	return {
		webhookUrl: this.getNodeWebhookUrl('default') as string,
		sharedSecret: options.sharedSecret ?? '',
		events: this.getNodeParameter('events', []) as string[],
	};
}

/** Activation fails early with a clear message instead of every callback answering 401. */
function assertConfigured(this: IHookFunctions): void {
	const options = this.getNodeParameter('options', {}) as TriggerOptions;
	if (options.verifyToken !== false && !(options.resourceId ?? '').trim()) {
		throw new NodeOperationError(this.getNode(), 'Set Options > ACS Resource ID to verify callback tokens', {
			description:
				"ACS signs each callback with a token whose audience is the resource's immutable resource ID (a GUID shown in the resource's JSON view). Enter it under Options > ACS Resource ID, or turn off Verify Token (then protect the URL with a Shared Secret).",
		});
	}
}

export class AzureCallAutomationTrigger implements INodeType {
	methods = { credentialTest: { eventGridConnectionTest } };

	description: INodeTypeDescription = {
		displayName: 'Azure Call Automation Trigger',
		name: 'azureCallAutomationTrigger',
		icon: 'file:acs.svg',
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].length ? $parameter["events"].length + " event types" : "All events"}}',
		description: 'Starts the workflow on Azure Communication Services call events and incoming calls',
		defaults: { name: 'Azure Call Automation Trigger' },
		inputs: [],
		// One output, or one per event family when Split Outputs by Event Family is on. The plain "main"
		// string: NodeConnectionTypes does not exist in older n8n 1.x and would break loading there.
		outputs: `={{ ($parameter.options && $parameter.options.splitByFamily) ? ${familyOutputs} : ["main"] }}`,
		credentials: [
			{
				name: EVENT_GRID_CREDENTIAL,
				required: true,
				testedBy: 'eventGridConnectionTest',
				displayOptions: { show: { registerEventGrid: [true] } },
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
				return await eventGridSubscriptionExists.call(this, registration.call(this));
			},
			async create(this: IHookFunctions): Promise<boolean> {
				if (this.getNodeParameter('registerEventGrid', false) !== true) return true;
				return await createEventGridSubscription.call(this, registration.call(this));
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
