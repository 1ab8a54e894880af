import {
	bodySha256,
	computeSignature,
	startEmulator,
	stringToSign,
	verifyHmacRequest,
	type Emulator,
} from '../../emulator';
import { signedRequest } from './receiver';

const KEY_B64 = 'ZW11bGF0b3ItdGVzdC1rZXktMDEyMzQ1Njc4OQ==';
const KEY = Buffer.from(KEY_B64, 'base64');
const HOST = 'contoso.communication.azure.com';
const DATE = 'Tue, 24 Nov 2026 12:00:00 GMT';
const NOW = Date.parse(DATE);

describe('emulator HMAC verification: known-answer vectors (reference §2)', () => {
	const answerBody = '{"incomingCallContext":"ctx-123","callbackUri":"https://example.com/cb"}';
	const answerPath = '/calling/callConnections:answer?api-version=2026-03-12';

	it('computes the documented body hash and signature', () => {
		expect(bodySha256(answerBody)).toBe('kaMl9uQWEqpBdz4K5XZHkuxPANm2q2rmd6VjWlUWsrE=');
		const sts = stringToSign('POST', answerPath, [DATE, HOST, bodySha256(answerBody)]);
		expect(computeSignature(sts, KEY)).toBe('mWppWwGI7E5YqArsP/hClfxeRqqMf7Lbs7faKo/uO9U=');
		expect(bodySha256('')).toBe('47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=');
		const get = stringToSign('GET', '/calling/callConnections/conn-1?api-version=2026-03-12', [
			DATE,
			HOST,
			bodySha256(''),
		]);
		expect(computeSignature(get, KEY)).toBe('0OJHgLxfH6FpdmXZn6GY/QIjs4w4PUz2JmAZGit5gCg=');
	});

	const request = (
		over: Partial<{
			method: string;
			path: string;
			body: string;
			auth: string;
			date: string;
			hash: string;
		}> = {},
	) => ({
		method: over.method ?? 'POST',
		pathAndQuery: over.path ?? answerPath,
		rawBody: Buffer.from(over.body ?? answerBody),
		headers: {
			host: HOST,
			'x-ms-date': over.date ?? DATE,
			'x-ms-content-sha256': over.hash ?? 'kaMl9uQWEqpBdz4K5XZHkuxPANm2q2rmd6VjWlUWsrE=',
			authorization:
				over.auth ??
				'HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=mWppWwGI7E5YqArsP/hClfxeRqqMf7Lbs7faKo/uO9U=',
		},
	});

	it('accepts the vector request and rejects every tampered variant', () => {
		expect(verifyHmacRequest(request(), KEY, NOW)).toBeUndefined();
		expect(verifyHmacRequest(request(), Buffer.from('another key'), NOW)?.status).toBe(401);
		expect(verifyHmacRequest(request({ method: 'PUT' }), KEY, NOW)?.message).toMatch(
			/signature does not match/,
		);
		expect(
			verifyHmacRequest(request({ path: answerPath.replace('answer', 'reject') }), KEY, NOW)
				?.message,
		).toMatch(/signature/);
		expect(
			verifyHmacRequest(request({ body: answerBody.replace('123', '124') }), KEY, NOW)?.message,
		).toMatch(/x-ms-content-sha256/);
		expect(verifyHmacRequest(request(), KEY, NOW + 16 * 60_000)?.message).toMatch(/15 minutes/);
		expect(verifyHmacRequest(request({ auth: 'Bearer abc' }), KEY, NOW)?.message).toMatch(
			/HMAC-SHA256 SignedHeaders/,
		);
		expect(verifyHmacRequest(request({ date: 'yesterday' }), KEY, NOW)?.message).toMatch(
			/RFC 1123/,
		);
	});
});

describe('emulator HMAC verification over HTTP', () => {
	let emu: Emulator;
	beforeAll(async () => {
		emu = await startEmulator({ accessKey: KEY_B64 });
	});
	afterAll(() => emu.close());

	const get = '/calling/callConnections/unknown-call?api-version=2026-03-12';
	const createBody = JSON.stringify({ targets: [], callbackUri: 'http://127.0.0.1:1/cb' });

	it('lets a correctly signed request through (then 404 for an unknown call)', async () => {
		const res = await signedRequest(emu.url, KEY_B64, 'GET', get);
		expect(res.status).toBe(404);
		expect(res.json.error.code).toBe('8522');
	});

	it.each([
		[
			'wrong key',
			{ signKey: Buffer.from('some other key').toString('base64') },
			/signature does not match/,
		],
		[
			'changed path',
			{ signPath: '/calling/callConnections/other-call?api-version=2026-03-12' },
			/signature does not match/,
		],
		['stale date', { date: new Date(Date.now() - 20 * 60_000) }, /15 minutes/],
		['date in the future', { date: new Date(Date.now() + 20 * 60_000) }, /15 minutes/],
	])('answers 401/7509 for a %s', async (_label, extra, message) => {
		const res = await signedRequest(emu.url, KEY_B64, 'GET', get, undefined, extra);
		expect(res.status).toBe(401);
		expect(res.json.error.code).toBe('7509');
		expect(res.json.error.message).toMatch(message);
	});

	it('answers 401 when the body changed after signing', async () => {
		const res = await signedRequest(
			emu.url,
			KEY_B64,
			'POST',
			'/calling/callConnections?api-version=2026-03-12',
			createBody,
			{
				signBody: createBody.replace('cb', 'cc'),
			},
		);
		expect(res.status).toBe(401);
		expect(res.json.error.message).toMatch(/x-ms-content-sha256/);
	});

	it('answers 401 without an Authorization header', async () => {
		const res = await signedRequest(emu.url, KEY_B64, 'GET', get, undefined, {
			headers: { authorization: '' },
		});
		expect(res.status).toBe(401);
		expect(res.json.error).toEqual({
			code: '7509',
			message: expect.stringMatching(/Authorization header is missing/),
		});
	});

	it('answers 400 when api-version is missing', async () => {
		const res = await signedRequest(emu.url, KEY_B64, 'GET', '/calling/callConnections/x');
		expect(res.status).toBe(400);
		expect(res.json.error.message).toMatch(/api-version/);
	});

	it('answers 413 for a body over 1 MiB', async () => {
		const res = await signedRequest(
			emu.url,
			KEY_B64,
			'POST',
			'/calling/callConnections?api-version=2026-03-12',
			Buffer.alloc(1024 * 1024 + 10, 32),
		);
		expect(res.status).toBe(413);
	});

	it('serves the OpenID configuration and JWKS without auth', async () => {
		const config = (await (await fetch(emu.openIdConfigurationUrl)).json()) as {
			issuer: string;
			jwks_uri: string;
		};
		expect(config).toMatchObject({ issuer: emu.issuer, jwks_uri: `${emu.issuer}/calling/keys` });
		const jwks = (await (await fetch(config.jwks_uri)).json()) as { keys: unknown[] };
		expect(jwks.keys[0]).toMatchObject({
			kty: 'RSA',
			alg: 'RS256',
			use: 'sig',
			kid: expect.any(String),
		});
	});
});
