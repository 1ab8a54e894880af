import type { IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';

import { AzureCommunicationServicesApi } from '../../credentials/AzureCommunicationServicesApi.credentials';
import { engineLabel, runNode } from './engine';

/** A probe node that doubles a number; proves the harness runs nodes and evaluates expressions. */
class Probe implements INodeType {
	description = {
		displayName: 'Probe',
		name: 'probe',
		group: ['transform'],
		version: 1,
		description: 'probe',
		defaults: { name: 'Probe' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [{ displayName: 'Value', name: 'value', type: 'number', default: 0 }],
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [
			this.getInputData().map((_, i) => ({
				json: { doubled: (this.getNodeParameter('value', i) as number) * 2 },
				pairedItem: { item: i },
			})),
		];
	}
}

describe(`engine harness (${engineLabel})`, () => {
	it('runs a node per item with expressions evaluated by n8n', async () => {
		const { outputs, error } = await runNode({
			type: 'probe',
			nodeType: new Probe(),
			parameters: { value: '={{ $json.n + 1 }}' },
			items: [{ n: 1 }, { n: 20 }],
			credentials: {
				azureCommunicationServicesApi: { type: new AzureCommunicationServicesApi(), data: {} },
			},
		});
		expect(error).toBeUndefined();
		expect(outputs[0].map((i) => i.json.doubled)).toEqual([4, 42]);
	});
});
