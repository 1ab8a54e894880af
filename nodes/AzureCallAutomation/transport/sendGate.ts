/**
 * Holds a step's request until n8n has stored the execution as waiting. ACS can answer within
 * milliseconds (a bad audio URL, a blocked number); an event that reaches n8n before the execution
 * is stored as waiting gets 409 and is lost, so the request is sent only after that. The waiting step
 * opens the gate and keeps it in its run (`sendGate`, helpers/run.ts); every request of the run passes it.
 */
export interface SendGate {
	/** Resolves when the operation reached its first request (built and validated, not sent). */
	readonly reached: Promise<void>;
	/** Lets the request go. */
	release(): void;
	/** Fails the request instead of sending it. */
	cancel(error: Error): void;
	/** Called by the transport before a request: says the gate was reached, then waits for it to open. */
	pass(): Promise<void>;
}

export function openGate(): SendGate {
	let reached!: () => void;
	let release!: () => void;
	let cancel!: (error: Error) => void;
	const reachedPromise = new Promise<void>((resolve) => (reached = resolve));
	const open = new Promise<void>((resolve, reject) => {
		release = resolve;
		cancel = reject;
	});
	// A cancelled gate nobody awaits yet must not become an unhandled rejection.
	open.catch(() => undefined);
	return {
		reached: reachedPromise,
		release,
		cancel,
		pass: async () => {
			reached();
			await open;
		},
	};
}
