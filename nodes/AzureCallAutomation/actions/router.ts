/**
 * Runs the chosen operation for every input item. Items are sent with bounded concurrency
 * (a 5,000-row list must not take 5,000 sequential round trips); results keep input order and
 * pairing; with "Continue On Fail" a failed item becomes an error item instead of stopping the run.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import * as call from './call';
import * as media from './media';
import * as participant from './participant';
import * as recording from './recording';
import type { Resource } from './node.type';
import { toExecutionData } from './binaryItem';
import { DEFAULT_RETRY_BUDGET_MS, Pacer } from '../transport/pacing';
import { checkSupplied } from '../transport/repeatability';
import { startRun } from '../transport/run';
import type { NodeRun } from '../helpers/run';
import { runParameter } from '../helpers/runParameter';
import { DEFAULT_CONCURRENCY, MAX_CONCURRENCY } from '../descriptions/requestOptions';

export type OperationExecute = (this: IExecuteFunctions, itemIndex: number) => Promise<IDataObject | IDataObject[]>;

const resources: Record<Resource, Record<string, { execute: OperationExecute } | unknown>> = {
	call,
	media,
	participant,
	recording,
};

export function findOperation(ctx: IExecuteFunctions, resource: string, operation: string): OperationExecute {
	const module = (resources as Record<string, Record<string, unknown>>)[resource]?.[operation] as
		| { execute?: OperationExecute }
		| undefined;
	if (typeof module?.execute !== 'function') {
		throw new NodeOperationError(ctx.getNode(), `The operation "${operation}" is not known for resource "${resource}"`);
	}
	return module.execute;
}

/**
 * The JSON of an error item under "Continue On Fail": what failed, what to do, and what became of it:
 * `outcome` "failed" (not carried out) or "unknown" (may have been: the call may exist), with the
 * repeatability ids a re-run maps back in so it cannot do the work twice.
 */
function errorItem(error: Error): IDataObject {
	const json: IDataObject = { error: error.message };
	const e = error as Error & { description?: string | null; httpCode?: string | null; cause?: unknown; errorResponse?: IDataObject; context?: IDataObject };
	if (e.description) json.description = e.description;
	if (error instanceof NodeApiError) {
		const response = (e.errorResponse ?? (e.cause as IDataObject | undefined)) as IDataObject | undefined;
		if (e.httpCode) json.httpCode = e.httpCode;
		if (response?.acsCode) json.acsCode = response.acsCode;
		if (response?.acsMessage) json.acsMessage = response.acsMessage;
	}
	json.outcome = e.context?.outcome === 'unknown' ? 'unknown' : 'failed';
	for (const key of ['repeatabilityRequestId', 'repeatabilityFirstSent'] as const) {
		if (typeof e.context?.[key] === 'string') json[key] = e.context[key];
	}
	return json;
}

/** Reads an item's Repeatability Request ID / First Sent (a re-run of an earlier attempt) into the pacer. */
function takeSuppliedIds(ctx: IExecuteFunctions, run: NodeRun, itemIndex: number): void {
	const text = (name: string) => String(runParameter(ctx, `requestOptions.${name}`, itemIndex, '') ?? '').trim();
	const requestId = text('repeatabilityRequestId');
	const firstSent = text('repeatabilityFirstSent');
	if (requestId === '' && firstSent === '') return;
	if (requestId === '' || firstSent === '') {
		throw new NodeOperationError(ctx.getNode(), `Repeatability ${requestId === '' ? 'Request ID' : 'First Sent'} is empty`, {
			itemIndex,
			description: 'Give both, from the same earlier attempt ({{ $json.repeatabilityRequestId }} and {{ $json.repeatabilityFirstSent }} of its error item), or neither.',
		});
	}
	const problem = checkSupplied(requestId, firstSent);
	if (problem) throw new NodeOperationError(ctx.getNode(), problem.problem, { itemIndex, description: problem.hint });
	(run.suppliedIds ??= new Map()).set(itemIndex, { requestId, firstSent });
}

/** "0–41, 43, 45": item numbers as ranges. */
function ranges(indexes: number[]): string {
	const parts: string[] = [];
	for (let i = 0; i < indexes.length; i++) {
		let j = i;
		while (j + 1 < indexes.length && indexes[j + 1] === indexes[j] + 1) j++;
		parts.push(j > i ? `${indexes[i]}–${indexes[j]}` : String(indexes[i]));
		i = j;
	}
	return parts.length > 12 ? `${parts.slice(0, 12).join(', ')}, …` : parts.join(', ');
}

function asNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
		return error;
	}
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	if (items.length === 0) return [[]];
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const execute = findOperation(this, resource, operation);
	const requested = Number(this.getNodeParameter('requestOptions.concurrency', 0, DEFAULT_CONCURRENCY));
	const concurrency = Math.max(1, Math.min(MAX_CONCURRENCY, Number.isFinite(requested) ? Math.floor(requested) : DEFAULT_CONCURRENCY));
	const budget = Number(this.getNodeParameter('requestOptions.retryBudget', 0, DEFAULT_RETRY_BUDGET_MS / 1000));
	const perSecond = Number(this.getNodeParameter('requestOptions.maxRequestsPerSecond', 0, 0));
	// Every item and request of this run shares one pacer: throttling slows the run, not one item.
	const pacer = new Pacer(
		{
			maxInFlight: concurrency,
			adaptive: this.getNodeParameter('requestOptions.adaptiveConcurrency', 0, true) !== false,
			requestsPerSecond: Number.isFinite(perSecond) && perSecond > 0 ? perSecond : 0,
			retryBudgetMs: Number.isFinite(budget) && budget >= 0 ? budget * 1000 : DEFAULT_RETRY_BUDGET_MS,
		},
		this.getExecutionCancelSignal?.(),
	);
	const run = startRun(this, { pacer });
	const continueOnFail = this.continueOnFail();
	const toErrorOutput = this.getNode().onError === 'continueErrorOutput';

	const results: INodeExecutionData[][] = new Array(items.length);
	let next = 0;
	const failures: Array<{ itemIndex: number; error: Error }> = [];

	const runItem = async (itemIndex: number) => {
		try {
			takeSuppliedIds(this, run, itemIndex);
			const data = await execute.call(this, itemIndex);
			results[itemIndex] = (Array.isArray(data) ? data : [data]).map((entry) => toExecutionData(entry, itemIndex));
		} catch (error) {
			const nodeError = asNodeError(this, error, itemIndex);
			if (continueOnFail) {
				const json = errorItem(nodeError);
				// n8n moves an item to the error output only when its json is `{ error }` alone (an
				// item-level `error` would replace the json with the bare message), so the details
				// go inside `error` there.
				const { error: message, ...details } = json;
				results[itemIndex] = [
					{ json: toErrorOutput ? { error: { message, ...details } } : json, pairedItem: { item: itemIndex } },
				];
			} else {
				failures.push({ itemIndex, error: nodeError });
			}
		}
	};
	// Up to `concurrency` items at work at once. An item that waits out a failure of its own (pacer.park)
	// leaves that count for good, so the healthy items keep their pace; the pacer still bounds what is on the wire.
	await new Promise<void>((resolve) => {
		let working = 0;
		let started = 0;
		let finished = 0;
		const left = new Set<number>();
		const fill = () => {
			// Stop taking new items once one failed (without Continue On Fail), as a sequential loop would.
			while (failures.length === 0 && working < concurrency && next < items.length) {
				const itemIndex = next++;
				working++;
				started++;
				void runItem(itemIndex).finally(() => {
					if (!left.delete(itemIndex)) working--;
					finished++;
					fill();
				});
			}
			if (finished === started && (failures.length > 0 || next >= items.length)) resolve();
		};
		pacer.onPark = (itemIndex) => {
			if (left.has(itemIndex) || itemIndex < 0 || itemIndex >= items.length) return;
			left.add(itemIndex);
			working--;
			fill();
		};
		fill();
	});
	// Report the first failed item, whichever finished first.
	if (failures.length > 0) {
		const first = failures.reduce((a, b) => (b.itemIndex < a.itemIndex ? b : a)).error as NodeApiError | NodeOperationError;
		// n8n drops a failed run's output: say which items were carried out anyway, so no call goes unseen.
		const done = results.flatMap((r, i) => (r === undefined ? [] : [i]));
		const unknown = failures.filter((f) => f !== undefined && (f.error as { context?: IDataObject }).context?.outcome === 'unknown').length;
		const notes: string[] = [];
		if (done.length > 0) {
			notes.push(`${done.length} other item${done.length === 1 ? '' : 's'} (${ranges(done)}) succeeded before the run stopped: their requests were carried out, but a failed run has no output. Turn on Settings > On Error > Continue to get one item per input, errors included.`);
		}
		if (failures.length > 1) notes.push(`${failures.length - 1} more item${failures.length === 2 ? '' : 's'} failed${unknown > 0 ? ` (${unknown} of all failed items may have been carried out)` : ''}.`);
		if (notes.length > 0) first.description = [first.description, ...notes].filter(Boolean).join(' ');
		throw first;
	}
	return [results.flat()];
}
