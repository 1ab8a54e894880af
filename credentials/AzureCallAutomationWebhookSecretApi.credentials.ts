import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * The secret the trigger requires as `?secret=` on every request it accepts. Kept in a credential so
 * n8n encrypts it: workflow JSON and exports never hold it.
 */
export class AzureCallAutomationWebhookSecretApi implements ICredentialType {
	name = 'azureCallAutomationWebhookSecretApi';

	displayName = 'Azure Call Automation Webhook Secret API';

	documentationUrl = 'https://github.com/n8n-nodes-azure-call-automation/n8n-nodes-azure-call-automation#security';

	icon = 'file:acs.svg' as const;

	properties: INodeProperties[] = [
		{
			displayName: 'Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'A long random value (e.g. 32+ characters). Add it as ?secret=… to the Event Grid endpoint URL and, if you like, to the callback URLs of your calls; the trigger refuses requests without it.',
		},
	];
}
