/**
 * What the transcription and media streaming operations share: control requests only. Audio and
 * transcript go to the WebSocket URL set on Create / Answer / Connect; their status arrives as events.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { additionalFieldsCollection, callConnectionIdField } from '../../descriptions/common';
import { showFor } from '../../helpers/displayOptions';
import { compact, operationFields, optionalString } from '../../helpers/params';
import { acsRequest } from '../../transport';
import { callConnectionIdOf, callPath } from '../../helpers/callConnection';
import { contextFields } from './participantAction';

export const localeField: INodeProperties = {
	displayName: 'Locale',
	name: 'locale',
	type: 'string',
	default: '',
	placeholder: 'e.g. en-US',
	description: 'Language spoken on the call; empty keeps the one set when the call was created',
};

export const speechModelField: INodeProperties = {
	displayName: 'Custom Speech Model Endpoint ID',
	name: 'speechModelEndpointId',
	type: 'string',
	default: '',
	description: 'The endpoint ID of a Custom Speech model to transcribe with',
};

/** The fields of one operation: the call, `required` fields, then Additional Fields (context, callback, `extra`). */
export function streamingFields(
	operation: string,
	required: INodeProperties[] = [],
	extra: INodeProperties[] = [],
): INodeProperties[] {
	return showFor({ resource: ['media'], operation: [operation] }, [
		callConnectionIdField,
		...required,
		additionalFieldsCollection(
			[...extra, ...contextFields].sort((a, b) => a.displayName.localeCompare(b.displayName)),
		),
	]);
}

/** POST {call}:<route> with the item's fields; returns what the item shows (ACS answers 202 with no body). */
export async function streamingAction(
	ctx: IExecuteFunctions,
	itemIndex: number,
	operation: string,
	expectedEvents: string[],
	body: (extra: IDataObject) => IDataObject = () => ({}),
): Promise<IDataObject> {
	const callConnectionId = callConnectionIdOf(ctx, itemIndex);
	const extra = ctx.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const request = compact({
		...body(extra),
		...operationFields(ctx, itemIndex, { fields: extra }),
	} as IDataObject);
	await acsRequest.call(ctx, {
		method: 'POST',
		path: `${callPath(callConnectionId)}:${operation}`,
		body: request,
		itemIndex,
	});
	return compact({
		callConnectionId,
		operation,
		operationContext: request.operationContext,
		locale: request.locale,
		expectedEvents,
	});
}

/** locale and speechModelEndpointId from Additional Fields, left out when empty. */
export const transcriptionBody = (extra: IDataObject): IDataObject => ({
	locale: optionalString(extra.locale),
	speechModelEndpointId: optionalString(extra.speechModelEndpointId),
});
