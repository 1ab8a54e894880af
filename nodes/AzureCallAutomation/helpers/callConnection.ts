/** The call an operation acts on: its id read from the item, and the request path built from it. */
import type { IExecuteFunctions } from 'n8n-workflow';

import { encodeSegment } from '../../../acs/pathSegment';
import { requiredId } from './params';

/** The Call Connection ID field of the item, checked as a path segment (never `.`/`..`, no control characters). */
export function callConnectionIdOf(ctx: IExecuteFunctions, itemIndex: number): string {
	return requiredId(ctx, 'callConnectionId', itemIndex, 'Call Connection ID');
}

/** `/calling/callConnections/{id}`: append `:action` or `/participants…`. */
export function callPath(callConnectionId: string): string {
	return `/calling/callConnections/${encodeSegment(callConnectionId)}`;
}
