/**
 * Verifies the RS256 bearer token ACS puts on callback requests, with node:crypto only: keys from the
 * JWKS named by the OpenID configuration (cached per URL, refetched once on an unknown kid), issuer from
 * that configuration, audience = the resource's immutable id, exp/nbf with a small clock skew.
 */
import { createPublicKey, verify, type JsonWebKey, type KeyObject } from 'node:crypto';

const KEYSET_TTL_MS = 60 * 60 * 1000;
// An unknown kid refetches the JWKS, but not more often than this: forged kids must not flood the issuer.
const MIN_REFRESH_MS = 10 * 1000;
const DEFAULT_SKEW_S = 300;
const MAX_CACHED_TOKENS = 4096;
const MAX_CACHED_HEADERS = 64;
// After a failed OpenID/JWKS fetch, wait this long before the next try, doubling per failure up to the cap:
// an outage of the key endpoint must never turn every incoming request into an outbound one.
const FAILURE_BACKOFF_MS = 10 * 1000;
const MAX_FAILURE_BACKOFF_MS = 5 * 60 * 1000;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
// Header fields that name keys or key locations: never followed; a token relying on them is refused.
const KEY_LOCATION_FIELDS = ['jku', 'jwk', 'x5u', 'x5c'];

export type FetchJson = (url: string) => Promise<unknown>;

export class JwtError extends Error {
	constructor(
		message: string,
		/** 401 for a token that is not acceptable; 503 when the keys could not be fetched. */
		readonly status = 401,
	) {
		super(message);
	}
}

export interface VerifyOptions {
	openIdConfigurationUrl: string;
	/** Expected `aud`: the ACS resource's immutable id. */
	audience: string;
	skewSeconds?: number;
	/** Milliseconds since the epoch (tests). */
	now?: number;
}

export interface Claims {
	iss?: string;
	aud?: string | string[];
	exp?: number;
	nbf?: number;
	iat?: number;
	[key: string]: unknown;
}

interface KeySet {
	issuer: string;
	keys: Map<string, KeyObject>;
	fetchedAt: number;
}

interface Header {
	alg?: unknown;
	kid?: unknown;
	typ?: unknown;
}

const keySets = new Map<string, KeySet>();
const loading = new Map<string, Promise<KeySet>>();
const headers = new Map<string, Header>();
// Exact token strings already verified (signature + issuer): a repeated token only needs its claims rechecked.
const verified = new Map<string, { claims: Claims; url: string; issuer: string }>();
const failures = new Map<string, { count: number; retryAt: number; message: string }>();

/** Forgets cached configurations, keys and verified tokens. */
export function clearJwtCache(): void {
	keySets.clear();
	loading.clear();
	headers.clear();
	verified.clear();
	failures.clear();
}

function trimSlash(s: string): string {
	return s.endsWith('/') ? s.slice(0, -1) : s;
}

/**
 * Decodes a base64url segment exactly as issued: only the URL-safe alphabet, no padding, and no bits a
 * lenient decoder would ignore (the segment must re-encode to itself), so appended junk is refused.
 */
export function strictBase64Url(segment: string, what: string): Buffer {
	if (!BASE64URL.test(segment)) throw new JwtError(`The bearer token's ${what} is not base64url.`);
	const bytes = Buffer.from(segment, 'base64url');
	if (bytes.toString('base64url') !== segment)
		throw new JwtError(`The bearer token's ${what} is not canonical base64url.`);
	return bytes;
}

function decodeJson<T>(segment: string, what: string): T {
	const bytes = strictBase64Url(segment, what);
	let value: unknown;
	let parsed = true;
	try {
		value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
	} catch {
		parsed = false;
	}
	if (!parsed) throw new JwtError(`The bearer token's ${what} is not base64url JSON.`);
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw new JwtError(`The bearer token's ${what} is not a JSON object.`);
	}
	return value as T;
}

async function fetchKeySet(url: string, fetchJson: FetchJson, now: number): Promise<KeySet> {
	let config: { issuer?: unknown; jwks_uri?: unknown } = {};
	let jwks: { keys?: unknown } = {};
	let failure: Error | undefined;
	try {
		config = (await fetchJson(url)) as typeof config;
		if (typeof config?.issuer !== 'string' || typeof config.jwks_uri !== 'string') {
			throw new Error('it has no issuer or jwks_uri');
		}
		// The keys must come from where the configuration lives, not from wherever a document points.
		if (new URL(config.jwks_uri, url).origin !== new URL(url).origin) {
			throw new Error(`its jwks_uri is not on ${new URL(url).origin}`);
		}
		jwks = (await fetchJson(config.jwks_uri)) as typeof jwks;
		if (!Array.isArray(jwks?.keys)) throw new Error('the JWKS has no keys array');
	} catch (error) {
		failure = error as Error;
	}
	if (failure)
		throw new JwtError(`Could not load the OpenID configuration ${url}: ${failure.message}`, 503);
	const keys = new Map<string, KeyObject>();
	for (const jwk of jwks.keys as Array<JsonWebKey & { kid?: string; use?: string }>) {
		if (jwk?.kty !== 'RSA' || (jwk.use !== undefined && jwk.use !== 'sig')) continue;
		try {
			keys.set(String(jwk.kid ?? ''), createPublicKey({ key: jwk, format: 'jwk' }));
		} catch {
			// A key this runtime cannot import is skipped, like any verifier would.
		}
	}
	return { issuer: trimSlash(config.issuer as string), keys, fetchedAt: now };
}

async function loadKeySet(
	url: string,
	fetchJson: FetchJson,
	now: number,
	force: boolean,
): Promise<KeySet> {
	const cached = keySets.get(url);
	if (cached && !force && now - cached.fetchedAt < KEYSET_TTL_MS) return cached;
	const failed = failures.get(url);
	if (failed && now < failed.retryAt) {
		// Backing off: the last good keys (even if stale) still serve; without any, refuse without fetching.
		if (cached) return cached;
		throw new JwtError(
			`${failed.message} (next try in ${Math.ceil((failed.retryAt - now) / 1000)} s)`,
			503,
		);
	}
	let pending = loading.get(url);
	if (!pending) {
		pending = fetchKeySet(url, fetchJson, now).then(
			(set) => {
				keySets.set(url, set);
				loading.delete(url);
				failures.delete(url);
				return set;
			},
			(error: unknown) => {
				loading.delete(url);
				const count = (failures.get(url)?.count ?? 0) + 1;
				const wait = Math.min(MAX_FAILURE_BACKOFF_MS, FAILURE_BACKOFF_MS * 2 ** (count - 1));
				failures.set(url, { count, retryAt: now + wait, message: (error as Error).message });
				throw error;
			},
		);
		loading.set(url, pending);
	}
	return await pending;
}

function checkClaims(claims: Claims, issuer: string, options: VerifyOptions, nowS: number): void {
	const skew = options.skewSeconds ?? DEFAULT_SKEW_S;
	if (typeof claims.iss !== 'string' || trimSlash(claims.iss) !== issuer) {
		throw new JwtError(`The bearer token's issuer ${String(claims.iss)} is not ${issuer}.`);
	}
	const aud = claims.aud;
	const audOk = Array.isArray(aud) ? aud.includes(options.audience) : aud === options.audience;
	if (!audOk) {
		throw new JwtError(
			`The bearer token's audience ${JSON.stringify(aud)} is not this node's ACS Resource ID (${options.audience}).`,
		);
	}
	if (typeof claims.exp !== 'number') throw new JwtError('The bearer token has no exp claim.');
	if (nowS > claims.exp + skew) throw new JwtError('The bearer token has expired.');
	if (typeof claims.nbf === 'number' && nowS + skew < claims.nbf) {
		throw new JwtError('The bearer token is not valid yet (nbf).');
	}
}

/** Returns the verified claims or throws JwtError. */
export async function verifyAcsToken(
	token: string,
	options: VerifyOptions,
	fetchJson: FetchJson,
): Promise<Claims> {
	const now = options.now ?? Date.now();
	const nowS = Math.floor(now / 1000);
	const url = options.openIdConfigurationUrl;

	const hit = verified.get(token);
	if (hit && hit.url === url) {
		const set = keySets.get(url);
		if (set && set.issuer === hit.issuer) {
			checkClaims(hit.claims, set.issuer, options, nowS);
			return hit.claims;
		}
	}

	const first = token.indexOf('.');
	const second = first < 0 ? -1 : token.indexOf('.', first + 1);
	if (first <= 0 || second < 0 || token.indexOf('.', second + 1) >= 0) {
		throw new JwtError('The bearer token is not a JWT (expected three dot-separated parts).');
	}
	const headerSegment = token.slice(0, first);
	let header = headers.get(headerSegment);
	if (!header) {
		header = decodeJson<Header>(headerSegment, 'header');
		if (headers.size >= MAX_CACHED_HEADERS) headers.clear();
		headers.set(headerSegment, header);
	}
	if (header.alg !== 'RS256')
		throw new JwtError(`The bearer token's algorithm ${String(header.alg)} is not RS256.`);
	for (const field of KEY_LOCATION_FIELDS) {
		if (field in header)
			throw new JwtError(
				`The bearer token's header names its own key (${field}); ACS tokens do not.`,
			);
	}
	if ('crit' in header)
		throw new JwtError("The bearer token's header has critical extensions (crit).");
	const claims = decodeJson<Claims>(token.slice(first + 1, second), 'payload');
	const signatureSegment = token.slice(second + 1);
	if (signatureSegment === '') throw new JwtError('The bearer token is not signed.');
	const signature = strictBase64Url(signatureSegment, 'signature');

	let set = await loadKeySet(url, fetchJson, now, false);
	const kid = typeof header.kid === 'string' ? header.kid : undefined;
	const pick = (s: KeySet): KeyObject | undefined =>
		kid !== undefined
			? s.keys.get(kid)
			: s.keys.size === 1
				? s.keys.values().next().value
				: undefined;
	let key = pick(set);
	if (!key && now - set.fetchedAt >= MIN_REFRESH_MS) {
		set = await loadKeySet(url, fetchJson, now, true);
		key = pick(set);
	}
	if (!key)
		throw new JwtError(
			`The bearer token's signing key ${String(kid)} is not in the issuer's JWKS.`,
		);
	const signed = Buffer.from(token.slice(0, second), 'latin1');
	if (!verify('RSA-SHA256', signed, key, signature)) {
		throw new JwtError('The bearer token signature is not valid.');
	}
	checkClaims(claims, set.issuer, options, nowS);
	if (verified.size >= MAX_CACHED_TOKENS) verified.delete(verified.keys().next().value as string);
	verified.set(token, { claims, url, issuer: set.issuer });
	return claims;
}

/** Token from an `Authorization: Bearer …` header value. */
export function bearerToken(authorization: unknown): string | undefined {
	const value = Array.isArray(authorization) ? authorization[0] : authorization;
	if (typeof value !== 'string') return undefined;
	const match = /^\s*Bearer\s+(\S+)\s*$/i.exec(value);
	return match?.[1];
}
