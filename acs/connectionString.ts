/**
 * Parses an ACS connection string (`endpoint=https://x.communication.azure.com/;accesskey=<base64>`).
 * More lenient than the SDK (any part order, any key case, whitespace, no trailing slash) but every
 * error names what is wrong without ever echoing the key.
 */
export interface AcsConnection {
	/** Origin plus path prefix, always ending in `/` (e.g. `https://x.communication.azure.com/`). */
	endpoint: string;
	/** The decoded HMAC key. */
	key: Buffer;
}

export class ConnectionStringError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ConnectionStringError';
	}
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

// The credential's authenticate runs for every request with the same string: parse it once.
let lastParsed: { raw: string; connection: AcsConnection } | undefined;

export function parseConnectionString(raw: unknown): AcsConnection {
	if (typeof raw === 'string' && lastParsed?.raw === raw) return lastParsed.connection;
	const connection = parse(raw);
	lastParsed = { raw: raw as string, connection: Object.freeze(connection) };
	return connection;
}

function parse(raw: unknown): AcsConnection {
	if (typeof raw !== 'string' || raw.trim() === '') {
		throw new ConnectionStringError(
			'The connection string is empty. Copy it from the Azure portal: your Communication Services resource > Keys > Connection string.',
		);
	}
	const parts = new Map<string, string>();
	for (const part of raw.trim().split(';')) {
		const piece = part.trim();
		if (piece === '') continue;
		const eq = piece.indexOf('=');
		if (eq <= 0) {
			throw new ConnectionStringError(
				'The connection string is malformed: expected "endpoint=https://<resource>.communication.azure.com/;accesskey=<key>".',
			);
		}
		parts.set(piece.slice(0, eq).trim().toLowerCase(), piece.slice(eq + 1).trim());
	}
	const endpointText = parts.get('endpoint');
	const keyText = parts.get('accesskey');
	if (!endpointText) {
		throw new ConnectionStringError('The connection string has no "endpoint=" part.');
	}
	if (!keyText) {
		throw new ConnectionStringError('The connection string has no "accesskey=" part.');
	}
	if (!URL.canParse(endpointText)) {
		// Never echo the text: with the parts swapped it is the access key.
		throw new ConnectionStringError(
			'The endpoint is not a URL. It should look like https://<resource>.communication.azure.com/ (are "endpoint=" and "accesskey=" swapped?).',
		);
	}
	const url = new URL(endpointText);
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new ConnectionStringError('The endpoint must start with https://.');
	}
	if (url.search || url.hash || url.username || url.password) {
		throw new ConnectionStringError(
			'The endpoint must not contain a query, fragment or user info.',
		);
	}
	if (!BASE64.test(keyText) || keyText.length % 4 !== 0) {
		throw new ConnectionStringError(
			'The access key is not valid base64. Copy the whole connection string again from the Azure portal.',
		);
	}
	const key = Buffer.from(keyText, 'base64');
	if (key.length === 0) {
		throw new ConnectionStringError('The access key is empty.');
	}
	const path = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
	return { endpoint: `${url.protocol}//${url.host}${path}`, key };
}
