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

export function verifyStep(accessKey: Buffer, token: unknown): Step | undefined {
	if (typeof token !== 'string' || token.length > 1024) return undefined;
	const dot = token.indexOf('.');
	if (dot <= 0) return undefined;
	const payload = token.slice(0, dot);
	const expected = Buffer.from(mac(accessKey, payload));
	const given = Buffer.from(token.slice(dot + 1));
	if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
	try {
		const step = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Step;
		return typeof step.x === 'string' &&
			typeof step.n === 'string' &&
			typeof step.o === 'string' &&
			typeof step.r === 'string'
			? step
			: undefined;
	} catch {
		return undefined;
	}
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
