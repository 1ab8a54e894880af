/**
 * Holds a step's request until n8n has stored the execution as waiting. ACS can answer within
 * milliseconds (a bad audio URL, a blocked number); an event that reaches n8n before the execution
 * is stored as waiting gets 409 and is lost, so the request is sent only after that.
 */
export interface SendGate {
	/** Resolves when the operation reached its first request (built and validated, not sent). */
	readonly reached: Promise<void>;
	/** Lets the request go. */
	release(): void;
	/** Fails the request instead of sending it. */
	cancel(error: Error): void;
}

const gates = new WeakMap<object, { gate: SendGate; passed: () => Promise<void> }>();

export function openGate(ctx: object): SendGate {
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
	const gate: SendGate = { reached: reachedPromise, release, cancel };
	gates.set(ctx, {
		gate,
		passed: async () => {
			reached();
			await open;
		},
	});
	return gate;
}

/** Called by the transport before every request: what to wait for when a gate is open for this run. */
export function passGate(ctx: object): Promise<void> | undefined {
	return gates.get(ctx)?.passed();
}
