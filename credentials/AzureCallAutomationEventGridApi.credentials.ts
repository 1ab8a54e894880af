import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * A Microsoft Entra app registration (client credentials) allowed to manage Event Grid subscriptions on
 * the Communication Services resource; the trigger uses it to subscribe its URL to incoming calls.
 */
export class AzureCallAutomationEventGridApi implements ICredentialType {
	name = 'azureCallAutomationEventGridApi';

	displayName = 'Azure Event Grid (Call Automation) API';

	documentationUrl = 'https://learn.microsoft.com/entra/identity-platform/quickstart-register-app';

	icon: Icon = { light: 'file:../icons/acs.svg', dark: 'file:../icons/acs.dark.svg' };

	properties: INodeProperties[] = [
		{
			displayName: 'Tenant ID',
			name: 'tenantId',
			type: 'string',
			default: '',
			required: true,
			description: 'Directory (tenant) ID of the app registration',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description: 'Application (client) ID of the app registration',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Subscription ID',
			name: 'subscriptionId',
			type: 'string',
			default: '',
			required: true,
			description: 'Azure subscription that holds the Communication Services resource',
		},
		{
			displayName: 'Resource Group',
			name: 'resourceGroup',
			type: 'string',
			default: '',
			required: true,
		},
		{
			displayName: 'Resource Name',
			name: 'resourceName',
			type: 'string',
			default: '',
			required: true,
			description: 'Name of the Communication Services resource',
		},
		{
			displayName: 'Authority URL',
			name: 'authorityUrl',
			type: 'string',
			default: 'https://login.microsoftonline.com',
			description: 'Microsoft Entra authority (change only for sovereign clouds)',
		},
		{
			displayName: 'Management URL',
			name: 'managementUrl',
			type: 'string',
			default: 'https://management.azure.com',
			description: 'Azure Resource Manager endpoint (change only for sovereign clouds)',
		},
	];
}
