import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * The secret that proves an Event Grid delivery to the trigger (`?secret=` in the endpoint URL). Kept in a
 * credential so n8n encrypts it: workflow JSON and exports never hold it.
 */
export class AzureCallAutomationWebhookSecretApi implements ICredentialType {
	name = 'azureCallAutomationWebhookSecretApi';

	displayName = 'Azure Call Automation Webhook Secret API';

	documentationUrl =
		'https://github.com/n8n-nodes-azure-call-automation/n8n-nodes-azure-call-automation/blob/main/docs/credentials.md';

	icon: Icon = { light: 'file:../icons/acs.svg', dark: 'file:../icons/acs.dark.svg' };

	properties: INodeProperties[] = [
		{
			displayName: 'Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'A long random value (32+ characters). The trigger registers its Event Grid endpoint with ?secret=… (or add it yourself to a subscription you make by hand) and refuses Event Grid deliveries without it, and any request with a wrong one. Call events are proved by their ACS token instead.',
		},
	];
}
