/** The Webhook Secret credential's Test: only secrets fit to guard a public URL pass. */
import { randomBytes } from 'node:crypto';
import type { ICredentialTestFunctions, ICredentialsDecrypted } from 'n8n-workflow';
import { webhookSecretTest } from '../../nodes/AzureCallAutomation/methods/webhookSecretTest';

const run = async (secret: unknown) =>
	await webhookSecretTest.call(
		{} as ICredentialTestFunctions,
		{
			id: '1',
			name: 'x',
			type: 'azureCallAutomationWebhookSecretApi',
			data: { secret },
		} as ICredentialsDecrypted,
	);

describe('Webhook Secret credential test', () => {
	it('passes a long random secret', async () => {
		expect(await run(randomBytes(24).toString('base64url'))).toMatchObject({ status: 'OK' });
	});

	it('refuses short, empty, spaced and repetitive secrets, saying why', async () => {
		expect(await run('change-this-secret')).toMatchObject({
			status: 'Error',
			message: expect.stringMatching(/18 characters/),
		});
		expect(await run(undefined)).toMatchObject({
			status: 'Error',
			message: expect.stringMatching(/0 characters/),
		});
		expect(await run(`${randomBytes(24).toString('base64url')} x`)).toMatchObject({
			status: 'Error',
			message: expect.stringMatching(/spaces/),
		});
		expect(await run('ab'.repeat(20))).toMatchObject({
			status: 'Error',
			message: expect.stringMatching(/random/),
		});
	});
});
