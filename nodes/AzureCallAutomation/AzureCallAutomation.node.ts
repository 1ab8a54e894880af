import type {
	IExecuteFunctions,
	IHookFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { findOperation, router } from './actions/router';
import { properties, subtitle } from './actions/versionDescription';
import { acsConnectionTest } from './methods';
import { executeAndWait, isWaitingStep } from './waiting/execute';
import { waitingWebhook } from './waiting/webhook';

export class AzureCallAutomation implements INodeType {
	// Written out here rather than imported: n8n's community lint reads the icon and the credentials
	// (name, testedBy) from this object literal.
	description: INodeTypeDescription = {
		displayName: 'Azure Call Automation',
		name: 'azureCallAutomation',
		icon: { light: 'file:../../icons/acs.svg', dark: 'file:../../icons/acs.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle,
		description:
			'Place and control phone calls with Azure Communication Services: call, play audio, collect key presses, add or remove participants, record',
		defaults: { name: 'Azure Call Automation' },
		// The string form works in every n8n line (NodeConnectionTypes only exists in newer ones).
		inputs: ['main'] as INodeTypeDescription['inputs'],
		outputs: ['main'] as INodeTypeDescription['outputs'],
		usableAsTool: true,
		// The name is transport's CREDENTIAL_NAME (the lint needs the literal).
		credentials: [
			{ name: 'azureCommunicationServicesApi', required: true, testedBy: 'acsConnectionTest' },
		],
		// Where a step with Wait for Outcome is resumed: the execution's resume URL (/webhook-waiting/<id>),
		// events by POST, the node's own readiness probe by GET.
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: '',
				restartWebhook: true,
			},
			{
				name: 'default',
				httpMethod: 'GET',
				responseMode: 'onReceived',
				path: '',
				restartWebhook: true,
			},
		],
		properties,
	};

	methods = { credentialTest: { acsConnectionTest } };

	// The webhooks above only resume waiting executions (restartWebhook): nothing is registered with a
	// third party on activation, so there is nothing to check, create or delete.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		if (isWaitingStep(this)) {
			return await executeAndWait.call(
				this,
				async (ctx, resource, operation) =>
					await findOperation(ctx, resource, operation).call(ctx, 0),
			);
		}
		return await router.call(this);
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await waitingWebhook.call(this);
	}
}
