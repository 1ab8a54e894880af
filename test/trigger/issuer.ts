/**
 * A token issuer for tests: its own RSA keys (node:crypto), an OpenID configuration and JWKS served over
 * loopback HTTP, and sign() for any header/claims (expired, wrong audience, other algorithms …).
 */
import { generateKeyPairSync, randomUUID, sign as rsaSign, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestKey {
	kid: string;
	privateKey: KeyObject;
	jwk: Record<string, unknown>;
}

export function makeKey(kid: string = randomUUID()): TestKey {
	const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
	return {
		kid,
		privateKey,
		jwk: { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' },
	};
}

const b64 = (v: unknown): string =>
	Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

/** Signs header.claims with RS256 (whatever `alg` the header claims). */
export function signToken(
	key: TestKey,
	claims: Record<string, unknown>,
	header: Record<string, unknown> = {},
): string {
	const input = `${b64({ alg: 'RS256', typ: 'JWT', kid: key.kid, ...header })}.${b64(claims)}`;
	return `${input}.${rsaSign('RSA-SHA256', Buffer.from(input), key.privateKey).toString('base64url')}`;
}

export interface TestIssuer {
	url: string;
	issuer: string;
	openIdConfigurationUrl: string;
	/** Keys published in the JWKS (mutable: push a rotated key). */
	published: TestKey[];
	key: TestKey;
	/** How many times the JWKS was fetched. */
	jwksFetches(): number;
	/** Every path requested, in order. */
	requests: string[];
	/** While true, every request is answered 500 (an outage of the key endpoint). */
	failing: boolean;
	token(claims?: Record<string, unknown>, header?: Record<string, unknown>, key?: TestKey): string;
	close(): Promise<void>;
}

export async function startIssuer(audience: string): Promise<TestIssuer> {
	const key = makeKey();
	const published = [key];
	let fetches = 0;
	const requests: string[] = [];
	const state = { failing: false };
	const server = http.createServer((req, res) => {
		requests.push(req.url ?? '');
		if (state.failing) {
			res.writeHead(500, { 'content-type': 'text/html' });
			res.end('<html>down</html>');
			return;
		}
		let body: unknown;
		if (req.url === '/.well-known/openid-configuration')
			body = { issuer: issuer, jwks_uri: `${url}/keys` };
		else if (req.url === '/keys') {
			fetches++;
			body = { keys: published.map((k) => k.jwk) };
		}
		res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
		res.end(JSON.stringify(body ?? { error: 'not found' }));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	const issuer = `${url}/issuer`;
	return {
		url,
		issuer,
		requests,
		get failing() {
			return state.failing;
		},
		set failing(value: boolean) {
			state.failing = value;
		},
		openIdConfigurationUrl: `${url}/.well-known/openid-configuration`,
		published,
		key,
		jwksFetches: () => fetches,
		token(claims = {}, header = {}, signingKey = key) {
			const now = Math.floor(Date.now() / 1000);
			return signToken(
				signingKey,
				{ iss: issuer, aud: audience, iat: now, nbf: now, exp: now + 300, ...claims },
				header,
			);
		},
		async close() {
			await new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
		},
	};
}
