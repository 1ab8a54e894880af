import { parseConnectionString } from '../../acs/connectionString';

const KEY = 'ZW11bGF0b3ItdGVzdC1rZXktMDEyMzQ1Njc4OQ==';

describe('connection string parsing', () => {
	it.each([
		[`endpoint=https://contoso.communication.azure.com/;accesskey=${KEY}`],
		[`accesskey=${KEY};endpoint=https://contoso.communication.azure.com`],
		[`  Endpoint = https://contoso.communication.azure.com/ ; AccessKey=${KEY} ;`],
		[`ENDPOINT=https://contoso.communication.azure.com/;ACCESSKEY=${KEY}\n`],
	])('accepts %j', (text) => {
		const parsed = parseConnectionString(text);
		expect(parsed.endpoint).toBe('https://contoso.communication.azure.com/');
		expect(parsed.key.toString('utf8')).toBe('emulator-test-key-0123456789');
	});

	it('keeps a port and a path prefix', () => {
		expect(parseConnectionString(`endpoint=http://127.0.0.1:8089;accesskey=${KEY}`).endpoint).toBe(
			'http://127.0.0.1:8089/',
		);
	});

	it.each([
		['', /empty/],
		['just some text', /malformed/],
		[`accesskey=${KEY}`, /no "endpoint="/],
		['endpoint=https://contoso.communication.azure.com/', /no "accesskey="/],
		[`endpoint=contoso;accesskey=${KEY}`, /not a URL/],
		[`endpoint=ftp://contoso/;accesskey=${KEY}`, /https/],
		['endpoint=https://contoso.communication.azure.com/;accesskey=not*base64!', /not valid base64/],
	])('rejects %j with a clear message', (text, message) => {
		expect(() => parseConnectionString(text)).toThrow(message);
	});

	it('never echoes the key in an error', () => {
		const secret = 'c2VjcmV0LWtleS1uZXZlci1zaG93bg=';
		try {
			parseConnectionString(`endpoint=nope;accesskey=${secret}`);
			throw new Error('expected a failure');
		} catch (error) {
			expect((error as Error).message).not.toContain(secret);
		}
		try {
			parseConnectionString(`endpoint=https://x.communication.azure.com/;accesskey=${secret}`);
			throw new Error('expected a failure');
		} catch (error) {
			expect((error as Error).message).not.toContain(secret);
		}
	});
});
