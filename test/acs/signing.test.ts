import { contentHash, EMPTY_CONTENT_HASH, signRequest } from '../../acs/signing';

// Known-answer vectors from ACS's HMAC scheme, computed independently of this package.
const key = Buffer.from('ZW11bGF0b3ItdGVzdC1rZXktMDEyMzQ1Njc4OQ==', 'base64');
const date = new Date('Tue, 24 Nov 2026 12:00:00 GMT');

describe('ACS HMAC-SHA256 signing', () => {
	it('signs a POST with a body exactly as ACS expects', () => {
		const headers = signRequest({
			method: 'post',
			url: 'https://contoso.communication.azure.com/calling/callConnections:answer?api-version=2026-03-12',
			body: '{"incomingCallContext":"ctx-123","callbackUri":"https://example.com/cb"}',
			key,
			date,
		});
		expect(headers['x-ms-date']).toBe('Tue, 24 Nov 2026 12:00:00 GMT');
		expect(headers['x-ms-content-sha256']).toBe('kaMl9uQWEqpBdz4K5XZHkuxPANm2q2rmd6VjWlUWsrE=');
		expect(headers.Authorization).toBe(
			'HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=mWppWwGI7E5YqArsP/hClfxeRqqMf7Lbs7faKo/uO9U=',
		);
	});

	it('signs an empty body with the empty-content hash', () => {
		const headers = signRequest({
			method: 'GET',
			url: 'https://contoso.communication.azure.com/calling/callConnections/conn-1?api-version=2026-03-12',
			key,
			date,
		});
		expect(headers['x-ms-content-sha256']).toBe(EMPTY_CONTENT_HASH);
		expect(headers.Authorization).toContain(
			'Signature=0OJHgLxfH6FpdmXZn6GY/QIjs4w4PUz2JmAZGit5gCg=',
		);
	});

	it('includes a non-default port in the signed host', () => {
		const a = signRequest({
			method: 'GET',
			url: 'http://127.0.0.1:8089/calling/x?api-version=1',
			key,
			date,
		});
		const b = signRequest({
			method: 'GET',
			url: 'http://127.0.0.1:8090/calling/x?api-version=1',
			key,
			date,
		});
		expect(a.Authorization).not.toBe(b.Authorization);
	});

	it('hashes UTF-8 bytes, not characters', () => {
		expect(contentHash('{"sourceDisplayName":"Zoë"}')).toBe(
			contentHash(Buffer.from('{"sourceDisplayName":"Zoë"}', 'utf8')),
		);
		expect(contentHash('')).toBe(EMPTY_CONTENT_HASH);
	});
});
