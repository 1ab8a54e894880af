/** Unit tests of the callback token verifier with keys and tokens made by node:crypto. */
import { randomUUID } from 'node:crypto';
import {
	bearerToken,
	clearJwtCache,
	JwtError,
	verifyAcsToken,
	type FetchJson,
} from '../../nodes/AzureCallAutomation/callbacks/jwt';
import { makeKey, signToken, type TestKey } from './issuer';

const CONFIG_URL = 'https://issuer.example/calling/.well-known/acsopenidconfiguration';
const ISSUER = 'https://issuer.example';
const AUD = randomUUID();
const T0 = Date.UTC(2026, 10, 24, 12, 0, 0);
const S0 = T0 / 1000;

function directory(keys: TestKey[]) {
	const fetched: string[] = [];
	const fetchJson: FetchJson = async (url) => {
		fetched.push(url);
		if (url === CONFIG_URL) return { issuer: `${ISSUER}/`, jwks_uri: `${ISSUER}/calling/keys` };
		if (url === `${ISSUER}/calling/keys`) return { keys: keys.map((k) => k.jwk) };
		throw new Error(`404 ${url}`);
	};
	return { fetchJson, fetched, keys };
}

const claims = (extra: Record<string, unknown> = {}) => ({
	iss: ISSUER,
	aud: AUD,
	iat: S0,
	nbf: S0,
	exp: S0 + 300,
	...extra,
});
const opts = (now = T0) => ({ openIdConfigurationUrl: CONFIG_URL, audience: AUD, now });

async function reason(p: Promise<unknown>): Promise<string> {
	try {
		await p;
	} catch (error) {
		expect(error).toBeInstanceOf(JwtError);
		return (error as Error).message;
	}
	throw new Error('expected a JwtError');
}

describe('verifyAcsToken', () => {
	const key = makeKey();
	beforeEach(() => clearJwtCache());

	it('accepts a valid RS256 token and returns its claims (issuer compared without trailing slash)', async () => {
		const d = directory([key]);
		const c = await verifyAcsToken(signToken(key, claims()), opts(), d.fetchJson);
		expect(c).toMatchObject({ iss: ISSUER, aud: AUD });
	});

	it('accepts an audience array containing the resource id', async () => {
		const d = directory([key]);
		await expect(
			verifyAcsToken(signToken(key, claims({ aud: ['other', AUD] })), opts(), d.fetchJson),
		).resolves.toBeDefined();
	});

	it('caches the configuration and keys per URL', async () => {
		const d = directory([key]);
		await verifyAcsToken(signToken(key, claims({ jti: 1 })), opts(), d.fetchJson);
		await verifyAcsToken(signToken(key, claims({ jti: 2 })), opts(), d.fetchJson);
		expect(d.fetched).toHaveLength(2);
		// After the TTL (1 h) the keys are fetched again.
		await verifyAcsToken(
			signToken(key, claims({ jti: 3, exp: S0 + 7200 })),
			opts(T0 + 3601_000),
			d.fetchJson,
		);
		expect(d.fetched).toHaveLength(4);
	});

	it('fetches once for concurrent first requests', async () => {
		const d = directory([key]);
		await Promise.all(
			[1, 2, 3].map((j) => verifyAcsToken(signToken(key, claims({ jti: j })), opts(), d.fetchJson)),
		);
		expect(d.fetched).toHaveLength(2);
	});

	it('refetches the JWKS once on an unknown kid (key rotation), but not within 10 s of the last fetch', async () => {
		const d = directory([key]);
		await verifyAcsToken(signToken(key, claims()), opts(), d.fetchJson);
		const rotated = makeKey();
		d.keys.push(rotated);
		expect(
			await reason(
				verifyAcsToken(signToken(rotated, claims({ jti: 'a' })), opts(T0 + 1000), d.fetchJson),
			),
		).toMatch(/not in the issuer's JWKS/);
		expect(d.fetched).toHaveLength(2);
		await verifyAcsToken(signToken(rotated, claims({ jti: 'b' })), opts(T0 + 11_000), d.fetchJson);
		expect(d.fetched).toHaveLength(4);
		// A kid that stays unknown is refused after that single refetch.
		expect(
			await reason(verifyAcsToken(signToken(makeKey(), claims()), opts(T0 + 30_000), d.fetchJson)),
		).toMatch(/JWKS/);
		expect(d.fetched).toHaveLength(6);
	});

	it('refuses a forged signature, a tampered payload and an unsigned token', async () => {
		const d = directory([key]);
		const forger = makeKey(key.kid);
		expect(await reason(verifyAcsToken(signToken(forger, claims()), opts(), d.fetchJson))).toMatch(
			/signature/,
		);
		const [h, , s] = signToken(key, claims()).split('.');
		const p = Buffer.from(JSON.stringify(claims({ aud: 'x' }))).toString('base64url');
		expect(await reason(verifyAcsToken(`${h}.${p}.${s}`, opts(), d.fetchJson))).toMatch(
			/signature/,
		);
		expect(await reason(verifyAcsToken(`${h}.${p}.`, opts(), d.fetchJson))).toMatch(/not signed/);
	});

	it('refuses algorithms other than RS256', async () => {
		const d = directory([key]);
		for (const alg of ['none', 'HS256', 'RS512', 'PS256']) {
			expect(
				await reason(verifyAcsToken(signToken(key, claims(), { alg }), opts(), d.fetchJson)),
			).toMatch(/not RS256/);
		}
	});

	it('checks exp and nbf with a 5 minute skew', async () => {
		const d = directory([key]);
		const token = signToken(key, claims());
		await expect(verifyAcsToken(token, opts(T0 + 599_000), d.fetchJson)).resolves.toBeDefined();
		expect(await reason(verifyAcsToken(token, opts(T0 + 601_000), d.fetchJson))).toMatch(/expired/);
		const early = signToken(key, claims({ nbf: S0 + 600, exp: S0 + 900 }));
		expect(await reason(verifyAcsToken(early, opts(), d.fetchJson))).toMatch(/not valid yet/);
		await expect(verifyAcsToken(early, opts(T0 + 301_000), d.fetchJson)).resolves.toBeDefined();
		expect(
			await reason(verifyAcsToken(signToken(key, claims({ exp: undefined })), opts(), d.fetchJson)),
		).toMatch(/no exp/);
	});

	it('re-checks the claims of a token already verified (cached) against the current time and audience', async () => {
		const d = directory([key]);
		const token = signToken(key, claims());
		await verifyAcsToken(token, opts(), d.fetchJson);
		expect(await reason(verifyAcsToken(token, opts(T0 + 900_000), d.fetchJson))).toMatch(/expired/);
		expect(
			await reason(verifyAcsToken(token, { ...opts(), audience: 'other' }, d.fetchJson)),
		).toMatch(/audience/);
	});

	it('refuses wrong audience and wrong issuer', async () => {
		const d = directory([key]);
		expect(
			await reason(
				verifyAcsToken(signToken(key, claims({ aud: randomUUID() })), opts(), d.fetchJson),
			),
		).toMatch(/audience/);
		expect(
			await reason(
				verifyAcsToken(
					signToken(key, claims({ iss: 'https://evil.example' })),
					opts(),
					d.fetchJson,
				),
			),
		).toMatch(/issuer/);
	});

	it('refuses malformed tokens', async () => {
		const d = directory([key]);
		for (const token of [
			'',
			'abc',
			'a.b',
			'a.b.c.d',
			'!!!.e30.sig',
			`${Buffer.from('[1]').toString('base64url')}.e30.c2ln`,
		]) {
			await reason(verifyAcsToken(token, opts(), d.fetchJson));
		}
	});

	it('reports unreachable or broken configurations with status 503', async () => {
		const broken: FetchJson = async () => ({ nothing: true });
		const error = await verifyAcsToken(signToken(key, claims()), opts(), broken).catch(
			(e: unknown) => e,
		);
		expect(error).toBeInstanceOf(JwtError);
		expect((error as JwtError).status).toBe(503);
	});
});

describe('verifyAcsToken hardening', () => {
	const key = makeKey();
	beforeEach(() => clearJwtCache());

	it('decodes every segment strictly: junk after the signature, padding or the base64 alphabet are refused', async () => {
		const d = directory([key]);
		const token = signToken(key, claims());
		await expect(verifyAcsToken(token, opts(), d.fetchJson)).resolves.toMatchObject({ aud: AUD });
		const [h, c, sig] = token.split('.');
		for (const bad of [
			`${token}A`,
			`${token}=`,
			`${h}.${c}.${sig}==`,
			`${h}=.${c}.${sig}`,
			`${h}.${c}.${sig.replace(/-/g, '+').replace(/_/g, '/')}`,
		]) {
			if (bad === token) continue;
			expect(await reason(verifyAcsToken(bad, opts(), d.fetchJson))).toMatch(
				/base64url|signature|not a JWT/,
			);
		}
	});

	it('never follows key locations named by the token (jku, jwk, x5u, x5c)', async () => {
		const d = directory([key]);
		for (const header of [
			{ jku: 'https://evil.example/keys' },
			{ x5u: 'https://evil.example/cert' },
			{ jwk: key.jwk },
			{ x5c: ['MII'] },
		]) {
			expect(
				await reason(verifyAcsToken(signToken(key, claims(), header), opts(), d.fetchJson)),
			).toMatch(/names its own key/);
		}
		expect(d.fetched.filter((u) => u.includes('evil'))).toEqual([]);
	});

	it("takes keys only from the configuration's own origin", async () => {
		const fetched: string[] = [];
		const elsewhere: FetchJson = async (url) => {
			fetched.push(url);
			if (url === CONFIG_URL)
				return { issuer: ISSUER, jwks_uri: 'https://keys.elsewhere.example/keys' };
			return { keys: [key.jwk] };
		};
		expect(await reason(verifyAcsToken(signToken(key, claims()), opts(), elsewhere))).toMatch(
			/jwks_uri is not on/,
		);
		expect(fetched).toEqual([CONFIG_URL]);
	});

	it('after a failed fetch, waits 10 s before the next try, doubling per failure; the last good keys keep serving', async () => {
		let down = true;
		let calls = 0;
		const flaky: FetchJson = async (url) => {
			calls++;
			if (down) throw new Error('503 Service Unavailable');
			if (url === CONFIG_URL) return { issuer: ISSUER, jwks_uri: `${ISSUER}/calling/keys` };
			return { keys: [key.jwk] };
		};
		const at = (ms: number) => ({ ...opts(T0 + ms) });
		const token = signToken(key, claims());
		await reason(verifyAcsToken(token, at(0), flaky));
		expect(calls).toBe(1);
		for (const ms of [1, 5_000, 9_999]) await reason(verifyAcsToken(token, at(ms), flaky));
		expect(calls).toBe(1);
		await reason(verifyAcsToken(token, at(10_000), flaky));
		expect(calls).toBe(2);
		// Second failure: 20 s.
		await reason(verifyAcsToken(token, at(29_999), flaky));
		expect(calls).toBe(2);
		down = false;
		await expect(verifyAcsToken(token, at(30_000), flaky)).resolves.toMatchObject({ aud: AUD });
		expect(calls).toBe(4);
		// Keys cached; a later outage does not stop tokens signed with a known key.
		down = true;
		const later = signToken(key, claims({ jti: 'later' }));
		await expect(verifyAcsToken(later, at(31_000), flaky)).resolves.toMatchObject({ jti: 'later' });
		expect(calls).toBe(4);
	});
});

describe('bearerToken', () => {
	it('reads the token of a Bearer authorization header', () => {
		expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
		expect(bearerToken('bearer   xyz ')).toBe('xyz');
		expect(bearerToken(['Bearer one'])).toBe('one');
		expect(bearerToken('Basic Zm9v')).toBeUndefined();
		expect(bearerToken(undefined)).toBeUndefined();
	});
});
