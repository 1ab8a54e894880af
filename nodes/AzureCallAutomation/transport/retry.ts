/**
 * When to send a request again: the retry policy, back-off, the delay ACS asks for (Retry-After), the
 * connection failures that allow another attempt, and how long a request may keep trying.
 */
import type { IDataObject } from 'n8n-workflow';

import { reusableUntil, type Repeat } from './repeatability';

export interface RetryPolicy {
	/** How long a request may keep being retried after its first attempt; default: the run's Retry Budget. */
	budgetMs: number;
	baseDelayMs: number;
	maxDelayMs: number;
	/** Per attempt. */
	timeoutMs: number;
}

/** Back-off timing (tests shorten baseDelayMs); the budget comes from the node run. */
export const DEFAULT_RETRY_POLICY: Omit<RetryPolicy, 'budgetMs'> = {
	baseDelayMs: 800,
	maxDelayMs: 16_000,
	timeoutMs: 30_000,
};

/** Connection failures after which nothing reached the server: always safe to retry. */
export const NOT_SENT = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
]);
/** Failures where the request may have been processed: retried only when that is harmless. */
export const MAYBE_SENT = new Set([
	'ECONNRESET',
	'ETIMEDOUT',
	'ECONNABORTED',
	'EPIPE',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

/** One request's attempts so far (kept across them; errors report it). */
export interface Attempts {
	count: number;
	firstAt: number;
	/** An attempt may have been carried out although no answer said so (connection lost after sending, 5xx). */
	maybeCommitted: boolean;
	repeat?: Repeat;
}

export function header(headers: IDataObject | undefined, name: string): string | undefined {
	if (!headers) return undefined;
	const value = headers[name] ?? headers[name.toLowerCase()];
	return value === undefined || value === null ? undefined : String(value);
}

/** Delay a throttled/unavailable response asks for, as the SDK reads it; undefined when absent. */
export function retryAfterMs(headers: IDataObject | undefined): number | undefined {
	for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
		const ms = Number(header(headers, name));
		if (header(headers, name) !== undefined && Number.isFinite(ms) && ms >= 0) return ms;
	}
	const retryAfter = header(headers, 'retry-after');
	if (retryAfter === undefined) return undefined;
	const seconds = Number(retryAfter);
	if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
	const date = Date.parse(retryAfter);
	return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

export function backoff(attempt: number, policy: RetryPolicy): number {
	const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(attempt, 30));
	return Math.round(exp / 2 + Math.random() * (exp / 2));
}

export function errorCode(error: unknown): string | undefined {
	// n8n wraps axios errors in NodeApiError; the socket error code may sit at several depths.
	const e = error as {
		code?: unknown;
		httpCode?: unknown;
		cause?: { code?: unknown; cause?: { code?: unknown } };
	};
	for (const code of [e?.cause?.code, e?.code, e?.cause?.cause?.code, e?.httpCode]) {
		if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
	}
	return undefined;
}

/** Once an attempt may have been carried out (or the ids come from one), only the same id may follow, inside ACS's window. */
export function retryUntil(state: Attempts, policy: RetryPolicy): number {
	const budgetEnd = state.firstAt + policy.budgetMs;
	const repeat = state.repeat;
	return repeat && (state.maybeCommitted || repeat.supplied)
		? Math.min(budgetEnd, reusableUntil(repeat.firstSentMs))
		: budgetEnd;
}
