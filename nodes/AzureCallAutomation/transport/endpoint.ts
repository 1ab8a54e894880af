/**
 * Where a run's requests go and what signs them: the credential, read once per run, and the request
 * URLs (api-version included), built once per path.
 */
import type { IAdditionalCredentialOptions } from 'n8n-workflow';

import { DEFAULT_API_VERSION } from '../../../acs/defaults';
import { parseConnectionString } from '../../../acs/connectionString';
import { checkRequestUrl } from '../../../acs/pathSegment';
import type { NodeRun } from '../helpers/run';
import type { AcsContext, AcsRequest } from './types';

export const CREDENTIAL_NAME = 'azureCommunicationServicesApi';

export interface Endpoint {
	endpoint: string;
	apiVersion: string;
	/**
	 * The credential as read for this run, handed to n8n's httpRequestWithAuthentication with every request
	 * (its `credentialsDecrypted` option), so n8n signs through the credential's `authenticate` without
	 * reading and decrypting the credential again for each request.
	 */
	credentials: IAdditionalCredentialOptions;
	/** Request URLs (api-version included) by path, built once per run. */
	urls: Map<string, string>;
}

/**
 * The credential is read once per node run, not once per request: every read decrypts it (and in n8n 1.x
 * loads it from the database), and a run can send thousands of requests through the same context. Once
 * read it is the run's `endpoint`: the run's later requests take it without an await.
 */
export async function readEndpoint(ctx: AcsContext, run: NodeRun): Promise<Endpoint> {
	let endpoint = run.endpointRead;
	if (endpoint === undefined) {
		endpoint = (async () => {
			const credentials = await ctx.getCredentials(CREDENTIAL_NAME);
			const read: Endpoint = {
				endpoint: parseConnectionString(credentials.connectionString).endpoint,
				apiVersion: String(credentials.apiVersion || DEFAULT_API_VERSION),
				credentials: {
					credentialsDecrypted: {
						id: '',
						name: CREDENTIAL_NAME,
						type: CREDENTIAL_NAME,
						data: credentials,
					},
				},
				urls: new Map(),
			};
			run.endpoint = read;
			return read;
		})();
		run.endpointRead = endpoint;
		// A failure is not kept: each item reports its own error, as before.
		endpoint.catch(() => {
			if (run.endpointRead === endpoint) run.endpointRead = undefined;
		});
	}
	return await endpoint;
}

/** The URL a request goes to: its path under the endpoint (built once per path), or a checked nextLink. */
export function requestUrl({ endpoint, apiVersion, urls }: Endpoint, request: AcsRequest): string {
	if (request.url) {
		// A nextLink comes from a response: it must not make the credential sign for another host or path.
		checkRequestUrl(new URL(request.url), endpoint);
		return request.url;
	}
	const path = request.path ?? '/';
	let known = urls.get(path);
	if (known === undefined) {
		const full = new URL(path.replace(/^\//, ''), endpoint);
		full.searchParams.set('api-version', apiVersion);
		known = full.href;
		if (urls.size < 64) urls.set(path, known);
	}
	return known;
}
