/**
 * "Test" in the Event Grid credential dialog: gets an Entra token with the app's client credentials,
 * then lists the resource's Event Grid subscriptions, which is what activation needs to be allowed.
 */
import type {
	ICredentialTestFunctions,
	ICredentialsDecrypted,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { subscriptionUrl, tokenRequestFor, type EventGridCredential } from '../trigger/eventGrid';

interface RawResponse {
	statusCode: number;
	body?: { access_token?: string; error?: unknown; error_description?: string };
}

function armMessage(body: RawResponse['body']): string {
	const error = body?.error as { code?: string; message?: string } | string | undefined;
	if (typeof error === 'string') return body?.error_description ?? error;
	return [error?.code, error?.message].filter(Boolean).join(': ');
}

export async function eventGridConnectionTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const c = (credential.data ?? {}) as unknown as EventGridCredential;
	const missing = (
		[
			'tenantId',
			'clientId',
			'clientSecret',
			'subscriptionId',
			'resourceGroup',
			'resourceName',
		] as const
	).filter((field) => !c[field]);
	if (missing.length > 0) return { status: 'Error', message: `Fill in: ${missing.join(', ')}` };
	// A credential test gets no httpRequest: `request` is its only HTTP helper (n8n-workflow 1.x and 2.x).
	const helpers: ICredentialTestFunctions['helpers'] = this.helpers;
	const send = async (options: object): Promise<RawResponse> =>
		(await helpers.request({
			...options,
			resolveWithFullResponse: true,
			simple: false,
			json: true,
			timeout: 15_000,
		})) as RawResponse;
	const token = tokenRequestFor(c);
	let tokenResponse: RawResponse;
	try {
		tokenResponse = await send({
			method: 'POST',
			uri: token.url,
			body: token.form,
			json: false,
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
		});
	} catch (error) {
		return {
			status: 'Error',
			message: `Could not reach ${new URL(token.url).host}: ${(error as Error).message}`,
		};
	}
	const tokenBody = (
		typeof tokenResponse.body === 'string'
			? JSON.parse(tokenResponse.body || '{}')
			: tokenResponse.body
	) as RawResponse['body'];
	if (tokenResponse.statusCode !== 200 || !tokenBody?.access_token) {
		return {
			status: 'Error',
			message: `Microsoft Entra refused the app's credentials (${tokenResponse.statusCode}${armMessage(tokenBody) ? `: ${armMessage(tokenBody)}` : ''}). Check the tenant ID, client ID and client secret.`,
		};
	}
	const list = await send({
		method: 'GET',
		uri: subscriptionUrl(c),
		headers: { authorization: `Bearer ${tokenBody.access_token}` },
	});
	if (list.statusCode === 200)
		return {
			status: 'OK',
			message: 'Connected: the app may read Event Grid subscriptions of the resource',
		};
	const hint =
		list.statusCode === 403
			? 'Give the app a role on the resource that may manage Event Grid subscriptions (e.g. EventGrid EventSubscription Contributor).'
			: list.statusCode === 404
				? 'Check the subscription ID, resource group and resource name.'
				: '';
	return {
		status: 'Error',
		message:
			`Azure Resource Manager answered ${list.statusCode}${armMessage(list.body) ? ` (${armMessage(list.body)})` : ''}. ${hint}`.trim(),
	};
}
