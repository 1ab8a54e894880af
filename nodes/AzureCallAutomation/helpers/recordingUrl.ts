/**
 * Which recording-file URLs a signed request may go to. The URLs come from event data
 * (RecordingFileStatusUpdated), so this check runs before anything is signed: only https hosts of
 * ACS's recording storage (the SDK's recordingUrlValidator list), or, when the credential points at a
 * loopback endpoint (the local emulator), that same origin outside `/calling/`.
 */
import { hasControlCharacter, segmentProblem } from '../../../acs/pathSegment';

/** Host suffixes the official SDK accepts for recording content, metadata and delete locations. */
export const RECORDING_HOST_SUFFIXES = [
	'.asm.skype.com',
	'.asyncgw.teams.microsoft.com',
	'.ams.gov.teams.microsoft.us',
];

function isLoopback(hostname: string): boolean {
	return (
		hostname === 'localhost' ||
		hostname === '[::1]' ||
		/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
	);
}

function decodedPath(path: string): string {
	try {
		return decodeURIComponent(path).toLowerCase();
	} catch {
		return path.toLowerCase();
	}
}

/** The parsed URL when a recording request may be signed for it, otherwise why not (naming `label`). */
export function recordingUrlOrProblem(text: string, endpoint: string, label: string): URL | string {
	if (hasControlCharacter(text))
		return `${label} must not contain control characters (such as line breaks)`;
	let url: URL;
	try {
		url = new URL(text.trim());
	} catch {
		return `${label} is not an absolute URL: use the location from the RecordingFileStatusUpdated event`;
	}
	if (url.username || url.password) return `${label} must not carry user info`;
	const base = new URL(endpoint);
	const host = url.hostname.toLowerCase();
	const storage =
		url.protocol === 'https:' &&
		url.port === '' &&
		RECORDING_HOST_SUFFIXES.some((suffix) => host.endsWith(suffix));
	const emulator =
		isLoopback(base.hostname) &&
		url.origin === base.origin &&
		!decodedPath(url.pathname).startsWith('/calling');
	if (!storage && !emulator) {
		// Only the host is named: the rest of the URL came from event data.
		return `${label}: refused to sign a request for ${url.protocol}//${url.host}: recording files are fetched only over https from ACS recording storage (${RECORDING_HOST_SUFFIXES.map((s) => `*${s}`).join(', ')})`;
	}
	// As typed, before URL parsing resolves '%2e%2e' and '..' away: such a URL is refused, not rewritten.
	const typedPath = text
		.trim()
		.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '')
		.split(/[?#]/)[0];
	const segments = typedPath.split('/').slice(1);
	if (
		segments.length === 0 ||
		segments.some((segment) => segment === '' || segmentProblem(segment) !== undefined)
	) {
		return `${label} has an empty or dot segment in its path`;
	}
	return url;
}
