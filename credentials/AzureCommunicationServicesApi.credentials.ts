import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { parseConnectionString } from '../acs/connectionString';
import { DEFAULT_API_VERSION, DEFAULT_OPENID_CONFIGURATION_URL } from '../acs/defaults';
import { checkRequestUrl } from '../acs/pathSegment';
import { signRequest } from '../acs/signing';

/** The legacy request helper (e.g. the HTTP Request node) passes `uri` instead of `url`. */
type SignableOptions = IHttpRequestOptions & { uri?: string };

/**
 * Resolves url + baseURL + qs into one absolute URL, so what is signed is what is sent; refuses any
 * URL off the endpoint's origin or outside its `/calling/` path before anything is signed.
 */
function resolveUrl(options: SignableOptions, endpoint: string): URL {
	const url = new URL(options.url ?? options.uri ?? '', options.baseURL ?? endpoint);
	for (const [name, value] of Object.entries(options.qs ?? {})) {
		if (value !== undefined && value !== null) url.searchParams.set(name, String(value));
	}
	checkRequestUrl(url, endpoint);
	return url;
}

export class AzureCommunicationServicesApi implements ICredentialType {
	name = 'azureCommunicationServicesApi';

	displayName = 'Azure Communication Services API';

	// No #fragment: n8n appends ?utm_… to the URL, which would land inside it.
	documentationUrl =
		'https://github.com/n8n-nodes-azure-call-automation/n8n-nodes-azure-call-automation/blob/main/docs/credentials.md';

	icon: Icon = { light: 'file:../icons/acs.svg', dark: 'file:../icons/acs.dark.svg' };

	properties: INodeProperties[] = [
		{
			displayName: 'Connection String',
			name: 'connectionString',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'endpoint=https://<resource>.communication.azure.com/;accesskey=<key>',
			description:
				'Azure portal > your Communication Services resource > Settings > Keys > Connection string (primary or secondary)',
		},
		{
			displayName: 'API Version',
			name: 'apiVersion',
			type: 'string',
			default: DEFAULT_API_VERSION,
			description:
				'Call Automation REST API version sent with every request. Keep the default unless you need a specific one.',
		},
		{
			displayName: 'ACS Resource ID',
			name: 'resourceId',
			type: 'string',
			default: '',
			placeholder: 'e.g. 3c8a0c2e-1f3b-4d5e-9a7b-0123456789ab',
			description:
				"Needed only by steps with Wait for Outcome: the resource's immutable resource ID (a GUID in the resource's JSON view), the audience of the token ACS signs each event with",
		},
		{
			displayName: 'OpenID Configuration URL',
			name: 'openIdConfigurationUrl',
			type: 'string',
			default: DEFAULT_OPENID_CONFIGURATION_URL,
			description:
				'Where ACS publishes the keys its event tokens are signed with. Keep the default.',
		},
	];

	/** ACS HMAC-SHA256: signs the exact bytes sent, so the body is serialised here once. */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const { endpoint, key } = parseConnectionString(credentials.connectionString);
		const url = resolveUrl(requestOptions as SignableOptions, endpoint);
		const headers = { ...(requestOptions.headers ?? {}) };
		let body = requestOptions.body;
		if (body !== undefined && body !== null && typeof body === 'object' && !Buffer.isBuffer(body)) {
			body = JSON.stringify(body);
			headers['content-type'] = 'application/json';
		}
		const bytes = typeof body === 'string' || Buffer.isBuffer(body) ? body : undefined;
		const signed = signRequest({
			method: requestOptions.method ?? 'GET',
			url: url.href,
			body: bytes,
			key,
		});
		return {
			...requestOptions,
			...('uri' in requestOptions ? { uri: url.href } : {}),
			url: url.href,
			baseURL: undefined,
			qs: undefined,
			body: bytes,
			headers: { ...headers, ...signed },
		};
	}
}
