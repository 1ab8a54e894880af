/**
 * Callback events: CloudEvents built like ACS sends them, delivered per call strictly in order (one
 * queue per call) with a bearer JWT, retried with back-off, and recorded for inspection and waitForEvent.
 * Delivery never blocks an API response: emit() only enqueues.
 */
import { randomUUID } from 'node:crypto';
import {
	createAgents,
	closeAgents,
	isLoopback,
	post,
	retryable,
	type Agents,
	type PostResult,
} from './delivery';
import type { JwtIssuer } from './jwt';
import type { CallRecord, CloudEvent, EventRecord, WaitFilter } from './types';

export const EVENT_PREFIX = 'Microsoft.Communication.';

export interface ResultInformation {
	code: number;
	subCode: number;
	message: string;
}

export const OK: ResultInformation = {
	code: 200,
	subCode: 0,
	message: 'The action completed successfully.',
};

interface Waiter {
	type: string;
	filter: WaitFilter;
	resolve: (event: CloudEvent) => void;
	reject: (error: Error) => void;
	timer: NodeJS.Timeout;
}

export interface EventBusOptions {
	enabled: boolean;
	deliverExternal: boolean;
	retries: number;
	backoffMs: number;
	timeoutMs: number;
	historyLimit: number;
}

export class EventBus {
	records: EventRecord[] = [];
	private seq = 0;
	private readonly queues = new Map<string, Promise<void>>();
	private readonly waiters = new Set<Waiter>();
	private readonly agents: Agents = createAgents();
	private closed = false;

	constructor(
		private readonly jwt: JwtIssuer,
		private readonly opts: EventBusOptions,
	) {}

	get lastSeq(): number {
		return this.seq;
	}

	get enabled(): boolean {
		return this.opts.enabled;
	}

	/** Builds a call event and queues it behind the call's earlier events. */
	emitCallEvent(
		call: Pick<CallRecord, 'callConnectionId' | 'serverCallId' | 'correlationId'>,
		name: string,
		url: string,
		data: Record<string, unknown> = {},
	): void {
		if (!this.opts.enabled || this.closed) return;
		const type = EVENT_PREFIX + name;
		const path = `calling/callConnections/${call.callConnectionId}`;
		const event: CloudEvent = {
			id: randomUUID(),
			source: path,
			type,
			specversion: '1.0',
			time: new Date().toISOString(),
			datacontenttype: 'application/json',
			subject: path,
			data: {
				callConnectionId: call.callConnectionId,
				serverCallId: call.serverCallId,
				correlationId: call.correlationId,
				...data,
			},
		};
		const record = this.record('callback', type, url, event, call.callConnectionId);
		const body = JSON.stringify([event]);
		this.enqueue(call.callConnectionId, async () => {
			if (!this.opts.deliverExternal && !isLoopback(url)) {
				this.settle(
					record,
					'skipped',
					undefined,
					'not a loopback URL (set deliverExternal to deliver it)',
				);
				return;
			}
			await this.deliver(record, () => ({
				url,
				body,
				headers: {
					'content-type': 'application/json',
					authorization: `Bearer ${this.jwt.token()}`,
					'user-agent': 'acs-call-automation-emulator',
				},
			}));
		});
	}

	/** Event Grid deliveries (IncomingCall): independent of call queues; resolves when settled. */
	async deliverEventGrid(
		url: string,
		type: string,
		event: unknown,
		buildHeaders: (attempt: number) => Record<string, string>,
		body: string,
	): Promise<EventRecord> {
		const record = this.record('eventGrid', type, url, event, undefined);
		await this.deliver(record, (attempt) => ({ url, body, headers: buildHeaders(attempt) }));
		return record;
	}

	private record(
		channel: EventRecord['channel'],
		type: string,
		url: string,
		event: unknown,
		callConnectionId: string | undefined,
	): EventRecord {
		const record: EventRecord = {
			seq: ++this.seq,
			channel,
			type,
			callConnectionId,
			url,
			status: 'pending',
			attempts: 0,
			event,
			emittedAt: new Date().toISOString(),
		};
		this.records.push(record);
		if (this.records.length > this.opts.historyLimit)
			this.records.splice(0, this.records.length - this.opts.historyLimit);
		return record;
	}

	private enqueue(key: string, task: () => Promise<void>): void {
		const previous = this.queues.get(key) ?? Promise.resolve();
		const next = previous.then(task, task);
		this.queues.set(key, next);
		void next.then(() => {
			if (this.queues.get(key) === next) this.queues.delete(key);
		});
	}

	private async deliver(
		record: EventRecord,
		build: (attempt: number) => { url: string; body: string; headers: Record<string, string> },
	): Promise<void> {
		let result: PostResult = { ok: false, error: 'not attempted' };
		for (let attempt = 0; attempt <= this.opts.retries && !this.closed; attempt++) {
			if (attempt > 0)
				await new Promise((r) => setTimeout(r, this.opts.backoffMs * 2 ** (attempt - 1)));
			if (this.closed) break;
			const { url, body, headers } = build(attempt);
			record.attempts = attempt + 1;
			result = await post(url, body, headers, this.opts.timeoutMs, this.agents);
			if (!retryable(result)) break;
		}
		this.settle(record, result.ok ? 'delivered' : 'failed', result.status, result.error);
	}

	private settle(
		record: EventRecord,
		status: EventRecord['status'],
		responseStatus?: number,
		error?: string,
	): void {
		record.status = status;
		record.responseStatus = responseStatus;
		if (error) record.error = error;
		record.settledAt = new Date().toISOString();
		if (record.channel !== 'callback') return;
		for (const w of this.waiters) {
			if (matches(record, w.type, w.filter)) {
				this.waiters.delete(w);
				clearTimeout(w.timer);
				w.resolve(record.event as CloudEvent);
			}
		}
	}

	/** Resolves with the first settled (delivered, failed or skipped) matching event, past or future. */
	waitForEvent(type: string, filter: WaitFilter = {}): Promise<CloudEvent> {
		const full = type.startsWith(EVENT_PREFIX) ? type : EVENT_PREFIX + type;
		if (!this.opts.enabled)
			return Promise.reject(new Error('Event delivery is switched off (deliverEvents: false).'));
		const past = this.records.find(
			(r) => r.status !== 'pending' && r.channel === 'callback' && matches(r, full, filter),
		);
		if (past) return Promise.resolve(past.event as CloudEvent);
		return new Promise((resolve, reject) => {
			const timeoutMs = filter.timeoutMs ?? 10_000;
			const waiter: Waiter = {
				type: full,
				filter,
				resolve,
				reject,
				timer: setTimeout(() => {
					this.waiters.delete(waiter);
					const seen = this.records
						.filter(
							(r) => !filter.callConnectionId || r.callConnectionId === filter.callConnectionId,
						)
						.map((r) => `${r.type.replace(EVENT_PREFIX, '')}(${r.status})`)
						.slice(-20);
					reject(
						new Error(
							`No ${full} event ${JSON.stringify({ ...filter, match: undefined })} within ${timeoutMs} ms; events so far: ${seen.join(', ') || 'none'}`,
						),
					);
				}, timeoutMs),
			};
			waiter.timer.unref?.();
			this.waiters.add(waiter);
		});
	}

	reset(): void {
		this.records = [];
		for (const w of this.waiters) {
			clearTimeout(w.timer);
			w.reject(new Error('Emulator was reset.'));
		}
		this.waiters.clear();
	}

	close(): void {
		this.closed = true;
		this.reset();
		closeAgents(this.agents);
	}
}

function matches(record: EventRecord, type: string, filter: WaitFilter): boolean {
	if (record.type !== type) return false;
	if (filter.afterSeq !== undefined && record.seq <= filter.afterSeq) return false;
	const event = record.event as CloudEvent;
	const data = event.data ?? {};
	if (filter.callConnectionId !== undefined && data.callConnectionId !== filter.callConnectionId)
		return false;
	if (filter.operationContext !== undefined && data.operationContext !== filter.operationContext)
		return false;
	return !filter.match || filter.match(event);
}
