import { createHash, createHmac } from 'node:crypto';

/** Hash of the empty body, sent on GET/DELETE and body-less POSTs. */
export const EMPTY_CONTENT_HASH = '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=';

export interface SignInput {
	method: string;
	/** The full request URL; path, query and host (with a non-default port) are signed. */
	url: string;
	/** The exact bytes sent; `undefined` or '' for no body. */
	body?: string | Buffer;
	key: Buffer;
	/** Defaults to now; injectable for known-answer tests. */
	date?: Date;
}

export interface SignedHeaders {
	'x-ms-date': string;
	'x-ms-content-sha256': string;
	Authorization: string;
}

export function contentHash(body: string | Buffer | undefined): string {
	if (body === undefined || body.length === 0) return EMPTY_CONTENT_HASH;
	return createHash('sha256').update(body).digest('base64');
}

/** ACS HMAC-SHA256 scheme: sign `METHOD\npathAndQuery\ndate;host;contentHash`. */
export function signRequest(input: SignInput): SignedHeaders {
	const url = new URL(input.url);
	const date = (input.date ?? new Date()).toUTCString();
	const hash = contentHash(input.body);
	const stringToSign = `${input.method.toUpperCase()}\n${url.pathname}${url.search}\n${date};${url.host};${hash}`;
	const signature = createHmac('sha256', input.key).update(stringToSign, 'utf8').digest('base64');
	return {
		'x-ms-date': date,
		'x-ms-content-sha256': hash,
		Authorization: `HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=${signature}`,
	};
}
