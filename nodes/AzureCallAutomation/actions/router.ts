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

export type OperationExecute = (this: IExecuteFunctions, itemIndex: number) => Promise<IDataObject | IDataObject[]>;

const resources: Record<Resource, Record<string, { execute: OperationExecute } | unknown>> = {
	call,
	media,
	participant,
	recording,
};

export const DEFAULT_CONCURRENCY = 16;
export const MAX_CONCURRENCY = 256;

function findOperation(ctx: IExecuteFunctions, resource: string, operation: string): OperationExecute {
	const module = (resources as Record<string, Record<string, unknown>>)[resource]?.[operation] as
		| { execute?: OperationExecute }
		| undefined;
	if (typeof module?.execute !== 'function') {
		throw new NodeOperationError(ctx.getNode(), `The operation "${operation}" is not known for resource "${resource}"`);
	}
	return module.execute;
}

/** The JSON of an error item under "Continue On Fail": what failed and what to do. */
function errorItem(error: Error): IDataObject {
	const json: IDataObject = { error: error.message };
	const e = error as Error & { description?: string | null; httpCode?: string | null; cause?: unknown; errorResponse?: IDataObject };
	if (e.description) json.description = e.description;
	if (error instanceof NodeApiError) {
		const response = (e.errorResponse ?? (e.cause as IDataObject | undefined)) as IDataObject | undefined;
		if (e.httpCode) json.httpCode = e.httpCode;
		if (response?.acsCode) json.acsCode = response.acsCode;
		if (response?.acsMessage) json.acsMessage = response.acsMessage;
	}
	return json;
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
	const continueOnFail = this.continueOnFail();
	const toErrorOutput = this.getNode().onError === 'continueErrorOutput';

	const results: INodeExecutionData[][] = new Array(items.length);
	let next = 0;
	const failures: Array<{ itemIndex: number; error: Error }> = [];

	const worker = async () => {
		// Stop taking new items once one failed (without Continue On Fail), as a sequential loop would.
		while (failures.length === 0 && next < items.length) {
			const itemIndex = next++;
			try {
				const data = await execute.call(this, itemIndex);
				results[itemIndex] = (Array.isArray(data) ? data : [data]).map((json) => ({
					json,
					pairedItem: { item: itemIndex },
				}));
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
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
	// Report the first failed item, whichever worker saw it first.
	if (failures.length > 0) throw failures.reduce((a, b) => (b.itemIndex < a.itemIndex ? b : a)).error;
	return [results.flat()];
}
