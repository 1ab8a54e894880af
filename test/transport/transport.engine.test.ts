/**
 * The credential + transport inside n8n's engine against the emulator: signing accepted, wrong key
 * refused, retries under injected faults, and a retried create never places a second call.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';

import { AzureCommunicationServicesApi } from '../../credentials/AzureCommunicationServicesApi.credentials';
import { startEmulator, type Emulator } from '../../emulator';
import { acsRequest, type RetryPolicy } from '../../nodes/AzureCallAutomation/transport';
import { engineLabel, runNode } from '../harness/engine';

// Short back-off; a budget (in time) that a seeded run of random faults never exhausts.
const FAST_RETRIES: RetryPolicy = {
	budgetMs: 30_000,
	baseDelayMs: 5,
	maxDelayMs: 50,
	timeoutMs: 10_000,
};

/** Sends the request described by each item's json through the real transport. */
class TransportProbe implements INodeType {
	description = {
		displayName: 'Transport Probe',
		name: 'transportProbe',
		group: ['transform'],
		version: 1,
		description: 'probe',
		defaults: { name: 'Transport Probe' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'azureCommunicationServicesApi', required: true }],
		properties: [],
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const out: INodeExecutionData[] = [];
		for (const [i, item] of this.getInputData().entries()) {
			const request = item.json as unknown as Parameters<typeof acsRequest>[0];
			try {
				const json = await acsRequest.call<
					IExecuteFunctions,
					[Parameters<typeof acsRequest>[0], RetryPolicy],
					Promise<IDataObject>
				>(this, { ...request, itemIndex: i }, FAST_RETRIES);
				out.push({ json, pairedItem: { item: i } });
			} catch (error) {
				const e = error as { message: string; httpCode?: string; description?: string };
				out.push({
					json: {
						error: e.message,
						httpCode: e.httpCode ?? null,
						description: e.description ?? null,
					},
					pairedItem: { item: i },
				});
			}
		}
		return [out];
	}
}

const createCall = (context: string): IDataObject => ({
	method: 'POST',
	path: '/calling/callConnections',
	repeatable: true,
	body: {
		targets: [
			{
				kind: 'phoneNumber',
				rawId: '4:+14255550100',
				phoneNumber: { value: '+14255550100', isAnonymous: false },
			},
		],
		sourceCallerIdNumber: { value: '+14255550199', isAnonymous: false },
		callbackUri: 'https://example.com/callback',
		operationContext: context,
	},
});

describe(`credential and transport against the emulator (${engineLabel})`, () => {
	let emu: Emulator;
	beforeAll(async () => {
		// Callbacks go to example.com: the emulator records them as skipped, which is enough to await them.
		emu = await startEmulator({ port: 0 });
	});
	afterAll(async () => await emu.close());
	beforeEach(() => {
		emu.reset();
		emu.setFaults({});
	});

	const run = async (items: IDataObject[], connectionString = emu.connectionString) =>
		await runNode({
			type: 'transportProbe',
			nodeType: new TransportProbe(),
			parameters: {},
			items,
			credentials: {
				azureCommunicationServicesApi: {
					type: new AzureCommunicationServicesApi(),
					data: { connectionString, apiVersion: '2026-03-12' },
				},
			},
		});

	const callsWith = (context: string) => {
		const state = emu.state();
		return [...state.calls, ...state.endedCalls].filter((c) => c.operationContext === context);
	};

	it('signs requests the emulator accepts, including a UTF-8 body', async () => {
		const body = createCall('ctx-ok');
		(body.body as IDataObject).sourceDisplayName = 'Zoë Ødegård — 客服';
		const { outputs, error } = await run([body]);
		expect(error).toBeUndefined();
		expect(outputs[0][0].json.callConnectionId).toEqual(expect.any(String));
		expect(callsWith('ctx-ok')).toHaveLength(1);
	});

	it('a wrong key is refused with a hint about the connection string', async () => {
		const wrongKey = emu.connectionString.replace(
			/accesskey=.*/,
			`accesskey=${Buffer.from('wrong-key').toString('base64')}`,
		);
		const { outputs } = await run([createCall('ctx-bad-key')], wrongKey);
		expect(outputs[0][0].json.httpCode).toBe('401');
		expect(String(outputs[0][0].json.description)).toMatch(/connection string/);
		expect(callsWith('ctx-bad-key')).toHaveLength(0);
	});

	it('maps an unknown call id to 404 with a hint that the call may have ended', async () => {
		const { outputs } = await run([
			{ method: 'GET', path: '/calling/callConnections/no-such-call' },
		]);
		expect(outputs[0][0].json.httpCode).toBe('404');
		expect(String(outputs[0][0].json.description)).toMatch(/call may have ended/);
	});

	it('retries throttling and unavailability, then succeeds', async () => {
		emu.setFaults({ throttleRate: 0.5, unavailableRate: 0.2, seed: 7 });
		const items = Array.from({ length: 20 }, (_, i) => createCall(`ctx-retry-${i}`));
		const { outputs } = await run(items);
		expect(outputs[0].filter((o) => o.json.error)).toEqual([]);
		for (let i = 0; i < 20; i++) expect(callsWith(`ctx-retry-${i}`)).toHaveLength(1);
		expect(emu.state().faultsInjected.throttle).toBeGreaterThan(0);
		expect(emu.state().faultsInjected.unavailable).toBeGreaterThan(0);
	});

	it('creates whose responses were lost are retried with the same repeatability id: one call each, not two', async () => {
		emu.setFaults({ dropAfterCommitRate: 0.5, seed: 11 });
		const before = emu.state().faultsInjected.dropAfterCommit;
		const items = Array.from({ length: 10 }, (_, i) => createCall(`ctx-commit-drop-${i}`));
		const { outputs } = await run(items);
		expect(outputs[0].filter((o) => o.json.error)).toEqual([]);
		expect(emu.state().faultsInjected.dropAfterCommit).toBeGreaterThan(before);
		for (let i = 0; i < 10; i++) expect(callsWith(`ctx-commit-drop-${i}`)).toHaveLength(1);
	});

	it('does not blindly repeat a non-repeatable action whose response was lost', async () => {
		const created = await run([createCall('ctx-play-drop')]);
		const id = String(created.outputs[0][0].json.callConnectionId);
		await emu.waitForEvent('Microsoft.Communication.CallConnected', { callConnectionId: id });
		emu.setFaults({ dropAfterCommitRate: 1 });
		const play = {
			method: 'POST',
			path: `/calling/callConnections/${id}:play`,
			body: {
				playSources: [{ kind: 'file', file: { uri: 'https://example.com/a.wav' } }],
				playTo: [],
				playOptions: { loop: false },
			},
		};
		const { outputs } = await run([play]);
		emu.setFaults({});
		expect(outputs[0][0].json).toEqual(expect.objectContaining({ httpCode: 'ECONNRESET' }));
		const call = emu.state().calls.find((c) => c.callConnectionId === id) as {
			mediaOperations: { plays: unknown[] };
		};
		expect(call.mediaOperations.plays).toHaveLength(1);
	});
});
