/** Play Audio and Play Text: their shared options and the play request. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { operationCallbackUrlField, operationContextField } from '../../descriptions/common';
import { withoutKind } from '../../../../acs/identifiers';
import { callConnectionIdOf, callPath } from '../../helpers/callConnection';
import { compact, identifierList, operationFields } from '../../helpers/params';
import { acsRequest } from '../../transport';

export const playOptionFields = (sourceWord: string): INodeProperties[] => [
	{
		displayName: 'Interrupt Current Media',
		name: 'interruptCallMediaOperation',
		type: 'boolean',
		default: false,
		description: `Whether to stop any audio or input collection already running on the call and play this ${sourceWord} right away (otherwise it waits in the queue)`,
	},
	{
		displayName: 'Loop',
		name: 'loop',
		type: 'boolean',
		default: false,
		description:
			'Whether to repeat until Cancel All Media Operations or the end of the call (for hold music). A looping play sends no PlayCompleted event.',
	},
	operationCallbackUrlField,
	{
		...operationContextField,
		description:
			'Your own label, echoed back in PlayStarted / PlayCompleted / PlayFailed events so the trigger can tell which play they belong to. Empty: a random ID is used and returned in the output.',
	},
	{
		displayName: 'Play Source Cache ID',
		name: 'playSourceCacheId',
		type: 'string',
		default: '',
		description: `Let ACS cache this ${sourceWord} under your ID and reuse it on the next play with the same ID (faster prompts)`,
	},
	{
		displayName: 'Play To',
		name: 'playTo',
		type: 'string',
		default: '',
		placeholder: 'e.g. +14255550100',
		description:
			'Only these participants hear it: phone numbers (+14255550100) or ACS user IDs (8:acs:…), separated by commas. Empty: everyone on the call.',
	},
];

/** Sends a play request built like the SDK's playToAll / play, and says what was done. */
export async function play(
	ctx: IExecuteFunctions,
	itemIndex: number,
	operation: string,
	sources: IDataObject[],
	summary: IDataObject,
): Promise<IDataObject> {
	const callConnectionId = callConnectionIdOf(ctx, itemIndex);
	const extra = ctx.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const playTo = identifierList(ctx, extra.playTo ?? '', itemIndex, 'Play To').map(withoutKind);
	// The SDK labels every play to everyone with a random context; so does the node, for every play,
	// so the output always names the events to wait for.
	const { operationContext, operationCallbackUri } = operationFields(ctx, itemIndex, {
		fields: extra,
		generateContext: true,
	});
	const loop = extra.loop === true;
	const body = compact({
		playSources: sources,
		playTo,
		interruptCallMediaOperation:
			extra.interruptCallMediaOperation === undefined
				? undefined
				: extra.interruptCallMediaOperation === true,
		playOptions: { loop },
		operationContext,
		operationCallbackUri,
	} as IDataObject);
	const response = (await acsRequest.call(ctx, {
		method: 'POST',
		path: `${callPath(callConnectionId)}:play`,
		body,
		itemIndex,
	})) as IDataObject;
	return {
		callConnectionId,
		operation,
		operationContext,
		...summary,
		loop,
		playTo: playTo.length === 0 ? 'everyone' : playTo.map((p) => p.rawId),
		expectedEvents: loop
			? ['PlayStarted', 'PlayFailed', 'PlayCanceled']
			: ['PlayStarted', 'PlayCompleted', 'PlayFailed'],
		...response,
	};
}
