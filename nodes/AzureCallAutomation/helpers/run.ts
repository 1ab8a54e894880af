/**
 * One node run: what the items and requests of one execution of a node share, in one object.
 *
 * n8n hands an operation only its execute context (`this`), and operations hand that on to the transport
 * (`acsRequest.call(this, …)`), so a run is found from the context. The map below is the one module-level
 * cache of per-run state; it holds the context weakly, so a run ends with its context. The router
 * (actions/router.ts) and the waiting step (waiting/execute.ts) start a run before any operation works;
 * any other context (load options, webhook hooks, the credential test) gets an empty run on first use.
 *
 * Fields, what each is for, who sets it:
 * - `parameters`: node parameters without expressions, read once per run. Made on the first read by
 *   runParameter (helpers/runParameter.ts).
 * - `callbackOverride`: where ACS must send the events of a step that waits for its outcome (the
 *   execution's resume URL). Set by the waiting step; read by Create Call, Answer and operationFields
 *   (helpers/params.ts).
 * The transport's fields, declared in transport/run.ts (helpers/ may not import transport/):
 * - `pacer`: how fast the run sends (in-flight limit, Retry-After pause, rate ceiling, retry budget) and,
 *   in `pacer.health`, the run's failure classifier. Set by the router from Request Options; a run
 *   without one gets the defaults on its first request (transport/index.ts).
 * - `suppliedIds`: per item, the Repeatability Request ID / First Sent given for a re-run. Filled by the
 *   router (actions/repeatabilityIds.ts); taken by the item's first repeatable request.
 * - `endpoint` / `endpointRead`: the credential read once per run and the request URLs by path; set by the
 *   transport on its first request (transport/endpoint.ts).
 * - `sendGate`: holds the run's requests until n8n has stored the execution as waiting. Opened by the
 *   waiting step, passed by every request (transport/sendGate.ts).
 */
import type { INodeParameters } from 'n8n-workflow';

/** While a step waits for its outcome, its events must come to the execution's resume URL instead of the user's. */
export interface CallbackOverride {
	/** The call's callback URL (Create Call, Answer). */
	callbackUri: string;
	/** The operation callback URL (mid-call actions). */
	operationCallbackUri: string;
}

/** runParameter's values for the run (helpers/runParameter.ts). */
export interface ParameterCache {
	/** The node's raw parameters, as configured. */
	raw: INodeParameters;
	values: Map<string, unknown>;
	/** Per parameter: the item path it is made of, or null when it is something else. */
	paths: Map<string, string[] | null>;
}

export interface NodeRun {
	parameters?: ParameterCache;
	callbackOverride?: CallbackOverride;
}

/** n8n's execute context → its run: the only place a context's run is kept (see above). */
const runs = new WeakMap<object, NodeRun>();

/** The context's run; one made now (empty) when no router or waiting step started one. */
export function runOf(ctx: object): NodeRun {
	let run = runs.get(ctx);
	if (run === undefined) {
		run = {};
		runs.set(ctx, run);
	}
	return run;
}

/** Makes `run` the context's run, replacing any earlier one. */
export function setRun(ctx: object, run: NodeRun): NodeRun {
	runs.set(ctx, run);
	return run;
}
