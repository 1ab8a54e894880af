/**
 * The transport reads the credential once per node run, not once per request: in n8n every read is a
 * database read plus a decryption. A failed read is not kept, so every item still reports its own error.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';

import { AzureCommunicationServicesApi } from '../../credentials/AzureCommunicationServicesApi.credentials';
import { startEmulator, type Emulator } from '../../emulator';
import { CREDENTIAL_NAME, acsRequest } from '../../nodes/AzureCallAutomation/transport';
import { engineLabel, runNode } from '../harness/engine';

/** GETs one unknown call per item, either through acsRequest or straight through n8n's helper. */
class ReadProbe implements INodeType {
	description = {
		displayName: 'Read Probe',
		name: 'readProbe',
		group: ['transform'],
		version: 1,
		description: 'probe',
		defaults: { name: 'Read Probe' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: CREDENTIAL_NAME, required: true }],
		properties: [{ displayName: 'Via', name: 'via', type: 'string', default: 'transport' }],
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const via = this.getNodeParameter('via', 0) as string;
		const url = this.getNodeParameter('url', 0, '') as string;
		const out: INodeExecutionData[] = [];
		for (const [i] of this.getInputData().entries()) {
			try {
				if (via === 'transport') {
					await acsRequest.call(this, {
						method: 'GET',
						path: `/calling/callConnections/none-${i}`,
						itemIndex: i,
					});
				} else {
					await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_NAME, {
						method: 'GET',
						url,
						ignoreHttpStatusErrors: true,
					});
				}
				out.push({ json: { ok: true }, pairedItem: { item: i } });
			} catch (error) {
				out.push({ json: { error: (error as Error).message }, pairedItem: { item: i } });
			}
		}
		return [out];
	}
}

describe(`credential reads per node run (${engineLabel})`, () => {
	let emu: Emulator;
	beforeAll(async () => {
		emu = await startEmulator({ port: 0, deliverEvents: false });
	});
	afterAll(async () => await emu.close());

	/** Runs the probe over `items` items and counts how often the engine read the credential. */
	const countReads = async (
		via: string,
		items: number,
		connectionString = emu.connectionString,
	) => {
		let reads = 0;
		const data = { apiVersion: '2026-03-12' } as IDataObject;
		Object.defineProperty(data, 'connectionString', {
			enumerable: true,
			get: () => {
				reads++;
				return connectionString;
			},
		});
		const { outputs } = await runNode({
			type: 'readProbe',
			nodeType: new ReadProbe(),
			parameters: { via, url: `${emu.url}calling/callConnections/none?api-version=2026-03-12` },
			items: Array.from({ length: items }, (_, n) => ({ n })),
			credentials: {
				[CREDENTIAL_NAME]: { type: new AzureCommunicationServicesApi(), data: data as never },
			},
		});
		return { reads, outputs: outputs[0] };
	};

	it("reads it once per run, where n8n's helper alone reads it for every request", async () => {
		const n8nOwn = await countReads('helper', 5);
		const transport = await countReads('transport', 5);
		// Both runs send 5 requests that reach the emulator (404 for the unknown calls), signed by the credential.
		expect(transport.outputs.map((o) => o.json.error)).toEqual(
			Array(5).fill(expect.stringContaining('404')),
		);
		expect(n8nOwn.reads).toBe(5);
		// The run's read is handed to httpRequestWithAuthentication (credentialsDecrypted) with every request.
		expect(transport.reads).toBe(1);
	});

	it('does not keep a failed read: every item reports the bad connection string', async () => {
		const { outputs } = await countReads('transport', 3, 'endpoint=not a url;accesskey=AAAA');
		expect(outputs.map((o) => o.json.error)).toEqual(
			Array(3).fill(expect.stringMatching(/not a URL/)),
		);
	});
});
