/**
 * Wait for Outcome: the step builds its request with the execution's resume URL as callback, puts the
 * execution to wait, and only then (once n8n has stored it as waiting) sends the request. The outcome
 * event resumes the execution through the node's webhook (waiting/webhook.ts).
 */
import { randomUUID } from 'node:crypto';
import {
	NodeApiError,
	NodeOperationError,
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { parseConnectionString } from '../../../acs/connectionString';
import { DEFAULT_OPENID_CONFIGURATION_URL } from '../../../acs/defaults';
import { isGone } from '../helpers/alreadyEnded';
import { runParameter } from '../helpers/runParameter';
import { readEndpoint } from '../transport/endpoint';
import { DEFAULT_TIME_LIMIT_S } from './description';
import { openGate, type SendGate } from '../transport/sendGate';
import { startRun } from '../transport/run';
import { outcomeSpec } from './outcomes';
import { signReport, signStep } from './stepToken';

/** Query parameters of the resume URL the node adds (n8n keeps its own, e.g. the signature). */
export const STEP_PARAM = 'acsStep';
export const PROBE_PARAM = 'acsProbe';
export const REPORT_PARAM = 'acsReport';

// How long to look for the execution to be stored as waiting before giving up (it then times out).
const READY_DEADLINE_MS = 60_000;
// How long to wait for n8n's save hook before asking the resume URL instead.
const STORED_FALLBACK_MS = 2_000;

export function isWaitingStep(ctx: IExecuteFunctions): boolean {
	const resource = ctx.getNodeParameter('resource', 0) as string;
	const operation = ctx.getNodeParameter('operation', 0) as string;
	return (
		outcomeSpec(resource, operation) !== undefined &&
		ctx.getNodeParameter('waitForOutcome', 0, false) === true
	);
}

export function withQuery(url: string, params: Record<string, string>): string {
	const u = new URL(url);
	for (const [name, value] of Object.entries(params)) u.searchParams.set(name, value);
	return u.toString();
}

interface Pending {
	ctx: IExecuteFunctions;
	resumeUrl: string;
	token: string;
	key: Buffer;
	gate: SendGate;
	done: Promise<unknown>;
	/** Settles when n8n's save hook has run (undefined: no hook, ask the resume URL instead). */
	stored?: Promise<boolean>;
}

/** Asks n8n (GET on the resume URL) until it answers for this waiting step, not 409 "running". */
async function whenWaiting(p: Pending): Promise<boolean> {
	const url = withQuery(p.resumeUrl, { [STEP_PARAM]: p.token, [PROBE_PARAM]: '1' });
	const started = Date.now();
	// n8n stores a waiting execution within milliseconds of the node returning: ask often at first.
	let delay = 2;
	while (Date.now() - started < READY_DEADLINE_MS) {
		try {
			const response = (await p.ctx.helpers.httpRequest({
				method: 'GET',
				url,
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
			})) as { statusCode: number; body?: IDataObject };
			if (response.statusCode === 200 && response.body?.ready === true) return true;
			// 404: no such execution or step; 409 after it finished: nothing left to wait for.
			if (response.statusCode === 404) return false;
		} catch {
			// n8n restarting or unreachable for a moment: try again.
		}
		await sleep(delay);
		delay = Math.min(250, Math.ceil(delay * 1.5));
	}
	return false;
}

interface LifecycleHooks {
	addHandler(
		hook: 'workflowExecuteAfter',
		handler: (run: { waitTill?: unknown; status?: string }) => void,
	): void;
}

/**
 * n8n's lifecycle hooks of this execution (n8n-core 1.x and 2.x keep them on the context's
 * additionalData). n8n registers the handler that stores the execution before the run starts and runs
 * the handlers in order, so a handler added now runs once the execution is stored as waiting: the
 * moment the resume URL stops answering 409. Undefined where a host does not expose them.
 */
function lifecycleHooks(ctx: IExecuteFunctions): LifecycleHooks | undefined {
	const hooks = (ctx as unknown as { additionalData?: { hooks?: Partial<LifecycleHooks> } })
		.additionalData?.hooks;
	return typeof hooks?.addHandler === 'function' ? (hooks as LifecycleHooks) : undefined;
}

/** Resolves true once n8n has stored the execution as waiting (false: the run ended without waiting). */
function whenStored(hooks: LifecycleHooks): Promise<boolean> {
	return new Promise((resolve) => {
		hooks.addHandler('workflowExecuteAfter', (run) => {
			resolve(Boolean(run?.waitTill) || run?.status === 'waiting');
		});
	});
}

/** The request failed: nothing will come from ACS, so the node resumes its own step with the error. */
async function report(p: Pending, error: unknown): Promise<void> {
	const e = error as Error & { description?: string; httpCode?: string };
	// ACS knows no such call: it has ended (calls are removed when they disconnect), a normal ending.
	const outcome = isGone(error) ? { outcome: 'callEnded', alreadyEnded: true } : {};
	const body = JSON.stringify({
		...outcome,
		error: e.message,
		description: e.description ?? undefined,
		httpCode: e.httpCode ?? undefined,
	});
	try {
		await p.ctx.helpers.httpRequest({
			method: 'POST',
			url: withQuery(p.resumeUrl, {
				[STEP_PARAM]: p.token,
				[REPORT_PARAM]: signReport(p.key, body),
			}),
			body,
			headers: { 'content-type': 'application/json' },
			ignoreHttpStatusErrors: true,
		});
	} catch {
		// The step then ends at its time limit.
	}
}

async function proceed(p: Pending): Promise<void> {
	// The save hook normally fires within milliseconds; if it does not, ask the resume URL as well.
	const stored = p.stored
		? await Promise.race([p.stored, sleep(STORED_FALLBACK_MS).then(() => false)])
		: false;
	const ready = stored || (await whenWaiting(p));
	if (ready) p.gate.release();
	else p.gate.cancel(new Error('n8n did not report the execution as waiting'));
	try {
		await p.done;
	} catch (error) {
		await report(p, error);
	}
}

/** Runs one operation of the action node (passed in by the node: this room does not import actions/). */
export type OperationRunner = (
	ctx: IExecuteFunctions,
	resource: string,
	operation: string,
) => Promise<unknown>;

export async function executeAndWait(
	this: IExecuteFunctions,
	run: OperationRunner,
): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const node = this.getNode();
	if (items.length !== 1) {
		throw new NodeOperationError(
			node,
			`Wait for Outcome takes one item per execution (got ${items.length})`,
			{
				description:
					'Each item is one conversation: run the call steps in a sub-workflow (Execute Workflow, one item each) or turn Wait for Outcome off and react with the trigger.',
			},
		);
	}
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	// The step's run: its request waits at the gate; the credential is read once, for the step's key here and
	// for the request the transport signs. n8n reads it from its database while the resume URL is resolved.
	const gate = openGate();
	const nodeRun = startRun(this, { sendGate: gate });
	const endpointRead = readEndpoint(this, nodeRun);
	// Its failure is reported where it is awaited below, not as an unhandled rejection meanwhile.
	endpointRead.catch(() => undefined);
	const resumeUrl = String(this.evaluateExpression('{{ $execution.resumeUrl }}', 0));
	const credentials = (await endpointRead).credentials.credentialsDecrypted?.data ?? {};
	if (!String(credentials.resourceId ?? '').trim()) {
		throw new NodeOperationError(
			node,
			'Wait for Outcome needs the ACS Resource ID in the credential',
			{
				description:
					"Events that resume a step are verified like the trigger's: add the resource's immutable resource ID (a GUID in the resource's JSON view) to the Azure Communication Services credential.",
			},
		);
	}
	const { key } = parseConnectionString(credentials.connectionString);
	const limit = Number(this.getNodeParameter('waitTimeLimit', 0, DEFAULT_TIME_LIMIT_S));
	const seconds = Number.isFinite(limit) && limit > 0 ? limit : DEFAULT_TIME_LIMIT_S;
	const openIdUrl = String(credentials.openIdConfigurationUrl ?? '').trim();
	const token = signStep(key, {
		x: String(this.getExecutionId()),
		n: node.id,
		o: `${resource}.${operation}`,
		r: randomUUID(),
		// What the step's events are checked against, so a turn's webhook needs no credential read.
		a: String(credentials.resourceId).trim(),
		...(openIdUrl && openIdUrl !== DEFAULT_OPENID_CONFIGURATION_URL ? { u: openIdUrl } : {}),
	});
	const callbackUrl = withQuery(resumeUrl, { [STEP_PARAM]: token });
	// Its events come to the resume URL.
	nodeRun.callbackOverride = { callbackUri: callbackUrl, operationCallbackUri: callbackUrl };
	const done = run(this, resource, operation);
	// Input errors surface now, as on any step; the request itself waits at the gate.
	const first = await Promise.race([
		done.then(
			() => 'sent' as const,
			(error: unknown) => ({ error }),
		),
		gate.reached.then(() => 'ready' as const),
	]);
	if (typeof first === 'object') {
		const error = first.error;
		if (!this.continueOnFail()) {
			throw error instanceof NodeApiError || error instanceof NodeOperationError
				? error
				: new NodeOperationError(node, error as Error);
		}
		return [
			[
				{
					json: { error: (error as Error).message, outcome: 'failed', succeeded: false },
					pairedItem: { item: 0 },
				},
			],
		];
	}

	const callConnectionId =
		resource === 'call' && operation !== 'transfer'
			? undefined
			: runParameter(this, 'callConnectionId', 0, '');
	const pending: IDataObject = {
		outcome: 'timedOut',
		succeeded: false,
		reason: `No outcome within ${seconds} s`,
		operation: `${resource}.${operation}`,
		callConnectionId:
			typeof callConnectionId === 'string' && callConnectionId ? callConnectionId : undefined,
		waitStep: token,
	};
	// n8n resumes a step whose time limit passed with the data it holds: make that the timed-out outcome.
	this.getExecuteData().data = { main: [[{ json: pending, pairedItem: { item: 0 } }]] };
	const hooks = lifecycleHooks(this);
	const stored = hooks ? whenStored(hooks) : undefined;
	await this.putExecutionToWait(new Date(Date.now() + seconds * 1000));
	void proceed({
		ctx: this,
		resumeUrl,
		token,
		key,
		gate,
		stored,
		done: first === 'sent' ? Promise.resolve() : done,
	});
	return [
		[
			{
				json: { waiting: true, operation: `${resource}.${operation}`, timeLimitSeconds: seconds },
				pairedItem: { item: 0 },
			},
		],
	];
}
