/**
 * Reading and checking node parameters before anything is sent. Every failure is a
 * NodeOperationError that names the field and says what to enter.
 */
import { randomUUID } from 'node:crypto';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	IdentifierError,
	parseIdentifier,
	phoneNumberModel,
	type IdentifierInputType,
	type IdentifierModel,
	type PhoneNumberModel,
} from '../../../acs/identifiers';
import { hasControlCharacter, segmentProblem } from '../../../acs/pathSegment';
import { runOf } from './run';
import { runParameter } from './runParameter';

/** Runs `fn`, turning an IdentifierError into a NodeOperationError on the item. */
function guard<T>(ctx: IExecuteFunctions, itemIndex: number, fn: () => T): T {
	try {
		return fn();
	} catch (error) {
		throw new NodeOperationError(
			ctx.getNode(),
			error instanceof IdentifierError ? error.message : (error as Error),
			{
				itemIndex,
			},
		);
	}
}

export function fail(
	ctx: IExecuteFunctions,
	itemIndex: number,
	message: string,
	description?: string,
): never {
	throw new NodeOperationError(ctx.getNode(), message, { itemIndex, description });
}

/**
 * A required text field, trimmed; empty is an error naming the field. Read through runParameter: an id
 * mapped straight from the item (`{{ $json.callConnectionId }}`) costs no expression evaluation.
 */
export function requiredString(
	ctx: IExecuteFunctions,
	name: string,
	itemIndex: number,
	label: string,
): string {
	const value = runParameter(ctx, name, itemIndex, '') as unknown;
	const text = value === undefined || value === null ? '' : String(value).trim();
	if (text === '')
		fail(
			ctx,
			itemIndex,
			`${label} is empty`,
			`Enter a value for "${label}" or map one with an expression.`,
		);
	return text;
}

/**
 * An id that goes into a request path (call connection, recording, participant raw id): refused
 * before anything is sent when it could leave its segment ('..', '%2E%2E', control characters).
 */
export function pathId(
	ctx: IExecuteFunctions,
	id: string,
	itemIndex: number,
	label: string,
): string {
	const problem = segmentProblem(id);
	if (problem !== undefined) {
		fail(
			ctx,
			itemIndex,
			`${label} ${problem}`,
			`${label} is sent as one segment of the request path, so it must be an ID as ACS returned it.`,
		);
	}
	return id;
}

/** A required id field that goes into a request path: trimmed, non-empty, checked by `pathId`. */
export function requiredId(
	ctx: IExecuteFunctions,
	name: string,
	itemIndex: number,
	label: string,
): string {
	return pathId(ctx, requiredString(ctx, name, itemIndex, label), itemIndex, label);
}

/** An optional text field: undefined when empty, so it is left out of the body. */
export function optionalString(value: unknown): string | undefined {
	if (value === undefined || value === null) return undefined;
	const text = String(value).trim();
	return text === '' ? undefined : text;
}

/** An absolute http(s) URL, as ACS requires for callback and media URLs. */
export function absoluteUrl(
	ctx: IExecuteFunctions,
	value: unknown,
	itemIndex: number,
	label: string,
): string {
	const text = optionalString(value);
	if (text === undefined)
		fail(
			ctx,
			itemIndex,
			`${label} is empty`,
			`Enter an absolute URL starting with https:// (or http://).`,
		);
	// URL parsing drops CR/LF/tab silently; refuse them rather than send a value other than the one shown.
	if (hasControlCharacter(text))
		fail(ctx, itemIndex, `${label} must not contain control characters (such as line breaks)`);
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		return fail(
			ctx,
			itemIndex,
			`${label} "${text}" is not an absolute URL`,
			'Enter a full URL starting with https://, e.g. https://example.com/audio/welcome.wav.',
		);
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		fail(ctx, itemIndex, `${label} "${text}" must start with https:// or http://`);
	}
	return text;
}

export function optionalUrl(
	ctx: IExecuteFunctions,
	value: unknown,
	itemIndex: number,
	label: string,
): string | undefined {
	return optionalString(value) === undefined
		? undefined
		: absoluteUrl(ctx, value, itemIndex, label);
}

/** One participant id (phone number, ACS user, Teams user/app or raw id). */
export function identifier(
	ctx: IExecuteFunctions,
	value: unknown,
	itemIndex: number,
	label: string,
	type: IdentifierInputType = 'auto',
): IdentifierModel {
	return guard(ctx, itemIndex, () => parseIdentifier(value, type, label));
}

/**
 * One or more participant ids: a list/array from an expression, or text separated by commas,
 * semicolons or new lines (as pasted from a CRM column).
 */
export function identifierList(
	ctx: IExecuteFunctions,
	value: unknown,
	itemIndex: number,
	label: string,
): IdentifierModel[] {
	const parts = (Array.isArray(value) ? value : String(value ?? '').split(/[,;\n]/))
		.map((part) => (typeof part === 'number' ? String(part) : String(part ?? '').trim()))
		.filter((part) => part !== '');
	return parts.map((part, n) =>
		identifier(ctx, part, itemIndex, parts.length > 1 ? `${label} #${n + 1}` : label),
	);
}

export function phoneNumber(
	ctx: IExecuteFunctions,
	value: unknown,
	itemIndex: number,
	label: string,
): PhoneNumberModel {
	return guard(ctx, itemIndex, () => phoneNumberModel(value, label));
}

/** A whole number within [min, max]; undefined when the field is empty. */
export function boundedInteger(
	ctx: IExecuteFunctions,
	value: unknown,
	itemIndex: number,
	label: string,
	min: number,
	max: number,
): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const n = Number(value);
	if (!Number.isInteger(n) || n < min || n > max) {
		fail(
			ctx,
			itemIndex,
			`${label} must be a whole number from ${min} to ${max} (got "${String(value)}")`,
		);
	}
	return n;
}

/** Drops undefined values so the body holds only what the user set, as the SDK sends it. */
export function compact<T extends IDataObject>(body: T): T {
	for (const key of Object.keys(body)) if (body[key] === undefined) delete body[key];
	return body;
}

export interface OperationFields {
	operationContext: string | undefined;
	operationCallbackUri: string | undefined;
}

/**
 * An action's Operation Context and Operation Callback URL, read from `fields` (its Additional
 * Fields) or, without it, from the node's top-level parameters. `generateContext` does what the SDK
 * does for these actions: a random UUID when empty, so their events can still be matched.
 */
export function operationFields(
	ctx: IExecuteFunctions,
	itemIndex: number,
	options: { fields?: IDataObject; generateContext?: boolean } = {},
): OperationFields {
	const read = (name: string) =>
		options.fields ? options.fields[name] : ctx.getNodeParameter(name, itemIndex, '');
	const operationContext = optionalString(read('operationContext'));
	// A step waiting for its outcome has its events sent to the execution's resume URL.
	const override = runOf(ctx).callbackOverride?.operationCallbackUri;
	return {
		operationContext: options.generateContext
			? (operationContext ?? randomUUID())
			: operationContext,
		operationCallbackUri:
			override ??
			optionalUrl(ctx, read('operationCallbackUrl'), itemIndex, 'Operation Callback URL'),
	};
}
