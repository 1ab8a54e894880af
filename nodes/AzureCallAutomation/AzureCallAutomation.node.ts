import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { router } from './actions/router';
import { properties } from './actions/versionDescription';
import { acsConnectionTest } from './methods';

export class AzureCallAutomation implements INodeType {
	// Written out here rather than imported: n8n's community lint reads the icon and the credentials
	// (name, testedBy) from this object literal.
	description: INodeTypeDescription = {
		displayName: 'Azure Call Automation',
		name: 'azureCallAutomation',
		icon: 'file:../../icons/acs.svg',
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Place and control phone calls with Azure Communication Services: call, play audio, collect key presses, add or remove participants, record',
		defaults: { name: 'Azure Call Automation' },
		// The string form works in every n8n line (NodeConnectionTypes only exists in newer ones).
		inputs: ['main'] as INodeTypeDescription['inputs'],
		outputs: ['main'] as INodeTypeDescription['outputs'],
		usableAsTool: true,
		// The name is transport's CREDENTIAL_NAME (the lint needs the literal).
		credentials: [{ name: 'azureCommunicationServicesApi', required: true, testedBy: 'acsConnectionTest' }],
		properties,
	};

	methods = { credentialTest: { acsConnectionTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
