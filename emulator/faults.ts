/**
 * Fault injection for data-plane requests: per run (rates drawn from a seeded PRNG), per request (header),
 * or by body (item-specific failures: the same request fails on every attempt).
 */
import { createHash } from 'node:crypto';

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

const SEQUENCE_ACTIONS = new Set<FaultAction>([
	'none',
	'throttle',
	'unavailable',
	'drop',
	'dropAfterCommit',
]);

/** Where a request names who it is for: Create Call targets, the participant to add, remove, transfer to, … */
const TARGET_FIELDS = [
	'targets',
	'participantToAdd',
	'participantToRemove',
	'targetParticipant',
	'participantToMute',
	'participantToCancel',
];

/** The numbers / ids a request body names (phoneNumber.value, communicationUser.id or rawId of each). */
function targetsOf(json: unknown): string[] {
	if (typeof json !== 'object' || json === null) return [];
	const body = json as Record<string, unknown>;
	const found: string[] = [];
	for (const field of TARGET_FIELDS) {
		const value = body[field];
		for (const id of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
			const m = (typeof id === 'object' && id !== null ? id : {}) as {
				rawId?: unknown;
				phoneNumber?: { value?: unknown };
				communicationUser?: { id?: unknown };
			};
			const key = m.phoneNumber?.value ?? m.communicationUser?.id ?? m.rawId;
			if (typeof key === 'string') found.push(key);
		}
	}
	return found;
}

/** A stable number in [0, 1) for a text: the same in every run and process, well spread for near-equal texts (sequential numbers). */
function unitHash(text: string): number {
	return createHash('sha256').update(text).digest().readUInt32BE(0) / 4294967296;
}

/** Whether failingShare picks this number (E.164 or `4:` raw id) for the given seed: the emulator's rule, for callers that need to know ahead. */
export function failsByShare(target: string, share: number, seed = 0): boolean {
	return share > 0 && unitHash(`${seed}\n${target.replace(/^4:/, '')}`) < share;
}

export class Faults {
	private settings: FaultSettings = {};
	private random: () => number = Math.random;
	private pending: FaultAction[] = [];
	private failingTargets = new Set<string>();
	/** Data-plane requests being handled now (for maxConcurrent). */
	active = 0;
	readonly injected: Record<FaultAction | 'latency' | 'failing', number> = {
		none: 0,
		throttle: 0,
		unavailable: 0,
		drop: 0,
		dropAfterCommit: 0,
		latency: 0,
		failing: 0,
	};

	constructor(settings: FaultSettings = {}) {
		this.set(settings);
	}

	/** Replaces the run's fault settings (an empty object switches faults off). */
	set(settings: FaultSettings): void {
		for (const key of [
			'throttleRate',
			'unavailableRate',
			'dropRate',
			'dropAfterCommitRate',
		] as const) {
			const v = settings[key];
			if (v !== undefined && (typeof v !== 'number' || v < 0 || v > 1))
				throw new Error(`${key} must be a number between 0 and 1.`);
		}
		const { sequence, maxConcurrent } = settings;
		if (
			sequence !== undefined &&
			(!Array.isArray(sequence) || sequence.some((a) => !SEQUENCE_ACTIONS.has(a)))
		) {
			throw new Error(`sequence must be a list of ${[...SEQUENCE_ACTIONS].join(', ')}.`);
		}
		if (maxConcurrent !== undefined && (!Number.isInteger(maxConcurrent) || maxConcurrent < 1))
			throw new Error('maxConcurrent must be a whole number of at least 1.');
		const { failingShare, failingTargets, failingStatus } = settings;
		if (
			failingShare !== undefined &&
			(typeof failingShare !== 'number' || failingShare < 0 || failingShare > 1)
		)
			throw new Error('failingShare must be a number between 0 and 1.');
		if (
			failingTargets !== undefined &&
			(!Array.isArray(failingTargets) || failingTargets.some((t) => typeof t !== 'string'))
		) {
			throw new Error('failingTargets must be a list of numbers or raw ids (strings).');
		}
		if (failingStatus !== undefined && failingStatus !== 500 && failingStatus !== 503)
			throw new Error('failingStatus must be 500 or 503.');
		this.failingTargets = new Set((failingTargets ?? []).flatMap((t) => [t, t.replace(/^4:/, '')]));
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
		} else if (
			decision.action === 'none' &&
			this.settings.maxConcurrent !== undefined &&
			this.active > this.settings.maxConcurrent
		) {
			decision.action = 'throttle';
		} else if (decision.action === 'none') {
			const s = this.settings;
			// One draw per configured fault keeps the sequence stable for a given seed and settings.
			if (s.dropRate && this.random() < s.dropRate) decision.action = 'drop';
			else if (s.throttleRate && this.random() < s.throttleRate) decision.action = 'throttle';
			else if (s.unavailableRate && this.random() < s.unavailableRate)
				decision.action = 'unavailable';
			else if (s.dropAfterCommitRate && this.random() < s.dropAfterCommitRate)
				decision.action = 'dropAfterCommit';
		}
		this.injected[decision.action]++;
		if (decision.latencyMs > 0) this.injected.latency++;
		return decision;
	}

	/** Whether requests for this number (or raw id) always fail under the current settings. */
	failsFor(target: string): boolean {
		const plain = target.replace(/^4:/, '');
		if (this.failingTargets.has(target) || this.failingTargets.has(plain)) return true;
		return failsByShare(plain, this.settings.failingShare ?? 0, this.settings.seed);
	}

	/**
	 * The status an item-specific failure answers this request with (failingShare / failingTargets), or
	 * undefined. Decided by the body alone, so every attempt of the same request gets the same answer.
	 */
	failing(rawBody: Buffer): number | undefined {
		const s = this.settings;
		if (!s.failingShare && this.failingTargets.size === 0) return undefined;
		let json: unknown;
		try {
			json = rawBody.length > 0 ? JSON.parse(rawBody.toString('utf8')) : undefined;
		} catch {
			json = undefined;
		}
		const targets = targetsOf(json);
		let fails = targets.some((t) => this.failsFor(t));
		// A body that names nobody (Play, Recognize, …) is chosen by its whole text.
		if (!fails && targets.length === 0 && rawBody.length > 0 && s.failingShare) {
			fails = unitHash(`${s.seed ?? 0}\n${rawBody.toString('utf8')}`) < s.failingShare;
		}
		if (!fails) return undefined;
		this.injected.failing++;
		return s.failingStatus ?? 503;
	}
}
