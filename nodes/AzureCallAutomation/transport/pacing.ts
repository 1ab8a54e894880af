/**
 * How fast one node run sends: throttling slows the whole run, not one item. An adaptive in-flight
 * limit (AIMD: halve on 429 and on failures the whole run sees, +1 per window of successes), one shared
 * pause when ACS sends Retry-After, an optional requests-per-second ceiling, and the run's retry budget.
 * Failures that are one item's own (failureClassifier.ts) do neither: that item waits on its own.
 * One pacer per node run (its `pacer`, helpers/run.ts), shared by every item and request of the run.
 */
import { sleep, type IExecuteFunctions } from 'n8n-workflow';

import { FailureClassifier } from './failureClassifier';

export interface PacingSettings {
	/** Most requests on the wire at once (Items Sent at Once); the adaptive limit never exceeds it. */
	maxInFlight: number;
	/** Adapt the in-flight limit to throttling; off = always maxInFlight. */
	adaptive: boolean;
	/** Ceiling on request starts per second, retries included; 0 = none. */
	requestsPerSecond: number;
	/** How long one request may keep being retried after its first attempt. */
	retryBudgetMs: number;
}

export const DEFAULT_RETRY_BUDGET_MS = 120_000;

export const DEFAULT_PACING: PacingSettings = {
	maxInFlight: 16,
	adaptive: true,
	requestsPerSecond: 0,
	retryBudgetMs: DEFAULT_RETRY_BUDGET_MS,
};

/** The run's pacing from Request Options; `maxInFlight` is Items Sent at Once (descriptions/requestOptions.ts). */
export function pacingSettings(ctx: IExecuteFunctions, maxInFlight: number): PacingSettings {
	const budget = Number(
		ctx.getNodeParameter('requestOptions.retryBudget', 0, DEFAULT_RETRY_BUDGET_MS / 1000),
	);
	const perSecond = Number(ctx.getNodeParameter('requestOptions.maxRequestsPerSecond', 0, 0));
	return {
		maxInFlight,
		adaptive: ctx.getNodeParameter('requestOptions.adaptiveConcurrency', 0, true) !== false,
		requestsPerSecond: Number.isFinite(perSecond) && perSecond > 0 ? perSecond : 0,
		retryBudgetMs: Number.isFinite(budget) && budget >= 0 ? budget * 1000 : DEFAULT_RETRY_BUDGET_MS,
	};
}

/** Handed out with a slot: which limit "generation" the request was sent under. */
export interface Ticket {
	epoch: number;
}

export interface PacerStats {
	sent: number;
	throttled: number;
	/** Times the limit was halved. */
	decreases: number;
	/** Lowest limit reached. */
	lowestLimit: number;
}

export class CancelledError extends Error {
	constructor() {
		super('The execution was cancelled while waiting to send');
	}
}

export class Pacer {
	readonly settings: PacingSettings;
	readonly stats: PacerStats;
	/** Tells an item's own failures from the service's, from the outcomes of the whole run. */
	readonly health = new FailureClassifier();
	/**
	 * Told when an item's request starts waiting out a failure of its own, so the run takes up another
	 * item: an item that keeps failing must not hold a place of the healthy ones.
	 */
	onPark?: (itemIndex: number) => void;
	private limit: number;
	private inFlight = 0;
	private epoch = 0;
	private readonly waiters: Array<() => void> = [];
	/** Retries of items whose failures are their own: served only when no other request waits. */
	private readonly lowWaiters: Array<() => void> = [];
	private pausedUntil = 0;
	private nextStart = 0;

	constructor(
		settings: PacingSettings,
		private readonly signal?: AbortSignal,
	) {
		this.settings = { ...settings, maxInFlight: Math.max(1, Math.floor(settings.maxInFlight)) };
		this.limit = this.settings.maxInFlight;
		this.stats = { sent: 0, throttled: 0, decreases: 0, lowestLimit: this.limit };
	}

	get currentLimit(): number {
		return Math.floor(this.limit);
	}

	/** A slot at once when one is free and nothing asks to wait (no pause, no rate ceiling); else undefined. */
	tryAcquire(): Ticket | undefined {
		if (
			this.inFlight >= this.currentLimit ||
			this.waiters.length > 0 ||
			this.lowWaiters.length > 0 ||
			this.settings.requestsPerSecond > 0
		)
			return undefined;
		if (Date.now() < this.pausedUntil || this.signal?.aborted) return undefined;
		this.inFlight++;
		this.stats.sent++;
		return { epoch: this.epoch };
	}

	/**
	 * Waits for a slot, the end of any shared pause and the rate ceiling; the caller must release it.
	 * `yieldToOthers`: a retry of an item whose failures are its own, which gives way to every other request.
	 */
	async acquire(yieldToOthers = false): Promise<Ticket> {
		if (
			this.inFlight < this.currentLimit &&
			this.waiters.length === 0 &&
			this.lowWaiters.length === 0
		) {
			this.inFlight++;
		} else {
			// FIFO: whoever waited longest goes first; pump() hands the slot over already counted.
			await new Promise<void>((resolve) =>
				(yieldToOthers ? this.lowWaiters : this.waiters).push(resolve),
			);
		}
		let ready = false;
		try {
			for (let now = Date.now(); now < this.pausedUntil; now = Date.now())
				await this.wait(this.pausedUntil - now);
			if (this.settings.requestsPerSecond > 0) {
				const now = Date.now();
				const at = Math.max(now, this.nextStart);
				this.nextStart = at + 1000 / this.settings.requestsPerSecond;
				if (at > now) await this.wait(at - now);
			}
			ready = true;
		} finally {
			// Cancelled while waiting: the slot goes back.
			if (!ready) {
				this.inFlight--;
				this.pump();
			}
		}
		this.stats.sent++;
		return { epoch: this.epoch };
	}

	/**
	 * Gives the slot back. `throttled` = 429, or a failure the whole run sees: the limit is halved once per
	 * generation (the burst of 429s that answers one window counts once), and a Retry-After pauses every
	 * sender of this run.
	 */
	release(ticket: Ticket, result: 'ok' | 'throttled' | 'other', retryAfterMs?: number): void {
		this.inFlight--;
		if (result === 'ok' && this.settings.adaptive && this.limit < this.settings.maxInFlight) {
			this.limit = Math.min(this.settings.maxInFlight, this.limit + 1 / this.currentLimit);
		} else if (result === 'throttled') {
			this.stats.throttled++;
			if (this.settings.adaptive && ticket.epoch === this.epoch) {
				this.limit = Math.max(1, this.limit / 2);
				this.epoch++;
				this.stats.decreases++;
				this.stats.lowestLimit = Math.min(this.stats.lowestLimit, this.currentLimit);
			}
			if (retryAfterMs !== undefined && retryAfterMs > 0) {
				// Capped at the budget: a runaway header must not park the run for longer than it may retry.
				const until = Date.now() + Math.min(retryAfterMs, this.settings.retryBudgetMs);
				this.pausedUntil = Math.max(this.pausedUntil, until);
			}
		}
		this.pump();
	}

	/** Waits out one item's own failure, telling the run (onPark) so other items go on meanwhile. */
	async park(ms: number, itemIndex?: number): Promise<void> {
		if (itemIndex !== undefined) this.onPark?.(itemIndex);
		await this.wait(ms);
	}

	/** A pause that ends early (with CancelledError) when the execution is cancelled. */
	async wait(ms: number): Promise<void> {
		const signal = this.signal;
		if (signal?.aborted) throw new CancelledError();
		if (ms <= 0) return;
		if (!signal) return await sleep(ms);
		let onAbort: (() => void) | undefined;
		const aborted = new Promise<void>((resolve) => {
			onAbort = resolve;
			signal.addEventListener('abort', onAbort, { once: true });
		});
		await Promise.race([sleep(ms), aborted]);
		if (onAbort) signal.removeEventListener('abort', onAbort);
		if (signal.aborted) throw new CancelledError();
	}

	private pump(): void {
		while (this.inFlight < this.currentLimit) {
			const next = this.waiters.shift() ?? this.lowWaiters.shift();
			if (next === undefined) return;
			this.inFlight++;
			next();
		}
	}
}
