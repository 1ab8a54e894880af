import type { INode } from 'n8n-workflow';
import { ExecutionBaseError, NodeOperationError } from 'n8n-workflow';

/**
 * A caught error as the error to throw from the node: n8n's own errors (NodeApiError,
 * NodeOperationError, ExpressionError…) are passed on unchanged, anything else is wrapped in a
 * NodeOperationError on the node, so the editor always shows an n8n error.
 */
export function asNodeError(node: INode, error: unknown, itemIndex?: number): ExecutionBaseError {
	if (error instanceof ExecutionBaseError) return error;
	return new NodeOperationError(node, error instanceof Error ? error : String(error), {
		itemIndex,
	});
}
