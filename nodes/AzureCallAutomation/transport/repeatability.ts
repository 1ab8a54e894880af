/**
 * Repeatability-Request-ID / Repeatability-First-Sent (OASIS Repeatable Requests, as ACS applies them):
 * the same id within ACS's tracking window returns the original result instead of doing the work again.
 */
import { randomUUID } from 'node:crypto';

/** ACS tracks repeatable requests for 5 minutes (learn.microsoft.com/rest/api/communication/repeatable-requests). */
export const REPEATABILITY_WINDOW_MS = 5 * 60_000;
/** Stop reusing an id this long before the window closes: clocks differ and the request takes time to arrive. */
export const REPEATABILITY_MARGIN_MS = 20_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// IMF-fixdate (RFC 7231; RFC 1123's format in GMT), what Date.prototype.toUTCString writes.
const IMF_FIXDATE =
	/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), (0[1-9]|[12]\d|3[01]) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} ([01]\d|2[0-3]):[0-5]\d:[0-5]\d GMT$/;

export function isRequestId(value: string): boolean {
	return UUID.test(value);
}

/** Milliseconds since the epoch of an IMF-fixdate, or undefined when the text is not one. */
export function firstSentMs(value: string): number | undefined {
	if (!IMF_FIXDATE.test(value)) return undefined;
	const ms = Date.parse(value);
	return Number.isNaN(ms) ? undefined : ms;
}

/** Until when an id first sent at `firstSent` may still be reused safely. */
export function reusableUntil(firstSent: number): number {
	return firstSent + REPEATABILITY_WINDOW_MS - REPEATABILITY_MARGIN_MS;
}

/**
 * Checks a pair given for a re-run. Returns a problem (what is wrong, what to do) or undefined.
 * Only an exact UUID and an exact IMF-fixdate pass, so nothing else (no CR/LF) can reach a header.
 */
export function checkSupplied(
	requestId: string,
	firstSent: string,
	now = Date.now(),
): { problem: string; hint: string } | undefined {
	if (!isRequestId(requestId)) {
		return {
			problem: `Repeatability Request ID "${requestId.slice(0, 80)}" is not a UUID`,
			hint: "Map the repeatabilityRequestId of the earlier run's error item, e.g. {{ $json.repeatabilityRequestId }} (a UUID such as 0b7e2a55-7a1b-4c8e-8f3c-8a9d8c7b6a51).",
		};
	}
	const sent = firstSentMs(firstSent);
	if (sent === undefined) {
		return {
			problem: `Repeatability First Sent "${firstSent.slice(0, 80)}" is not an HTTP date`,
			hint: 'Map the repeatabilityFirstSent of the earlier run\'s error item, e.g. {{ $json.repeatabilityFirstSent }} (RFC 1123 format in GMT, such as "Tue, 03 Jun 2025 10:15:00 GMT").',
		};
	}
	if (sent > now + REPEATABILITY_WINDOW_MS) {
		return {
			problem: `Repeatability First Sent "${firstSent}" is in the future`,
			hint: "Use the First Sent value of the earlier attempt, unchanged, and check this machine's clock.",
		};
	}
	return undefined;
}

/** A Repeatability-Request-ID / First-Sent pair given for an item (a re-run of an earlier attempt). */
export interface SuppliedRepeatability {
	requestId: string;
	firstSent: string;
}

/** The ids a repeatable request is sent with, kept across its attempts. */
export interface Repeat {
	requestId: string;
	firstSent: string;
	firstSentMs: number;
	/** Given for the item (a re-run): the earlier attempt may have been carried out. */
	supplied: boolean;
}

export function newRepeat(): Repeat {
	// First Sent has whole seconds (an HTTP date): its time is now without the milliseconds.
	const firstSentMs = Math.floor(Date.now() / 1000) * 1000;
	return {
		requestId: randomUUID(),
		firstSent: new Date(firstSentMs).toUTCString(),
		firstSentMs,
		supplied: false,
	};
}

/** The ids given for an item, taken by its first repeatable request (a second one gets its own). */
export function takeSupplied(
	supplied: Map<number, SuppliedRepeatability> | undefined,
	itemIndex: number | undefined,
): Repeat | undefined {
	if (supplied === undefined || itemIndex === undefined) return undefined;
	const given = supplied.get(itemIndex);
	if (given === undefined) return undefined;
	supplied.delete(itemIndex);
	return { ...given, firstSentMs: firstSentMs(given.firstSent) ?? 0, supplied: true };
}
