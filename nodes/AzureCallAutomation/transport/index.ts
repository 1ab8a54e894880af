/**
 * The one place the nodes talk HTTP to ACS: URL + api-version, JSON body serialised once, signing
 * (through the credential's `authenticate`), repeatability ids, retries and error mapping. This file is the
 * transport's public face; the work is done by endpoint.ts (credential, URLs), attempts.ts (the attempt
 * loop), retry.ts (back-off, Retry-After), errors.ts (ACS errors, what became of a request, re-run
 * advice), pacing.ts and failureClassifier.ts (how fast the run sends, whose failure it is),
 * repeatability.ts and sendGate.ts, all on the node run's state (helpers/run.ts, transport/run.ts).
 */
import type { IDataObject } from 'n8n-workflow';

import { encodeSegment } from '../../../acs/pathSegment';
import { runOf, type NodeRun } from '../helpers/run';
import { sendRequest } from './attempts';
import { readEndpoint } from './endpoint';
import { DEFAULT_PACING, Pacer } from './pacing';
import type { RetryPolicy } from './retry';
import type { AcsContext, AcsRequest } from './types';

export { CREDENTIAL_NAME } from './endpoint';
export { acsError, type Outcome } from './errors';
export { DEFAULT_RETRY_POLICY, retryAfterMs, type RetryPolicy } from './retry';
export type { AcsContext, AcsRequest } from './types';

/**
 * Sends one logical request to ACS and returns the parsed JSON body ({} when empty). Sending is paced
 * for the whole node run (pacing.ts); attempts.ts says what is retried and how a request ends.
 */
export function acsRequest<T = IDataObject>(
	this: AcsContext,
	request: AcsRequest,
	retryPolicy: Partial<RetryPolicy> = {},
): Promise<T> {
	const run = runOf(this);
	// A run no router started (load options, hooks) sends with the default pacing.
	const pacer = run.pacer ?? (run.pacer = new Pacer(DEFAULT_PACING));
	// Bulk runs send thousands of requests: once the credential is read and no gate holds them, a request
	// goes straight to its attempts, without waiting a turn.
	if (run.endpoint !== undefined && run.sendGate === undefined)
		return sendRequest<T>(this, run, pacer, run.endpoint, request, retryPolicy);
	return firstRequest<T>(this, run, pacer, request, retryPolicy);
}

async function firstRequest<T>(
	ctx: AcsContext,
	run: NodeRun,
	pacer: Pacer,
	request: AcsRequest,
	retryPolicy: Partial<RetryPolicy>,
): Promise<T> {
	// A step that waits for its outcome sends only once n8n has stored the execution as waiting.
	if (run.sendGate) await run.sendGate.pass();
	const endpoint = run.endpoint ?? (await readEndpoint(ctx, run));
	return await sendRequest<T>(ctx, run, pacer, endpoint, request, retryPolicy);
}

/** Follows `nextLink` until the last page or until `limit` values were collected. */
export async function acsRequestAllPages<T = IDataObject>(
	this: AcsContext,
	request: AcsRequest,
	limit?: number,
): Promise<T[]> {
	const values: T[] = [];
	let page = (await acsRequest.call(this, request)) as { value?: T[]; nextLink?: string };
	for (;;) {
		values.push(...(page.value ?? []));
		if (limit !== undefined && values.length >= limit) return values.slice(0, limit);
		if (!page.nextLink) return values;
		page = (await acsRequest.call(this, {
			method: 'GET',
			url: page.nextLink,
			itemIndex: request.itemIndex,
		})) as {
			value?: T[];
			nextLink?: string;
		};
	}
}

/** `encodeURIComponent` for ids that go into a path, as the SDK does for participant raw ids. */
export function encodeId(id: string): string {
	return encodeSegment(id);
}
