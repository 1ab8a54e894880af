/**
 * The run's pacer on its own: the AIMD in-flight limit, the shared Retry-After pause, the rate ceiling
 * and cancellation. Time is jest's fake clock, so nothing here depends on the machine's speed.
 */
import {
	CancelledError,
	Pacer,
	type PacingSettings,
	type Ticket,
} from '../../nodes/AzureCallAutomation/transport/pacing';

const settings = (over: Partial<PacingSettings> = {}): PacingSettings => ({
	maxInFlight: 8,
	adaptive: true,
	requestsPerSecond: 0,
	retryBudgetMs: 120_000,
	...over,
});

/** An acquire whose settlement can be looked at without awaiting it. */
function track(p: Promise<Ticket>) {
	const state: { ticket?: Ticket; error?: unknown } = {};
	p.then((t) => (state.ticket = t)).catch((e: unknown) => (state.error = e));
	return state;
}

describe('pacer', () => {
	beforeEach(() => jest.useFakeTimers());
	afterEach(() => jest.useRealTimers());

	it('halves the in-flight limit once per burst of 429s, then grows it back to the ceiling on success', async () => {
		const pacer = new Pacer(settings());
		const tickets = await Promise.all(Array.from({ length: 8 }, () => pacer.acquire()));
		const ninth = track(pacer.acquire());
		await jest.advanceTimersByTimeAsync(0);
		expect(ninth.ticket).toBeUndefined();

		// Three 429s answering the same window count as one signal.
		pacer.release(tickets[0], 'throttled');
		pacer.release(tickets[1], 'throttled');
		pacer.release(tickets[2], 'throttled');
		expect(pacer.currentLimit).toBe(4);
		expect(pacer.stats).toMatchObject({ throttled: 3, decreases: 1 });
		// 5 still in flight, limit 4: the waiting request stays queued.
		await jest.advanceTimersByTimeAsync(0);
		expect(ninth.ticket).toBeUndefined();
		pacer.release(tickets[3], 'ok');
		pacer.release(tickets[4], 'ok');
		await jest.advanceTimersByTimeAsync(0);
		expect(ninth.ticket).toBeDefined();

		// A 429 to a request sent after the decrease halves again.
		pacer.release(ninth.ticket as Ticket, 'throttled');
		expect(pacer.currentLimit).toBe(2);
		for (const t of tickets.slice(5)) pacer.release(t, 'ok');

		for (let i = 0; i < 100; i++) pacer.release(await pacer.acquire(), 'ok');
		expect(pacer.currentLimit).toBe(8);
		expect(pacer.stats.lowestLimit).toBe(2);
	});

	it('hands a slot over at once only when acquire would not wait', async () => {
		// Adaptation off, so the 429 below pauses without also halving the limit.
		const pacer = new Pacer(settings({ maxInFlight: 2, adaptive: false }));
		const a = pacer.tryAcquire();
		const b = pacer.tryAcquire();
		expect(a && b).toBeDefined();
		// At the limit: the caller must wait in acquire, behind whoever waits already.
		expect(pacer.tryAcquire()).toBeUndefined();
		const queued = track(pacer.acquire());
		pacer.release(a as Ticket, 'ok');
		expect(pacer.tryAcquire()).toBeUndefined();
		await jest.advanceTimersByTimeAsync(0);
		expect(queued.ticket).toBeDefined();
		// During a shared Retry-After pause nothing is handed over at once.
		pacer.release(b as Ticket, 'throttled', 1000);
		expect(pacer.tryAcquire()).toBeUndefined();
		await jest.advanceTimersByTimeAsync(1000);
		expect(pacer.tryAcquire()).toBeDefined();
		// With a rate ceiling every start goes through acquire's spacing.
		expect(new Pacer(settings({ requestsPerSecond: 5 })).tryAcquire()).toBeUndefined();
		expect(pacer.stats.sent).toBe(4);
	});

	it('never goes below one request at a time', async () => {
		const pacer = new Pacer(settings({ maxInFlight: 4 }));
		for (let i = 0; i < 10; i++) pacer.release(await pacer.acquire(), 'throttled');
		expect(pacer.currentLimit).toBe(1);
		pacer.release(await pacer.acquire(), 'ok');
	});

	it('with adaptation off, keeps Items Sent at Once', async () => {
		const pacer = new Pacer(settings({ adaptive: false }));
		for (let i = 0; i < 5; i++) pacer.release(await pacer.acquire(), 'throttled');
		expect(pacer.currentLimit).toBe(8);
	});

	it('a Retry-After pauses every sender of the run until it has passed', async () => {
		const pacer = new Pacer(settings());
		const a = await pacer.acquire();
		const b = await pacer.acquire();
		pacer.release(a, 'throttled', 2000);
		const next = track(pacer.acquire());
		await jest.advanceTimersByTimeAsync(1999);
		expect(next.ticket).toBeUndefined();
		await jest.advanceTimersByTimeAsync(1);
		expect(next.ticket).toBeDefined();
		pacer.release(b, 'ok');
	});

	it('caps a Retry-After at the retry budget', async () => {
		const pacer = new Pacer(settings({ retryBudgetMs: 500 }));
		pacer.release(await pacer.acquire(), 'throttled', 86_400_000);
		const next = track(pacer.acquire());
		await jest.advanceTimersByTimeAsync(500);
		expect(next.ticket).toBeDefined();
	});

	it('spaces request starts to the requests-per-second ceiling', async () => {
		const pacer = new Pacer(settings({ requestsPerSecond: 10 }));
		const starts = [track(pacer.acquire()), track(pacer.acquire()), track(pacer.acquire())];
		await jest.advanceTimersByTimeAsync(0);
		expect(starts.map((s) => s.ticket !== undefined)).toEqual([true, false, false]);
		await jest.advanceTimersByTimeAsync(100);
		expect(starts.map((s) => s.ticket !== undefined)).toEqual([true, true, false]);
		await jest.advanceTimersByTimeAsync(100);
		expect(starts.map((s) => s.ticket !== undefined)).toEqual([true, true, true]);
	});

	it('stops waiting when the execution is cancelled, and gives the slot back', async () => {
		const abort = new AbortController();
		const pacer = new Pacer(settings({ maxInFlight: 1 }), abort.signal);
		pacer.release(await pacer.acquire(), 'throttled', 60_000);
		const waiting = track(pacer.acquire());
		await jest.advanceTimersByTimeAsync(10);
		abort.abort();
		await jest.advanceTimersByTimeAsync(0);
		expect(waiting.error).toBeInstanceOf(CancelledError);
		// The slot is free again (the limit is 1): a waiter after the cancel would not hang on it.
		expect((pacer as unknown as { inFlight: number }).inFlight).toBe(0);
	});

	it('an item waiting out a failure of its own tells the run (so it can take up another item), holds no slot, and changes no limit', async () => {
		const pacer = new Pacer(settings({ maxInFlight: 2 }));
		const seen: number[] = [];
		pacer.onPark = (item) => seen.push(item);
		const ticket = await pacer.acquire();
		pacer.release(ticket, 'other');
		let done = false;
		void pacer.park(500, 7).then(() => (done = true));
		expect(seen).toEqual([7]);
		expect(pacer.tryAcquire()).toBeDefined();
		await jest.advanceTimersByTimeAsync(500);
		expect(done).toBe(true);
		expect(pacer.currentLimit).toBe(2);
		expect(pacer.stats.decreases).toBe(0);
	});

	it('a retry of an item whose failures are its own gives way to every other waiting request', async () => {
		const pacer = new Pacer(settings({ maxInFlight: 1 }));
		const first = await pacer.acquire();
		const order: string[] = [];
		void pacer.acquire(true).then((t) => {
			order.push('retry');
			pacer.release(t, 'ok');
		});
		void pacer.acquire().then((t) => {
			order.push('fresh');
			pacer.release(t, 'ok');
		});
		pacer.release(first, 'ok');
		await jest.advanceTimersByTimeAsync(0);
		expect(order).toEqual(['fresh', 'retry']);
	});
});
