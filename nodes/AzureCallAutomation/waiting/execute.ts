/**
 * Wait for Outcome: the step builds its request with the execution's resume URL as callback, puts the
 * execution to wait, and only then (once n8n answers the resume URL) sends the request. The outcome
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
import { CREDENTIAL_NAME } from '../transport';
import { DEFAULT_TIME_LIMIT_S } from './description';
import { openGate, type SendGate } from '../transport/sendGate';
import { outcomeSpec } from './outcomes';
import { setCallbackOverride } from '../helpers/callbackOverride';
import { signReport, signStep } from './stepToken';

/** Query parameters of the resume URL the node adds (n8n keeps its own, e.g. the signature). */
export const STEP_PARAM = 'acsStep';
export const PROBE_PARAM = 'acsProbe';
export const REPORT_PARAM = 'acsReport';

// How long to look for the execution to be stored as waiting before giving up (it then times out).
const READY_DEADLINE_MS = 60_000;

export function isWaitingStep(ctx: IExecuteFunctions): boolean {
	const resource = ctx.getNodeParameter('resource', 0) as string;
	const operation = ctx.getNodeParameter('operation', 0) as string;
	return outcomeSpec(resource, operation) !== undefined && ctx.getNodeParameter('waitForOutcome', 0, false) === true;
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
}

/** Asks n8n (GET on the resume URL) until it answers for this waiting step, not 409 "running". */
async function whenWaiting(p: Pending): Promise<boolean> {
	const url = withQuery(p.resumeUrl, { [STEP_PARAM]: p.token, [PROBE_PARAM]: '1' });
	const started = Date.now();
	let delay = 20;
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
		delay = Math.min(1000, Math.round(delay * 1.5));
	}
	return false;
}

/** The request failed: nothing will come from ACS, so the node resumes its own step with the error. */
async function report(p: Pending, error: unknown): Promise<void> {
	const e = error as Error & { description?: string; httpCode?: string };
	const body = JSON.stringify({ error: e.message, description: e.description ?? undefined, httpCode: e.httpCode ?? undefined });
	try {
		await p.ctx.helpers.httpRequest({
			method: 'POST',
			url: withQuery(p.resumeUrl, { [STEP_PARAM]: p.token, [REPORT_PARAM]: signReport(p.key, body) }),
			body,
			headers: { 'content-type': 'application/json' },
			ignoreHttpStatusErrors: true,
		});
	} catch {
		// The step then ends at its time limit.
	}
}

async function proceed(p: Pending): Promise<void> {
	if (await whenWaiting(p)) p.gate.release();
	else p.gate.cancel(new Error('n8n did not report the execution as waiting'));
	try {
		await p.done;
	} catch (error) {
		await report(p, error);
	}
}

/** Runs one operation of the action node (passed in by the node: this room does not import actions/). */
export type OperationRunner = (ctx: IExecuteFunctions, resource: string, operation: string) => Promise<unknown>;

export async function executeAndWait(this: IExecuteFunctions, run: OperationRunner): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const node = this.getNode();
	if (items.length !== 1) {
		throw new NodeOperationError(node, `Wait for Outcome takes one item per execution (got ${items.length})`, {
			description:
				'Each item is one conversation: run the call steps in a sub-workflow (Execute Workflow, one item each) or turn Wait for Outcome off and react with the trigger.',
		});
	}
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const credentials = await this.getCredentials(CREDENTIAL_NAME);
	if (!String(credentials.resourceId ?? '').trim()) {
		throw new NodeOperationError(node, 'Wait for Outcome needs the ACS Resource ID in the credential', {
			description:
				"Events that resume a step are verified like the trigger's: add the resource's immutable resource ID (a GUID in the resource's JSON view) to the Azure Communication Services credential.",
		});
	}
	const { key } = parseConnectionString(credentials.connectionString);
	const resumeUrl = String(this.evaluateExpression('{{ $execution.resumeUrl }}', 0));
	const limit = Number(this.getNodeParameter('waitTimeLimit', 0, DEFAULT_TIME_LIMIT_S));
	const seconds = Number.isFinite(limit) && limit > 0 ? limit : DEFAULT_TIME_LIMIT_S;
	const token = signStep(key, { x: String(this.getExecutionId()), n: node.id, o: `${resource}.${operation}`, r: randomUUID() });
	const callbackUrl = withQuery(resumeUrl, { [STEP_PARAM]: token });
	setCallbackOverride(this, { callbackUri: callbackUrl, operationCallbackUri: callbackUrl });

	const gate = openGate(this);
	const done = run(this, resource, operation);
	// Input errors surface now, as on any step; the request itself waits at the gate.
	const first = await Promise.race([done.then(() => 'sent' as const, (error: unknown) => ({ error })), gate.reached.then(() => 'ready' as const)]);
	if (typeof first === 'object') {
		const error = first.error;
		if (!this.continueOnFail()) {
			throw error instanceof NodeApiError || error instanceof NodeOperationError ? error : new NodeOperationError(node, error as Error);
		}
		return [[{ json: { error: (error as Error).message, outcome: 'failed', succeeded: false }, pairedItem: { item: 0 } }]];
	}

	const callConnectionId = resource === 'call' && operation !== 'transfer' ? undefined : this.getNodeParameter('callConnectionId', 0, '');
	const pending: IDataObject = {
		outcome: 'timedOut',
		succeeded: false,
		reason: `No outcome within ${seconds} s`,
		operation: `${resource}.${operation}`,
		callConnectionId: typeof callConnectionId === 'string' && callConnectionId ? callConnectionId : undefined,
		waitStep: token,
	};
	// n8n resumes a step whose time limit passed with the data it holds: make that the timed-out outcome.
	this.getExecuteData().data = { main: [[{ json: pending, pairedItem: { item: 0 } }]] };
	await this.putExecutionToWait(new Date(Date.now() + seconds * 1000));
	void proceed({ ctx: this, resumeUrl, token, key, gate, done: first === 'sent' ? Promise.resolve() : done });
	return [[{ json: { waiting: true, operation: `${resource}.${operation}`, timeLimitSeconds: seconds }, pairedItem: { item: 0 } }]];
}
