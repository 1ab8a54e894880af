/**
 * The transport's fields of a node run, and the start of a run. The run itself, the map that finds it
 * from n8n's context, and what every field is for live in helpers/run.ts; helpers/ may not import the
 * transport, so the transport adds its own fields to that type here.
 */
import { setRun, type NodeRun } from '../helpers/run';
import type { Endpoint } from './endpoint';
import type { Pacer } from './pacing';
import type { SuppliedRepeatability } from './repeatability';
import type { SendGate } from './sendGate';

declare module '../helpers/run' {
	interface NodeRun {
		/** How fast the run sends, and the run's failure classifier (`pacer.health`). */
		pacer?: Pacer;
		/** Per item, the repeatability ids given for a re-run; the item's first repeatable request takes them. */
		suppliedIds?: Map<number, SuppliedRepeatability>;
		/** The credential as read for this run, with the request URLs by path. */
		endpoint?: Endpoint;
		/** The credential read in flight: concurrent first requests share it. */
		endpointRead?: Promise<Endpoint>;
		/** Holds the run's requests until n8n has stored the execution as waiting. */
		sendGate?: SendGate;
	}
}

/** What the router or the waiting step prepares for a run before any operation works. */
export type RunStart = Pick<NodeRun, 'pacer' | 'suppliedIds' | 'sendGate' | 'callbackOverride'>;

/** Starts the context's run (a new one: nothing of an earlier run of the same context is kept). */
export function startRun(ctx: object, start: RunStart): NodeRun {
	return setRun(ctx, { ...start });
}
