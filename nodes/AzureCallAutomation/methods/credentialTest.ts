/**
 * "Test" in the credential dialog: a signed GET of a call id that cannot exist. ACS answers 404
 * with its error body when the key is right and 401 when it is not, so that 404 means "connected".
 */
import type {
	ICredentialTestFunctions,
	ICredentialsDecrypted,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { ConnectionStringError, parseConnectionString } from '../../../acs/connectionString';
import { DEFAULT_API_VERSION } from '../../../acs/defaults';
import { signRequest } from '../../../acs/signing';

export const PROBE_CALL_ID = 'n8n-credential-test-00000000-0000-0000-0000-000000000000';

function isAcsError(body: unknown): boolean {
	let parsed = body;
	if (typeof body === 'string') {
		try {
			parsed = JSON.parse(body);
		} catch {
			return false;
		}
	}
	const error = (parsed as { error?: { code?: unknown } } | null)?.error;
	return typeof error?.code === 'string';
}

export async function acsConnectionTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	let endpoint: string;
	let key: Buffer;
	try {
		({ endpoint, key } = parseConnectionString(data.connectionString));
	} catch (error) {
		// parseConnectionString throws only ConnectionStringError, whose messages never echo the key.
		const message =
			error instanceof ConnectionStringError
				? error.message
				: 'The connection string could not be read.';
		return { status: 'Error', message };
	}
	const url = new URL(`calling/callConnections/${PROBE_CALL_ID}`, endpoint);
	url.searchParams.set('api-version', String(data.apiVersion || DEFAULT_API_VERSION));
	const headers = signRequest({ method: 'GET', url: url.href, body: undefined, key });
	// A credential test gets no httpRequest: `request` is its only HTTP helper (n8n-workflow 1.x and 2.x).
	const helpers: ICredentialTestFunctions['helpers'] = this.helpers;
	let response: { statusCode: number; body?: unknown };
	try {
		response = (await helpers.request({
			method: 'GET',
			uri: url.href,
			headers: { ...headers, accept: 'application/json' },
			resolveWithFullResponse: true,
			simple: false,
			json: true,
			timeout: 15_000,
		})) as { statusCode: number; body?: unknown };
	} catch (error) {
		return {
			status: 'Error',
			message: `Could not reach ${url.host}: ${(error as Error).message}. Check the endpoint in the connection string.`,
		};
	}
	const status = response.statusCode;
	// Only ACS answers the probe with its own error body; any other server (a proxy, a web site)
	// answering 200 or a bare 404 is not an ACS endpoint.
	if (status === 404 && isAcsError(response.body)) {
		return { status: 'OK', message: `Connected to ${url.host}` };
	}
	if (status === 401) {
		return {
			status: 'Error',
			message:
				"The access key was rejected (401). Copy the connection string again from Azure portal > Keys, and check this machine's clock.",
		};
	}
	if (status === 403) {
		return {
			status: 'Error',
			message:
				"The key was accepted but the request was forbidden (403). Check the resource's permissions.",
		};
	}
	return {
		status: 'Error',
		message: `Unexpected answer from ${url.host}: HTTP ${status}. Is this an Azure Communication Services endpoint?`,
	};
}
