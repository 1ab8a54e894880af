/** Fields and request pieces the media operations share (play sources, participants, DTMF tones). */
import type { IDataObject, IExecuteFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import {
	additionalFieldsCollection,
	callConnectionIdField,
	operationCallbackUrlField,
	operationContextField,
} from '../../descriptions/common';
import { withoutKind, type IdentifierModel } from '../../../../acs/identifiers';
import { absoluteUrl, compact, fail, identifier, identifierList, operationFields, optionalString } from '../../helpers/params';
import { callConnectionIdOf, callPath } from '../../helpers/callConnection';
import { TONE_BY_KEY, toneOfKey } from '../../helpers/tones';
import { acsRequest } from '../../transport';

/** One option per phone key, labelled with the key itself ("#", "*", "0"…). */
export const TONE_OPTIONS: INodePropertyOptions[] = Object.entries(TONE_BY_KEY)
	.map(([key, value]) => ({ name: key, value }))
	.sort((a, b) => a.name.localeCompare(b.name));

/** "12#*" (spaces and commas allowed) → ['one', 'two', 'pound', 'asterisk']. */
export function parseTones(ctx: IExecuteFunctions, value: unknown, itemIndex: number, label: string, max: number): string[] {
	const text = String(value ?? '').replace(/[\s,]/g, '');
	if (text === '') fail(ctx, itemIndex, `${label} is empty`, 'Enter the keys to press, e.g. 12#* (digits 0-9, A-D, # and *).');
	const tones = [...text].map((ch) => {
		const tone = toneOfKey(ch);
		if (!tone) {
			fail(ctx, itemIndex, `${label} contains "${ch}", which is not a phone key`, 'Use only the digits 0-9, the letters A-D, # and *.');
		}
		return tone;
	});
	if (tones.length > max) fail(ctx, itemIndex, `${label} has ${tones.length} keys; at most ${max} can be sent at once`);
	return tones;
}

export const targetParticipantField = (description: string): INodeProperties => ({
	displayName: 'Target Participant',
	name: 'targetParticipant',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. +14255550100 or 8:acs:…',
	description,
});

/** The participant a media action is aimed at, without `kind`, as the SDK sends it. */
export function targetParticipant(ctx: IExecuteFunctions, itemIndex: number): IdentifierModel {
	const value = ctx.getNodeParameter('targetParticipant', itemIndex, '');
	return withoutKind(identifier(ctx, value, itemIndex, 'Target Participant'));
}

export function fileSource(uri: string, playSourceCacheId?: string): IDataObject {
	return compact({ kind: 'file', file: { uri }, playSourceCacheId });
}

export function textSource(text: IDataObject, playSourceCacheId?: string): IDataObject {
	return compact({ kind: 'text', text: compact(text), playSourceCacheId });
}

export function ssmlSource(ssml: IDataObject, playSourceCacheId?: string): IDataObject {
	return compact({ kind: 'ssml', ssml: compact(ssml), playSourceCacheId });
}

/** One or more audio file URLs (comma or new line separated, or an array from an expression). */
export function audioUrls(ctx: IExecuteFunctions, value: unknown, itemIndex: number, label: string): string[] {
	const parts = (Array.isArray(value) ? value : String(value ?? '').split(/[,\n]/))
		.map((part) => String(part ?? '').trim())
		.filter((part) => part !== '');
	if (parts.length === 0) fail(ctx, itemIndex, `${label} is empty`, 'Enter the URL of a WAV file, e.g. https://example.com/audio/welcome.wav.');
	if (parts.length > 10) fail(ctx, itemIndex, `${label} has ${parts.length} URLs; at most 10 can be played in one action`);
	return parts.map((part, n) => absoluteUrl(ctx, part, itemIndex, parts.length > 1 ? `${label} #${n + 1}` : label));
}

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
	const { operationContext, operationCallbackUri } = operationFields(ctx, itemIndex, { fields: extra, generateContext: true });
	const loop = extra.loop === true;
	const body = compact({
		playSources: sources,
		playTo,
		interruptCallMediaOperation: extra.interruptCallMediaOperation === undefined ? undefined : extra.interruptCallMediaOperation === true,
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
		expectedEvents: loop ? ['PlayStarted', 'PlayFailed', 'PlayCanceled'] : ['PlayStarted', 'PlayCompleted', 'PlayFailed'],
		...response,
	};
}

export function playSourceCacheId(ctx: IExecuteFunctions, itemIndex: number, sourceCount: number): string | undefined {
	const extra = ctx.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const id = optionalString(extra.playSourceCacheId);
	if (id !== undefined && sourceCount > 1) {
		fail(ctx, itemIndex, 'Play Source Cache ID works with one audio URL only', 'Remove the cache ID or play one URL per action.');
	}
	return id;
}

/**
 * Actions aimed at one participant (continuous DTMF, hold, unhold): body `{targetParticipant,
 * operationContext?, operationCallbackUri?, ...extraBody}`.
 */
export async function participantAction(
	ctx: IExecuteFunctions,
	itemIndex: number,
	operation: string,
	route: string,
	expectedEvents: string[],
	extraBody: (extra: IDataObject) => IDataObject = () => ({}),
	options: { repeatable?: boolean } = {},
): Promise<IDataObject> {
	const callConnectionId = callConnectionIdOf(ctx, itemIndex);
	const target = targetParticipant(ctx, itemIndex);
	const extra = ctx.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const body = compact({
		targetParticipant: target,
		...extraBody(extra),
		...operationFields(ctx, itemIndex, { fields: extra }),
	} as IDataObject);
	const response = (await acsRequest.call(ctx, {
		method: 'POST',
		path: `${callPath(callConnectionId)}:${route}`,
		body,
		repeatable: options.repeatable,
		itemIndex,
	})) as IDataObject;
	return compact({
		callConnectionId,
		operation,
		operationContext: body.operationContext,
		targetParticipant: target.rawId,
		expectedEvents,
		...response,
	} as IDataObject);
}

export const contextFields: INodeProperties[] = [operationCallbackUrlField, operationContextField];

/** Call Connection ID, Target Participant and the context fields: the form of continuous DTMF and unhold. */
export const participantActionFields = (targetDescription: string): INodeProperties[] => [
	callConnectionIdField,
	targetParticipantField(targetDescription),
	additionalFieldsCollection(contextFields),
];
