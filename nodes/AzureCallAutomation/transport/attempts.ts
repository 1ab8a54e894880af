/**
 * One request's attempts: sends it, paced for the whole run, and retries what may be retried until the
 * retry budget runs out, unless the failure is the item's own (failureClassifier.ts), which ends it after
 * a few attempts. A repeatable request keeps its Repeatability-Request-ID across retries, so a retried
 * create never places a second call, and a request that may have been carried out is never sent again
 * without one.
 */
import { randomUUID } from 'node:crypto';
import type { IDataObject, IHttpRequestOptions, IN8nHttpFullResponse } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { asNodeError } from '../helpers/errors';
import type { NodeRun } from '../helpers/run';
import { scrubRequestError } from '../helpers/scrub';
import { CREDENTIAL_NAME, requestUrl, type Endpoint } from './endpoint';
import { gaveUpText, acsError, ownFailure, settle, type Outcome } from './errors';
import { CancelledError, type Pacer } from './pacing';
import { newRepeat, REPEATABILITY_WINDOW_MS, reusableUntil, takeSupplied } from './repeatability';
import {
	backoff,
	DEFAULT_RETRY_POLICY,
	errorCode,
	header,
	MAYBE_SENT,
	NOT_SENT,
	retryAfterMs,
	retryUntil,
	type Attempts,
	type RetryPolicy,
} from './retry';
import type { AcsContext, AcsRequest } from './types';

export async function sendRequest<T>(
	ctx: AcsContext,
	run: NodeRun,
	pacer: Pacer,
	endpoint: Endpoint,
	request: AcsRequest,
	retryPolicy: Partial<RetryPolicy>,
): Promise<T> {
	const policy: RetryPolicy = {
		...DEFAULT_RETRY_POLICY,
		budgetMs: pacer.settings.retryBudgetMs,
		...retryPolicy,
	};
	const url = requestUrl(endpoint, request);
	const body = request.body === undefined ? undefined : JSON.stringify(request.body);
	const headers: IDataObject = {
		accept: 'application/json',
		'x-ms-client-request-id': randomUUID(),
	};
	if (body !== undefined) headers['content-type'] = 'application/json';
	const safeToRepeat =
		request.repeatable === true || request.method === 'GET' || request.method === 'DELETE';
	// A GET changes nothing: whatever became of it, nothing was carried out.
	const hasEffect = request.method !== 'GET';
	const state: Attempts = { count: 0, firstAt: 0, maybeCommitted: false };
	const health = pacer.health;
	const track = health.track();
	const supplied = request.repeatable
		? takeSupplied(run.suppliedIds, request.itemIndex)
		: undefined;
	// n8n's getNode() is a deep copy of the node: taken only when an error needs it, not per request.
	const node = () => ctx.getNode();
	let lastError: NodeApiError | undefined;

	try {
		for (let attempt = 0; ; attempt++) {
			// An item whose failures are its own gives way to the others (the run's slots belong to work that can succeed).
			const ticket =
				(track.own > 0 ? undefined : pacer.tryAcquire()) ?? (await pacer.acquire(track.own > 0));
			const now = Date.now();
			if (state.count === 0) state.firstAt = now;
			if (request.repeatable) {
				if (state.repeat === undefined) state.repeat = supplied ?? newRepeat();
				else if (
					!state.maybeCommitted &&
					!state.repeat.supplied &&
					now > reusableUntil(state.repeat.firstSentMs)
				) {
					// Only 429/503 so far: nothing was carried out, so a fresh id is as safe and ACS will still accept it.
					state.repeat = newRepeat();
				}
				if (now > reusableUntil(state.repeat.firstSentMs)) {
					pacer.release(ticket, 'other');
					const error =
						lastError ??
						new NodeOperationError(
							node(),
							`Repeatability First Sent "${state.repeat.firstSent}" is more than ${REPEATABILITY_WINDOW_MS / 60_000} minutes ago`,
							{
								itemIndex: request.itemIndex,
							},
						);
					throw settle(
						error,
						request,
						state,
						'unknown',
						'ACS no longer remembers this request (it tracks an id for 5 minutes after First Sent), so sending it again could do it twice. It was not sent.',
					);
				}
				headers['Repeatability-Request-ID'] = state.repeat.requestId;
				headers['Repeatability-First-Sent'] = state.repeat.firstSent;
			}
			state.count++;
			const options: IHttpRequestOptions = {
				method: request.method,
				url,
				headers: { ...headers },
				body,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout: policy.timeoutMs,
				json: true,
			};
			let response: IN8nHttpFullResponse;
			try {
				response = (await ctx.helpers.httpRequestWithAuthentication.call(
					ctx,
					CREDENTIAL_NAME,
					options,
					endpoint.credentials,
				)) as IN8nHttpFullResponse;
			} catch (error) {
				pacer.release(ticket, 'other');
				scrubRequestError(error);
				const code = errorCode(error);
				if (code !== undefined && MAYBE_SENT.has(code) && hasEffect) state.maybeCommitted = true;
				const retryable =
					code !== undefined && (NOT_SENT.has(code) || (MAYBE_SENT.has(code) && safeToRepeat));
				const verdict = retryable ? health.failed(track) : undefined;
				const delay = backoff(attempt, policy);
				// Made only when the request ends: n8n's getNode() is a deep copy.
				const failed = () =>
					error instanceof NodeApiError || error instanceof NodeOperationError
						? error
						: new NodeOperationError(node(), error as Error, { itemIndex: request.itemIndex });
				if (verdict?.giveUp)
					ownFailure(failed(), request, state, `The connection failed (${code})`);
				if (retryable && Date.now() + delay <= retryUntil(state, policy)) {
					if (error instanceof NodeApiError) lastError = error;
					if (verdict?.verdict === 'item') await pacer.park(delay, request.itemIndex);
					else await pacer.wait(delay);
					continue;
				}
				const outcome: Outcome = state.maybeCommitted ? 'unknown' : 'failed';
				const ended = failed();
				if (code === 'ECONNREFUSED' || code === 'ENOTFOUND') {
					ended.description = `Could not reach ${new URL(url).host}. Check the endpoint in the connection string and this machine's network/proxy settings.`;
				}
				throw settle(
					ended,
					request,
					state,
					outcome,
					retryable
						? gaveUpText(state, policy, `The connection failed (${code})`, delay)
						: undefined,
				);
			}
			const status = response.statusCode;
			if (status >= 200 && status < 300) {
				pacer.release(ticket, 'ok');
				health.succeeded(track);
				const data = response.body;
				if (data === undefined || data === null || data === '') return {} as T;
				if (typeof data === 'string') {
					try {
						return JSON.parse(data) as T;
					} catch {
						return { body: data } as T;
					}
				}
				return data as T;
			}
			const responseHeaders = response.headers as IDataObject;
			const wait = retryAfterMs(responseHeaders);
			// 429 and 503 say the work was not done: safe to send again, for any operation.
			const notDone = status === 429 || status === 503;
			const transient = status === 408 || (status >= 500 && status !== 501 && status !== 505);
			const retry = notDone || (transient && safeToRepeat);
			// A 429 is always about the service; any other failure is the item's own while the rest of the run goes through.
			const verdict = retry && status !== 429 ? health.failed(track) : undefined;
			const serviceWide = retry && verdict?.verdict !== 'item';
			pacer.release(ticket, serviceWide ? 'throttled' : 'other', serviceWide ? wait : undefined);
			const error = acsError(ctx, status, response.body, request.itemIndex);
			if (
				state.repeat &&
				header(responseHeaders, 'repeatability-result')?.toLowerCase() === 'rejected'
			) {
				const original = state.maybeCommitted || state.repeat.supplied;
				throw settle(
					error,
					request,
					state,
					original ? 'unknown' : 'failed',
					status === 412
						? 'ACS no longer tracks this Repeatability-Request-ID (First Sent is outside its 5-minute window).'
						: 'ACS refused the repeatability headers: the id was first used with a different request, or a header is malformed. A re-run must send the item unchanged.',
				);
			}
			if (hasEffect && status >= 500 && status !== 501 && status !== 505 && status !== 503)
				state.maybeCommitted = true;
			if (verdict?.giveUp) ownFailure(error, request, state, `ACS answered ${status}`);
			// Retry-After 0 (or none) gets the usual back-off: retrying at once would only add load.
			const delay = wait !== undefined && wait > 0 ? wait : backoff(attempt, policy);
			if (retry && Date.now() + delay <= retryUntil(state, policy)) {
				lastError = error;
				// An item's own failure: it waits alone. After a service-wide Retry-After the run's shared pause (in acquire) does the waiting.
				if (verdict?.verdict === 'item') await pacer.park(delay, request.itemIndex);
				else if (!(wait !== undefined && wait > 0)) await pacer.wait(delay);
				continue;
			}
			throw settle(
				error,
				request,
				state,
				state.maybeCommitted ? 'unknown' : 'failed',
				retry ? gaveUpText(state, policy, `ACS answered ${status}`, delay) : undefined,
			);
		}
	} catch (error) {
		if (!(error instanceof CancelledError)) throw asNodeError(node(), error, request.itemIndex);
		const cancelled = new NodeOperationError(node(), error.message, {
			itemIndex: request.itemIndex,
		});
		throw settle(cancelled, request, state, state.maybeCommitted ? 'unknown' : 'failed');
	}
}
