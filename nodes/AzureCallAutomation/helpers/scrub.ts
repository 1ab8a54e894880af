/**
 * Errors from n8n's HTTP helpers may carry the request they failed on (axios `config`, `request`,
 * request-library `options`), i.e. the signed headers. n8n keeps errors in execution data, so those
 * parts are removed before an error leaves the transport.
 */

// Where HTTP clients keep the request (and with it the Authorization header).
const REQUEST_KEYS = [
	'config',
	'request',
	'options',
	'requestOptions',
	'_options',
	'_currentRequest',
	'req',
];
// Where errors nest the error they wrap.
const NESTED_KEYS = ['cause', 'errorResponse', 'error', 'reason', 'response'];
const SECRET_HEADER = /^(authorization|x-ms-date|x-ms-content-sha256|repeatability-.*)$/i;
const MAX_DEPTH = 6;

function scrubHeaders(headers: unknown): void {
	if (typeof headers !== 'object' || headers === null) return;
	for (const name of Object.keys(headers)) {
		if (SECRET_HEADER.test(name)) delete (headers as Record<string, unknown>)[name];
	}
}

function scrub(value: unknown, depth: number, seen: Set<object>): void {
	if (depth > MAX_DEPTH || typeof value !== 'object' || value === null || seen.has(value)) return;
	seen.add(value);
	const record = value as Record<string, unknown>;
	for (const key of REQUEST_KEYS) {
		if (key in record) {
			try {
				delete record[key];
			} catch {
				// a getter-only field: nothing stored to remove
			}
		}
	}
	scrubHeaders(record.headers);
	for (const key of NESTED_KEYS) scrub(record[key], depth + 1, seen);
}

/** Removes request options and signed headers from `error` and the errors it wraps (in place). */
export function scrubRequestError(error: unknown): void {
	scrub(error, 0, new Set());
}
