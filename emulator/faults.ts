/** Fault injection for data-plane requests: per run (rates drawn from a seeded PRNG) or per request (header). */
import { prng } from './prng';
import type { FaultSettings } from './types';

export type FaultAction = 'none' | 'throttle' | 'unavailable' | 'drop' | 'dropAfterCommit';

export interface FaultDecision {
	latencyMs: number;
	action: FaultAction;
}

const HEADER_ACTIONS: Record<string, FaultAction> = {
	throttle: 'throttle',
	unavailable: 'unavailable',
	drop: 'drop',
	'drop-after-commit': 'dropAfterCommit',
};

const SEQUENCE_ACTIONS = new Set<FaultAction>(['none', 'throttle', 'unavailable', 'drop', 'dropAfterCommit']);

export class Faults {
	private settings: FaultSettings = {};
	private random: () => number = Math.random;
	private pending: FaultAction[] = [];
	/** Data-plane requests being handled now (for maxConcurrent). */
	active = 0;
	readonly injected: Record<FaultAction | 'latency', number> = {
		none: 0, throttle: 0, unavailable: 0, drop: 0, dropAfterCommit: 0, latency: 0,
	};

	constructor(settings: FaultSettings = {}) {
		this.set(settings);
	}

	/** Replaces the run's fault settings (an empty object switches faults off). */
	set(settings: FaultSettings): void {
		for (const key of ['throttleRate', 'unavailableRate', 'dropRate', 'dropAfterCommitRate'] as const) {
			const v = settings[key];
			if (v !== undefined && (typeof v !== 'number' || v < 0 || v > 1)) throw new Error(`${key} must be a number between 0 and 1.`);
		}
		const { sequence, maxConcurrent } = settings;
		if (sequence !== undefined && (!Array.isArray(sequence) || sequence.some((a) => !SEQUENCE_ACTIONS.has(a)))) {
			throw new Error(`sequence must be a list of ${[...SEQUENCE_ACTIONS].join(', ')}.`);
		}
		if (maxConcurrent !== undefined && (!Number.isInteger(maxConcurrent) || maxConcurrent < 1)) throw new Error('maxConcurrent must be a whole number of at least 1.');
		this.pending = [...(sequence ?? [])];
		this.settings = { ...settings };
		this.random = settings.seed !== undefined ? prng(settings.seed) : Math.random;
	}

	get(): FaultSettings {
		return { ...this.settings };
	}

	get retryAfterSeconds(): number {
		return this.settings.retryAfterSeconds ?? 1;
	}

	get retryAfterMs(): number {
		return this.settings.retryAfterMs ?? 20;
	}

	/** `x-emulator-fault: throttle | unavailable | drop | drop-after-commit | latency=<ms>` (comma-separated). */
	decide(header: string | string[] | undefined): FaultDecision {
		const decision: FaultDecision = { latencyMs: this.settings.latencyMs ?? 0, action: 'none' };
		const text = Array.isArray(header) ? header.join(',') : header;
		if (text) {
			for (const part of text.split(',').map((p) => p.trim().toLowerCase())) {
				const latency = /^latency=(\d+)$/.exec(part);
				if (latency) decision.latencyMs = Number(latency[1]);
				else if (HEADER_ACTIONS[part]) decision.action = HEADER_ACTIONS[part];
			}
		}
		const scripted = decision.action === 'none' ? this.pending.shift() : undefined;
		if (scripted !== undefined) {
			decision.action = scripted;
		} else if (decision.action === 'none' && this.settings.maxConcurrent !== undefined && this.active > this.settings.maxConcurrent) {
			decision.action = 'throttle';
		} else if (decision.action === 'none') {
			const s = this.settings;
			// One draw per configured fault keeps the sequence stable for a given seed and settings.
			if (s.dropRate && this.random() < s.dropRate) decision.action = 'drop';
			else if (s.throttleRate && this.random() < s.throttleRate) decision.action = 'throttle';
			else if (s.unavailableRate && this.random() < s.unavailableRate) decision.action = 'unavailable';
			else if (s.dropAfterCommitRate && this.random() < s.dropAfterCommitRate) decision.action = 'dropAfterCommit';
		}
		this.injected[decision.action]++;
		if (decision.latencyMs > 0) this.injected.latency++;
		return decision;
	}
}
