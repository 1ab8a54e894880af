/**
 * ACS HMAC-SHA256 request authentication, verified the way the service does it. Written independently of
 * the node's signing helper so the SDK's requests test both implementations against each other.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { unauthorized, type AcsError } from './errors';

export const EMPTY_BODY_SHA256 = '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=';
export const DEFAULT_CLOCK_SKEW_MS = 15 * 60 * 1000;

export interface SignedRequest {
	method: string;
	/** Path and query exactly as on the request line. */
	pathAndQuery: string;
	headers: Record<string, string | string[] | undefined>;
	rawBody: Buffer;
}

export function bodySha256(body: Buffer | string): string {
	return createHash('sha256').update(body).digest('base64');
}

export function computeSignature(stringToSign: string, key: Buffer): string {
	return createHmac('sha256', key).update(stringToSign, 'utf8').digest('base64');
}

export function stringToSign(method: string, pathAndQuery: string, signedValues: string[]): string {
	return `${method.toUpperCase()}\n${pathAndQuery}\n${signedValues.join(';')}`;
}

const AUTH_PATTERN = /^HMAC-SHA256\s+SignedHeaders=([^&\s]+)&Signature=(\S+)$/i;
const REQUIRED_SIGNED = ['x-ms-date', 'host', 'x-ms-content-sha256'];

function header(headers: SignedRequest['headers'], name: string): string | undefined {
	const value = headers[name];
	return Array.isArray(value) ? value[0] : value;
}

/** Returns undefined when the request is authentic, otherwise the 401 the service would answer. */
export function verifyHmacRequest(
	request: SignedRequest,
	key: Buffer,
	now = Date.now(),
	clockSkewMs = DEFAULT_CLOCK_SKEW_MS,
): AcsError | undefined {
	const authorization = header(request.headers, 'authorization');
	if (!authorization) return unauthorized('the Authorization header is missing.');
	const match = AUTH_PATTERN.exec(authorization.trim());
	if (!match) {
		return unauthorized(
			'the Authorization header must be "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=<base64>".',
		);
	}
	const signedHeaders = match[1].toLowerCase().split(';');
	for (const required of REQUIRED_SIGNED) {
		if (!signedHeaders.includes(required))
			return unauthorized(`SignedHeaders must include ${required}.`);
	}
	const values: string[] = [];
	for (const name of signedHeaders) {
		const value = header(request.headers, name);
		if (value === undefined) return unauthorized(`the signed header ${name} is missing.`);
		values.push(value);
	}

	const date = Date.parse(header(request.headers, 'x-ms-date') ?? '');
	if (Number.isNaN(date)) return unauthorized('x-ms-date is not an RFC 1123 date.');
	if (Math.abs(now - date) > clockSkewMs) {
		return unauthorized(
			'x-ms-date is more than 15 minutes away from the server time (check the clock).',
		);
	}

	if (header(request.headers, 'x-ms-content-sha256') !== bodySha256(request.rawBody)) {
		return unauthorized('x-ms-content-sha256 does not match the SHA-256 of the request body.');
	}

	const expected = Buffer.from(
		computeSignature(stringToSign(request.method, request.pathAndQuery, values), key),
		'base64',
	);
	const given = Buffer.from(match[2], 'base64');
	if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
		return unauthorized(
			'the signature does not match (wrong access key, or the method, path, host, date or body changed).',
		);
	}
	return undefined;
}
