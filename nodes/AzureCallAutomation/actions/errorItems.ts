/**
 * What a failed item becomes under "Continue On Fail": one item with what failed, what to do, and what
 * became of it, on the main output or on the error output; and the error a failed item throws otherwise.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

/**
 * The JSON of an error item: `outcome` "failed" (not carried out) or "unknown" (may have been: the call
 * may exist), with the repeatability ids a re-run maps back in so it cannot do the work twice.
 */
export function errorItem(error: Error): IDataObject {
	const json: IDataObject = { error: error.message };
	const e = error as Error & {
		description?: string | null;
		httpCode?: string | null;
		cause?: unknown;
		errorResponse?: IDataObject;
		context?: IDataObject;
	};
	if (e.description) json.description = e.description;
	if (error instanceof NodeApiError) {
		const response = (e.errorResponse ?? (e.cause as IDataObject | undefined)) as
			| IDataObject
			| undefined;
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

/** The output of a failed item; `toErrorOutput`: the node's On Error sends it to the error output. */
export function errorOutput(
	error: Error,
	itemIndex: number,
	toErrorOutput: boolean,
): INodeExecutionData[] {
	const json = errorItem(error);
	// n8n moves an item to the error output only when its json is `{ error }` alone (an item-level
	// `error` would replace the json with the bare message), so the details go inside `error` there.
	const { error: message, ...details } = json;
	return [
		{
			json: toErrorOutput ? { error: { message, ...details } } : json,
			pairedItem: { item: itemIndex },
		},
	];
}

/** A caught error as an n8n error that names its item. */
export function itemError(
	ctx: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
		return error;
	}
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}
