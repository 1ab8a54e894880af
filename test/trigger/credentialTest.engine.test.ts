/**
 * The Event Grid credential's "Test" button, through n8n-core's own CredentialTestContext, against the
 * emulator's Entra token endpoint and ARM routes.
 */
import * as core from 'n8n-core';

import { startEmulator, type Emulator } from '../../emulator';
import { AzureCallAutomationTrigger } from '../../nodes/AzureCallAutomation/AzureCallAutomationTrigger.node';
import { engineLabel, makeAdditionalData } from '../harness/engine';

describe(`Event Grid credential test (${engineLabel})`, () => {
	let emu: Emulator;

	beforeAll(async () => {
		emu = await startEmulator();
	});
	afterAll(async () => await emu.close());

	const test = async (data: Record<string, string>) => {
		const ctx = new (
			core as unknown as { CredentialTestContext: new (data: unknown) => unknown }
		).CredentialTestContext(makeAdditionalData({}, { id: 'wf', nodes: [], connections: {} }));
		return await new AzureCallAutomationTrigger().methods.credentialTest.eventGridConnectionTest.call(
			ctx as never,
			{
				id: 'cred-eg',
				name: 'Event Grid',
				type: 'azureCallAutomationEventGridApi',
				data,
			},
		);
	};

	it('connects with the app registration the emulator knows', async () => {
		// OK only after the emulator issued a token and its ARM route accepted it for the resource.
		expect(await test({ ...emu.arm })).toEqual({
			status: 'OK',
			message: expect.stringContaining('Connected'),
		});
	});

	it('reports a wrong client secret as refused by Entra', async () => {
		const result = await test({ ...emu.arm, clientSecret: 'not-the-secret' });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/refused the app's credentials.*client secret/);
	});

	it('points at the resource fields when the resource does not exist', async () => {
		const result = await test({ ...emu.arm, resourceName: 'no-such-resource' });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/404.*resource name/);
	});

	it('names empty fields without sending anything', async () => {
		// Nothing listens on port 1: had a request been sent, the message would say it could not be reached.
		const nowhere = 'http://127.0.0.1:1';
		const result = await test({
			...emu.arm,
			tenantId: '',
			resourceGroup: '',
			authorityUrl: nowhere,
			managementUrl: nowhere,
		});
		expect(result).toEqual({ status: 'Error', message: 'Fill in: tenantId, resourceGroup' });
	});
});
