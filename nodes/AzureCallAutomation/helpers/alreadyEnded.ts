/**
 * Steps whose only job is to end or tidy up (Hang Up, Cancel All Media Operations, Stop Recording, Stop
 * Transcription / Media Streaming / Continuous DTMF) have nothing left to do when the call is already over:
 * ACS then answers 404, and that is the step's goal reached, not a failure. The caller hanging up first is
 * the most common ending of a phone call.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { asNodeError } from './errors';

export const errorIfEndedField: INodeProperties = {
	displayName: 'Error If Already Ended',
	name: 'errorIfEnded',
	type: 'boolean',
	default: false,
	description:
		'Whether to fail when the call (or recording) has already ended. Off: the step succeeds with alreadyEnded: true, since what it would end is over.',
};

/** ACS's answer for a call (or recording) that no longer exists: calls are removed when they end. */
export function isGone(error: unknown): boolean {
	return error instanceof NodeApiError && error.httpCode === '404';
}

/**
 * Why the call ended, when the item says so: the outcome of a waiting step that saw the call end, or a
 * CallDisconnected event from the trigger, for the same call.
 */
function endReasonOf(
	item: IDataObject | undefined,
	callConnectionId: string | undefined,
): string | undefined {
	if (!item) return undefined;
	const ended = item.outcome === 'callEnded' || item.eventType === 'CallDisconnected';
	const sameCall =
		callConnectionId === undefined ||
		item.callConnectionId === undefined ||
		item.callConnectionId === callConnectionId;
	return ended && sameCall && typeof item.resultMessage === 'string'
		? item.resultMessage
		: undefined;
}

/**
 * Sends a tidy-up request; when ACS says the call is gone (and the user did not ask for the strict
 * behaviour), returns the item's output marked `alreadyEnded` instead of failing.
 */
export async function tidyUp(
	ctx: IExecuteFunctions,
	itemIndex: number,
	send: () => Promise<IDataObject>,
	onEnded: IDataObject,
): Promise<IDataObject> {
	try {
		return await send();
	} catch (error) {
		if (!isGone(error) || ctx.getNodeParameter('errorIfEnded', itemIndex, false) === true) {
			throw asNodeError(ctx.getNode(), error, itemIndex);
		}
		const callConnectionId =
			typeof onEnded.callConnectionId === 'string' ? onEnded.callConnectionId : undefined;
		const endReason = endReasonOf(ctx.getInputData()[itemIndex]?.json, callConnectionId);
		return { ...onEnded, alreadyEnded: true, ...(endReason ? { endReason } : {}) };
	}
}
