/**
 * Remembers authenticated event ids for 10 minutes, so an event ACS or Event Grid delivers again
 * (retries, replays) starts nothing the second time. In memory of this process: with several n8n
 * processes taking webhooks, a repeat that reaches another process is not recognised.
 */
export const DEDUPE_TTL_MS = 10 * 60 * 1000;
const MAX_ENTRIES = 100_000;

// Insertion order is expiry order (one fixed TTL), so the oldest entries sit at the front.
const seen = new Map<string, number>();

function prune(now: number): void {
	for (const [key, expires] of seen) {
		if (expires > now && seen.size < MAX_ENTRIES) break;
		seen.delete(key);
	}
}

/** True the first time `id` is seen in `scope` within the TTL; records it. Events without an id always pass. */
export function firstDelivery(scope: string, id: string | undefined, now = Date.now()): boolean {
	if (id === undefined || id === '') return true;
	prune(now);
	const key = `${scope}\u0000${id}`;
	const expires = seen.get(key);
	if (expires !== undefined && expires > now) return false;
	seen.delete(key);
	seen.set(key, now + DEDUPE_TTL_MS);
	return true;
}

/** Forgets every id (tests). */
export function clearDedupe(): void {
	seen.clear();
}
