import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { router } from './actions/router';
import { versionDescription } from './actions/versionDescription';
import { acsConnectionTest } from './methods';

export class AzureCallAutomation implements INodeType {
	description: INodeTypeDescription = versionDescription;

	methods = { credentialTest: { acsConnectionTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
