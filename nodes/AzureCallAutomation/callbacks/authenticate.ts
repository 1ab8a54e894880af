/**
 * Who may post events: every request is authenticated before anything in it is believed. Call events
 * (what ACS posts to a callback URL) need ACS's RS256 token; Event Grid deliveries need the secret that
 * was put in their endpoint URL. What applies is decided by this node's settings and by the canonical
 * type of each event, never by anything else the sender controls (headers such as aeg-event-type,
 * the schema, letter case).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ReceivedEvent } from './body';
import { isCallbackType, isEventGridType } from './eventTypes';
import { JwtError, bearerToken, verifyAcsToken, type FetchJson } from './jwt';

export interface AuthSettings {
	/** Call events must carry a valid ACS token (otherwise they need the secret). */
	verifyToken: boolean;
	/** Expected token audience: the ACS resource's immutable id. */
	audience: string;
	openIdConfigurationUrl: string;
	/** Secrets a request may carry as `?secret=` (the Webhook Secret, the one put in a registered endpoint URL). */
	secrets: string[];
	/** Explicit, unsafe opt-in: run on requests that prove nothing. */
	allowUnauthenticated: boolean;
}

export interface AuthRequest {
	headers: Record<string, unknown>;
	query: Record<string, unknown>;
}

/** What the request proved before its body was read. */
export interface Proof {
	token: boolean;
	secret: boolean;
}

export class AuthError extends Error {
	constructor(
		readonly status: 401 | 503,
		readonly code: string,
		message: string,
	) {
		super(message);
	}
}

function digest(value: string): Buffer {
	return createHash('sha256').update(value, 'utf8').digest();
}

/** Constant-time comparison (hashing first makes the lengths equal). */
export function secretMatches(given: unknown, expected: string): boolean {
	const value = Array.isArray(given) ? given[0] : given;
	if (typeof value !== 'string' || expected === '') return false;
	return timingSafeEqual(digest(value), digest(expected));
}

/**
 * Checks the secret and the token of a request without reading its body. Throws AuthError when the
 * request is refused whatever it holds: a secret that is given but wrong, a token that does not
 * verify, or no proof at all (unless unauthenticated requests were explicitly allowed).
 */
export async function proveRequest(
	request: AuthRequest,
	settings: AuthSettings,
	fetchJson: FetchJson,
): Promise<Proof> {
	const given = request.query.secret;
	const secret = settings.secrets.some((s) => secretMatches(given, s));
	if (given !== undefined && !secret) {
		throw new AuthError(401, 'InvalidSecret', 'The secret query parameter is wrong.');
	}

	let token = false;
	const bearer = bearerToken(request.headers.authorization);
	if (bearer !== undefined && settings.verifyToken) {
		const audience = settings.audience.trim();
		if (!audience) {
			throw new AuthError(
				401,
				'ResourceIdNotSet',
				"The trigger cannot verify the ACS token: set ACS Resource ID (the resource's immutable ID) on the trigger node.",
			);
		}
		const failure = await verifyAcsToken(
			bearer,
			{ openIdConfigurationUrl: settings.openIdConfigurationUrl, audience },
			fetchJson,
		).then(
			() => undefined,
			(error: unknown) => error as Error,
		);
		if (failure instanceof JwtError) {
			throw new AuthError(
				failure.status === 401 ? 401 : 503,
				failure.status === 401 ? 'InvalidToken' : 'KeysUnavailable',
				failure.message,
			);
		}
		// Anything else is a fault of the verifier itself, never a pass.
		if (failure)
			throw new AuthError(
				503,
				'KeysUnavailable',
				`The token could not be verified: ${failure.message}`,
			);
		token = true;
	}
	if (!token && !secret && !settings.allowUnauthenticated) {
		throw new AuthError(
			401,
			bearer === undefined ? 'Unauthenticated' : 'InvalidToken',
			settings.verifyToken
				? 'Send call events with the Authorization: Bearer token ACS signs them with, and Event Grid deliveries with the secret query parameter.'
				: 'Requests must carry the secret query parameter.',
		);
	}
	return { token, secret };
}

/** What one event needs, by its canonical type. */
export function requirementOf(
	event: ReceivedEvent,
	settings: AuthSettings,
): 'token' | 'secret' | 'tokenOrSecret' {
	if (isEventGridType(event.type)) return 'secret';
	if (isCallbackType(event.type)) return settings.verifyToken ? 'token' : 'secret';
	return 'tokenOrSecret';
}

/** Throws AuthError unless every event is covered by what the request proved. */
export function authorizeEvents(
	events: ReceivedEvent[],
	proof: Proof,
	settings: AuthSettings,
): void {
	if (settings.allowUnauthenticated) return;
	for (const event of events) {
		const need = requirementOf(event, settings);
		const ok =
			need === 'token'
				? proof.token
				: need === 'secret'
					? proof.secret
					: proof.token || proof.secret;
		if (ok) continue;
		if (need === 'token') {
			throw new AuthError(
				401,
				proof.secret ? 'MissingToken' : 'Unauthenticated',
				`${event.type} is a call event: it needs the Authorization: Bearer token ACS signs call events with.`,
			);
		}
		throw new AuthError(
			401,
			'InvalidSecret',
			`${event.type} needs the secret query parameter: Event Grid deliveries carry no ACS token.`,
		);
	}
}
