/**
 * Whose failure is it? A request that keeps failing (5xx, 408, lost connection) while other requests of
 * the same run go through has a problem of its own (its number, its data): it should end after a few
 * attempts, and it must not slow the run. When the run as a whole is failing, the problem is the
 * service's: the run slows down and every request keeps trying within its retry budget. 429 is always
 * the service's and never comes here. One classifier per node run (held by the run's pacer); it sees
 * outcomes only, never the clock, so its verdicts do not depend on the machine's speed.
 */

/** What a request's failure says: about the service (slow the run, keep trying) or about this item. */
export type Verdict = 'service' | 'item';

/** A request's own failures end it after at least this many. */
export const MIN_OWN_FAILURES = 4;
/** The most a healthy request may risk being given up by bad luck alone: one in ten million. */
const BAD_LUCK = 1e-7;
/**
 * Recent successful requests whose earlier failures estimate how often a healthy attempt fails. Long, because
 * requests that failed first finish late (their retries give way to others): a short window at the end of
 * a run would hold only those and overstate the rate.
 */
const WINDOW = 512;

/** The latest outcomes of other requests that say the service is failing: this many first failures in a row. */
const OUTAGE_RUN = 3;

/** One request's history, kept by the transport across its attempts. */
export interface RequestTrack {
	/** Retryable failures so far, whoever's. */
	failures: number;
	/** Failures judged this request's own. */
	own: number;
}

/** What the run saw lately: successes, and requests' first failures (later ones of the same request say nothing new). */
interface RunEvent {
	track: RequestTrack;
	ok: boolean;
}

export class FailureClassifier {
	/** Failures each of the last WINDOW successful requests had before it succeeded (a ring). */
	private readonly recent: number[] = [];
	private recentFailures = 0;
	private cursor = 0;
	/** The latest run events, newest last (a few more than OUTAGE_RUN, so the judged request's own can be skipped). */
	private readonly events: RunEvent[] = [];

	track(): RequestTrack {
		return { failures: 0, own: 0 };
	}

	succeeded(t: RequestTrack): void {
		this.remember({ track: t, ok: true });
		if (this.recent.length < WINDOW) {
			this.recent.push(t.failures);
		} else {
			this.recentFailures -= this.recent[this.cursor];
			this.recent[this.cursor] = t.failures;
			this.cursor = (this.cursor + 1) % WINDOW;
		}
		this.recentFailures += t.failures;
	}

	/**
	 * How often an attempt of a request that goes through fails first, lately: failures over attempts of
	 * the recent successful requests, with half a failure of prior so that few successes say little (none:
	 * one half). Requests that never succeed are not in it, so items that keep failing do not inflate it.
	 */
	failureRate(): number {
		const attempts = this.recentFailures + this.recent.length;
		return (this.recentFailures + 0.5) / (attempts + 1);
	}

	/**
	 * A request's own failures that end it: enough that a healthy request, failing as often as requests that
	 * went through lately did, would fail that many times in a row less than once in ten million; at least 4.
	 */
	ownFailureCap(): number {
		const rate = this.failureRate();
		return Math.max(MIN_OWN_FAILURES, Math.ceil(Math.log(BAD_LUCK) / Math.log(rate)));
	}

	/**
	 * A retryable failure of the request's latest attempt. The service's when requests that go through
	 * fail half their attempts or more (or none went through yet), or when the latest news from other
	 * requests is three first failures in a row (an outage beginning); the item's own otherwise.
	 */
	failed(t: RequestTrack): { verdict: Verdict; giveUp: boolean } {
		const first = t.failures === 0;
		t.failures++;
		const serviceWide = this.failureRate() >= 0.5 || this.othersFailing(t);
		if (first) this.remember({ track: t, ok: false });
		if (serviceWide) return { verdict: 'service', giveUp: false };
		t.own++;
		return { verdict: 'item', giveUp: t.own >= this.ownFailureCap() };
	}

	/** The latest OUTAGE_RUN events of other requests are all first failures. */
	private othersFailing(t: RequestTrack): boolean {
		let seen = 0;
		for (let i = this.events.length - 1; i >= 0 && seen < OUTAGE_RUN; i--) {
			const event = this.events[i];
			if (event.track === t) continue;
			if (event.ok) return false;
			seen++;
		}
		return seen === OUTAGE_RUN;
	}

	private remember(event: RunEvent): void {
		this.events.push(event);
		if (this.events.length > 4 * OUTAGE_RUN) this.events.shift();
	}
}
