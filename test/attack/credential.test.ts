/**
 * The credential's authenticate is the last gate before a signature exists: whatever url, uri or
 * baseURL a caller passes (this node, the HTTP Request node with the predefined credential, a
 * nextLink), it signs only for its endpoint's origin under /calling/.
 */
import type { IHttpRequestOptions } from 'n8n-workflow';

import { AzureCommunicationServicesApi } from '../../credentials/AzureCommunicationServicesApi.credentials';

const KEY = Buffer.from('attack-credential-secret-key-0123').toString('base64');
const ENDPOINT = 'https://contoso.communication.azure.com/';
const credential = new AzureCommunicationServicesApi();
const sign = async (options: Record<string, unknown>, endpoint = ENDPOINT) =>
	await credential.authenticate({ connectionString: `endpoint=${endpoint};accesskey=${KEY}` }, {
		method: 'GET',
		...options,
	} as IHttpRequestOptions);

describe('credential authenticate signs only for its endpoint under /calling/', () => {
	it.each([
		[
			'an absolute url to another host',
			{ url: 'https://evil.example/calling/callConnections/x' },
			/Refused to sign a request for evil\.example/,
		],
		[
			'a protocol-relative url',
			{ url: '//evil.example/calling/callConnections/x' },
			/evil\.example/,
		],
		[
			'another baseURL',
			{ baseURL: 'https://evil.example/', url: '/calling/callConnections/x' },
			/evil\.example/,
		],
		[
			'a legacy uri to another host',
			{ uri: 'https://evil.example/calling/callConnections/x' },
			/evil\.example/,
		],
		[
			'the same host over http',
			{ url: 'http://contoso.communication.azure.com/calling/callConnections/x' },
			/Refused to sign/,
		],
		[
			'another port',
			{ url: 'https://contoso.communication.azure.com:8443/calling/callConnections/x' },
			/Refused to sign/,
		],
		[
			'a host that only starts like the endpoint',
			{ url: 'https://contoso.communication.azure.com.evil.example/calling/x' },
			/Refused to sign/,
		],
		[
			'user info',
			{ url: 'https://me:pw@contoso.communication.azure.com/calling/callConnections/x' },
			/user info/,
		],
		[
			'a path outside /calling/',
			{ url: '/sms?api-version=2026-03-12' },
			/outside the endpoint's \/calling\/ path/,
		],
		['/calling/ itself', { url: '/calling/' }, /outside/],
		['an empty segment', { url: '/calling//callConnections' }, /outside/],
		['a trailing empty segment', { url: '/calling/callConnections/' }, /outside/],
		['dot segments', { url: '/calling/../sms' }, /outside/],
		['encoded dot segments', { url: '/calling/%2e%2E/sms' }, /outside/],
		['double-encoded dot segments', { url: '/calling/callConnections/%252e%252e' }, /outside/],
		['an encoded slash to a dot segment', { url: '/calling/callConnections/x%2F..' }, /outside/],
		['an encoded CR/LF', { url: '/calling/callConnections/x%0D%0AX-Injected:%20yes' }, /outside/],
	])('refuses %s before signing', async (_name, options, message) => {
		await expect(sign(options)).rejects.toThrow(message);
	});

	it('keeps a path prefix of the endpoint and refuses to leave it', async () => {
		const prefixed = 'https://gateway.example.com/acs/';
		// A root-relative path would leave the prefix: refused.
		await expect(sign({ url: '/calling/callConnections/x' }, prefixed)).rejects.toThrow(/outside/);
		await expect(sign({ url: '../calling/callConnections/x' }, prefixed)).rejects.toThrow(
			/outside/,
		);
		await expect(sign({ url: 'calling/callConnections/x' }, prefixed)).resolves.toMatchObject({
			url: 'https://gateway.example.com/acs/calling/callConnections/x',
		});
	});

	it('signs a request under /calling/ on its endpoint, for url and for a legacy uri alike', async () => {
		const viaUrl = await sign({
			url: '/calling/callConnections/abc:play',
			qs: { 'api-version': '2026-03-12' },
		});
		expect(viaUrl.url).toBe(`${ENDPOINT}calling/callConnections/abc:play?api-version=2026-03-12`);
		expect(String(viaUrl.headers?.Authorization)).toMatch(
			/^HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=/,
		);
		const viaUri = (await sign({
			uri: `${ENDPOINT}calling/recordings/r1`,
		})) as IHttpRequestOptions & { uri?: string };
		expect(viaUri.uri).toBe(`${ENDPOINT}calling/recordings/r1`);
		expect(viaUri.url).toBe(viaUri.uri);
	});
});
