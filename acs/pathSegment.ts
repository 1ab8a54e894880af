/**
 * Keeps every signed request on its path: an id goes into exactly one path segment, and the final
 * URL must stay on the endpoint's origin under `/calling/`. Nothing here echoes the connection string.
 */

export class PathSegmentError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'PathSegmentError';
	}
}

/** C0, DEL and C1 controls: CR/LF could split a request line or header, NUL truncates in some stacks. */
export function hasControlCharacter(text: string): boolean {
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		if (code <= 0x1f || (code >= 0x7f && code <= 0x9f)) return true;
	}
	return false;
}
// Bounded: each round removes at least one level of encoding, so a few rounds reach the plain text.
const MAX_DECODE_ROUNDS = 8;

/** The id as written and as every proxy or server that decodes it once more would read it. */
function decodedForms(id: string): string[] {
	const forms = [id];
	let current = id;
	for (let round = 0; round < MAX_DECODE_ROUNDS; round++) {
		let next: string;
		try {
			next = decodeURIComponent(current);
		} catch {
			break; // a stray '%' stays literal for every decoder
		}
		if (next === current) break;
		forms.push(next);
		current = next;
	}
	return forms;
}

/** Why `id` cannot be one path segment, or undefined when it can. */
export function segmentProblem(id: string): string | undefined {
	for (const form of decodedForms(id)) {
		if (hasControlCharacter(form))
			return 'must not contain control characters (such as line breaks)';
		const trimmed = form.trim();
		if (trimmed === '') return 'is empty';
		if (trimmed === '.' || trimmed === '..') return `must not be '${trimmed}'`;
		// A decoder that also splits on '/' or '\' must not find a dot segment either.
		if (trimmed.split(/[/\\]/).some((part) => part.trim() === '.' || part.trim() === '..')) {
			return "must not contain '.' or '..' path segments";
		}
	}
	try {
		encodeURIComponent(id);
	} catch {
		return 'contains an invalid character (a lone surrogate)';
	}
	return undefined;
}

/** `id` percent-encoded as one path segment; throws PathSegmentError naming `label` when it is unsafe. */
export function encodeSegment(id: string, label = 'ID'): string {
	const problem = segmentProblem(id);
	if (problem !== undefined) throw new PathSegmentError(`${label} ${problem}`);
	return encodeURIComponent(id);
}

/**
 * Checks the URL a signed request goes to: same origin as the endpoint, path under
 * `<endpoint path>calling/` with non-empty segments, none a dot segment in any encoding.
 * `resolved` must already be parsed (WHATWG parsing has resolved literal and %2E dot segments).
 */
export function checkRequestUrl(resolved: URL, endpoint: string): void {
	const base = new URL(endpoint);
	if (resolved.origin !== base.origin) {
		throw new PathSegmentError(
			`Refused to sign a request for ${resolved.host}: the credential only signs requests to its endpoint ${base.host}`,
		);
	}
	if (resolved.username || resolved.password) {
		throw new PathSegmentError('Refused to sign a request whose URL carries user info');
	}
	const prefix = `${base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`}calling/`;
	const path = resolved.pathname;
	const rest = path.startsWith(prefix) ? path.slice(prefix.length) : undefined;
	const segments = rest === undefined ? [] : rest.split('/');
	if (
		rest === undefined ||
		segments.some((segment) => segment === '' || segmentProblem(segment) !== undefined)
	) {
		// The endpoint's path is not named: only its host may appear in a message.
		throw new PathSegmentError("Refused to sign a request outside the endpoint's /calling/ path");
	}
}
