/** Runs the Azure Call Automation node in n8n's engine against an emulator (or any ACS endpoint). */
import type { IDataObject, INode } from 'n8n-workflow';

import { AzureCommunicationServicesApi } from '../../credentials/AzureCommunicationServicesApi.credentials';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../emulator';
import { AzureCallAutomation } from '../../nodes/AzureCallAutomation/AzureCallAutomation.node';
import { runNode, type CredentialEntry, type RunNodeResult } from './engine';

export const CALLEE = '+14255550100';
export const CALLER_ID = '+14255550199';
/** Not reachable from the emulator: its events are recorded (as skipped) and can be awaited. */
export const CALLBACK = 'https://callbacks.example.com/acs';
export const WAV = 'https://audio.example.com/greeting.wav';
export const AI_ENDPOINT = 'https://ai.example.cognitiveservices.azure.com/';

export function acsCredentials(connectionString: string): Record<string, CredentialEntry> {
	return {
		azureCommunicationServicesApi: {
			type: new AzureCommunicationServicesApi(),
			data: { connectionString },
		},
	};
}

export interface ActionRun {
	parameters: IDataObject;
	items?: IDataObject[];
	settings?: Partial<INode>;
}

/** One run of the node; `target` is an emulator or a bare connection string. */
export async function runAction(target: Emulator | string, run: ActionRun): Promise<RunNodeResult> {
	const connectionString = typeof target === 'string' ? target : target.connectionString;
	return await runNode({
		type: 'azureCallAutomation',
		nodeType: new AzureCallAutomation(),
		parameters: run.parameters,
		items: run.items,
		settings: run.settings,
		credentials: acsCredentials(connectionString),
	});
}

/** The json of the node's first output, failing loudly with the run's error if there is one. */
export function outputJson(result: RunNodeResult): IDataObject[] {
	if (result.error) throw result.error;
	return (result.outputs[0] ?? []).map((item) => item.json);
}

/** Places a call through the node and waits until it is connected; returns its id. */
export async function connectedCall(
	emu: Emulator,
	options: { targets?: string; operationContext?: string; cognitiveServices?: boolean } = {},
): Promise<string> {
	const result = await runAction(emu, {
		parameters: {
			resource: 'call',
			operation: 'create',
			targets: options.targets ?? CALLEE,
			callbackUrl: CALLBACK,
			sourceCallerIdNumber: CALLER_ID,
			additionalFields: {
				operationContext: options.operationContext ?? 'test-call',
				...(options.cognitiveServices === false ? {} : { cognitiveServicesEndpoint: AI_ENDPOINT }),
			},
		},
	});
	const [created] = outputJson(result);
	const id = String(created.callConnectionId);
	await emu.waitForEvent('CallConnected', { callConnectionId: id });
	return id;
}

/** The emulator's snapshot of one live call. */
export function callSnapshot(
	emu: Emulator,
	callConnectionId: string,
): Record<string, unknown> | undefined {
	return emu.state().calls.find((c) => c.callConnectionId === callConnectionId);
}

/** One emulator per describe block: started before its tests, reset (faults too) before each, closed after. */
export function withEmulator(options: EmulatorOptions, started: (emu: Emulator) => void): void {
	let emu: Emulator;
	beforeAll(async () => {
		emu = await startEmulator(options);
		started(emu);
	});
	afterAll(async () => await emu.close());
	beforeEach(() => emu.reset());
}

export interface ResourceRunOptions {
	items?: IDataObject[];
	continueOnFail?: boolean;
}

/** Runs one operation of `resource`; `continueOnFail` turns on the node setting. */
export async function runResource(
	emu: Emulator,
	resource: string,
	parameters: IDataObject,
	options: ResourceRunOptions = {},
): Promise<RunNodeResult> {
	return await runAction(emu, {
		parameters: { resource, ...parameters },
		items: options.items,
		settings: options.continueOnFail ? { continueOnFail: true } : undefined,
	});
}

/** Runs the node expecting an input error naming the field: nothing may reach ACS. */
export async function expectRefused(
	emu: Emulator,
	run: () => Promise<RunNodeResult>,
	message: RegExp,
) {
	const before = emu.state().requests.total;
	const result = await run();
	expect(result.error?.name).toBe('NodeOperationError');
	expect(result.error?.message).toMatch(message);
	expect(emu.state().requests.total).toBe(before);
	return result.error;
}
