/**
 * The token a waiting step puts in the URL its events come back to: which execution, node and run it
 * belongs to, signed with a key derived from the ACS access key, so neither a guessed URL nor an event
 * meant for another step can pass for this one.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface Step {
	/** Execution id. */
	x: string;
	/** Node id. */
	n: string;
	/** resource.operation */
	o: string;
	/** Random per run of the step (loops run a node several times). */
	r: string;
	/** The ACS resource ID events must be issued for (the credential's, when the step began waiting). */
	a?: string;
	/** The OpenID configuration URL, when the credential sets one other than ACS's. */
	u?: string;
}

function stepKey(accessKey: Buffer): Buffer {
	return createHmac('sha256', accessKey).update('n8n-acs-waiting-step').digest();
}

function mac(accessKey: Buffer, text: string): string {
	return createHmac('sha256', stepKey(accessKey)).update(text).digest('base64url');
}

export function signStep(accessKey: Buffer, step: Step): string {
	const payload = Buffer.from(JSON.stringify(step)).toString('base64url');
	return `${payload}.${mac(accessKey, payload)}`;
}

function parts(token: unknown): { payload: string; signature: string } | undefined {
	if (typeof token !== 'string' || token.length > 2048) return undefined;
	const dot = token.indexOf('.');
	return dot > 0 ? { payload: token.slice(0, dot), signature: token.slice(dot + 1) } : undefined;
}

function decode(payload: string): Step | undefined {
	try {
		const step = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Step;
		return typeof step.x === 'string' &&
			typeof step.n === 'string' &&
			typeof step.o === 'string' &&
			typeof step.r === 'string' &&
			(step.a === undefined || typeof step.a === 'string') &&
			(step.u === undefined || typeof step.u === 'string')
			? step
			: undefined;
	} catch {
		return undefined;
	}
}

export function verifyStep(accessKey: Buffer, token: unknown): Step | undefined {
	const split = parts(token);
	if (!split) return undefined;
	const expected = Buffer.from(mac(accessKey, split.payload));
	const given = Buffer.from(split.signature);
	if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
	return decode(split.payload);
}

/**
 * The step a request names when its token is the one the execution stored as waiting: n8n's database is
 * the proof (the token holds a random part and a signature nobody else can make), so no key is needed.
 * Undefined when the request names any other token, which only the key can tell apart.
 */
export function storedStep(stored: string | undefined, given: unknown): Step | undefined {
	if (stored === undefined || typeof given !== 'string') return undefined;
	const a = Buffer.from(stored);
	const b = Buffer.from(given);
	if (a.length !== b.length || !timingSafeEqual(a, b)) return undefined;
	const split = parts(stored);
	return split ? decode(split.payload) : undefined;
}

/** Signs a report the node posts to its own resume URL (the request failed: nothing will come from ACS). */
export function signReport(accessKey: Buffer, body: string): string {
	return mac(accessKey, `report\n${body}`);
}

export function reportMatches(accessKey: Buffer, body: string, signature: unknown): boolean {
	if (typeof signature !== 'string') return false;
	const expected = Buffer.from(signReport(accessKey, body));
	const given = Buffer.from(signature);
	return given.length === expected.length && timingSafeEqual(given, expected);
}
