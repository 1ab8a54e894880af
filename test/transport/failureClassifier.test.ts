/**
 * The failure classifier on its own: whose failure is it (the item's or the service's), and when an
 * item's own failures end it. It sees outcomes only, so these sequences are exact.
 */
import {
	FailureClassifier,
	MIN_OWN_FAILURES,
	type RequestTrack,
} from '../../nodes/AzureCallAutomation/transport/failureClassifier';

/** `n` requests that go through, each after `failuresFirst` failures. */
function healthy(c: FailureClassifier, n: number, failuresFirst = 0): void {
	for (let i = 0; i < n; i++) {
		const t = c.track();
		for (let f = 0; f < failuresFirst; f++) c.failed(t);
		c.succeeded(t);
	}
}

/** Fails `t` until it is given up or turns service-wide; the verdicts in order. */
function failUntilDone(c: FailureClassifier, t: RequestTrack, limit = 100): string[] {
	const verdicts: string[] = [];
	for (let i = 0; i < limit; i++) {
		const { verdict, giveUp } = c.failed(t);
		verdicts.push(giveUp ? 'give up' : verdict);
		if (giveUp) break;
	}
	return verdicts;
}

describe('failure classifier', () => {
	it("before anything went through, a failure is the service's: the first answers of a run are no evidence against an item", () => {
		const c = new FailureClassifier();
		expect(c.failed(c.track())).toEqual({ verdict: 'service', giveUp: false });
		expect(failUntilDone(c, c.track(), 10)).toEqual(Array(10).fill('service'));
	});

	it('an item that keeps failing while the others go through is given up after a few attempts', () => {
		const c = new FailureClassifier();
		healthy(c, 64);
		expect(c.ownFailureCap()).toBe(MIN_OWN_FAILURES);
		expect(failUntilDone(c, c.track())).toEqual([
			...Array(MIN_OWN_FAILURES - 1).fill('item'),
			'give up',
		]);
	});

	it('items that never succeed do not make the others look unhealthy', () => {
		const c = new FailureClassifier();
		healthy(c, 64);
		for (let k = 0; k < 50; k++) {
			healthy(c, 9);
			const failing = c.track();
			expect(failUntilDone(c, failing)).toHaveLength(MIN_OWN_FAILURES);
		}
		expect(c.ownFailureCap()).toBe(MIN_OWN_FAILURES);
	});

	it('when healthy requests often fail first (a flaky service), an item gets more attempts, so bad luck alone almost never ends one', () => {
		const c = new FailureClassifier();
		// Requests that went through needed two attempts in five: a failure rate of about 0.2.
		for (let i = 0; i < 64; i++) healthy(c, 1, i % 5 < 2 ? 1 : 0);
		const cap = c.ownFailureCap();
		expect(cap).toBeGreaterThanOrEqual(9);
		// A healthy request failing `cap` times in a row by chance: below one in ten million.
		expect(c.failureRate() ** cap).toBeLessThan(1e-7);
	});

	it("a service failing half the attempts of requests that still go through is the service's problem: nobody is given up", () => {
		const c = new FailureClassifier();
		for (let i = 0; i < 64; i++) healthy(c, 1, 2);
		expect(c.failureRate()).toBeGreaterThanOrEqual(0.5);
		expect(failUntilDone(c, c.track(), 30)).toEqual(Array(30).fill('service'));
	});

	it("an outage mid-run (three other items fail their first attempt in a row) is the service's, until something goes through again", () => {
		const c = new FailureClassifier();
		healthy(c, 64);
		const a = c.track();
		expect(c.failed(a).verdict).toBe('item');
		const others = [c.track(), c.track(), c.track()];
		for (const t of others) c.failed(t);
		expect(failUntilDone(c, a, 20)).toEqual(Array(20).fill('service'));
		// An item's own later failures are not news: the others' second failures do not add to the run.
		expect(a.own).toBe(1);
		healthy(c, 1);
		expect(c.failed(a).verdict).toBe('item');
	});

	it('an item failing alone at the end of a run, with nothing else in flight, is still its own', () => {
		const c = new FailureClassifier();
		healthy(c, 64);
		const a = c.track();
		const b = c.track();
		c.failed(a);
		c.failed(b);
		// Two first failures (a's and b's) are not yet an outage; their later ones add nothing.
		expect(failUntilDone(c, a)).toEqual([...Array(MIN_OWN_FAILURES - 2).fill('item'), 'give up']);
		expect(failUntilDone(c, b)).toEqual([...Array(MIN_OWN_FAILURES - 2).fill('item'), 'give up']);
	});
});
