/**
 * What the user is told when a request fails: ACS's error as an n8n error with a hint, what became of
 * the request (`outcome`), and for a request that may have been carried out, how to find out and how to
 * re-run it without doing it twice.
 */
import type { JsonObject, NodeOperationError } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { REPEATABILITY_WINDOW_MS, reusableUntil } from './repeatability';
import type { Attempts, RetryPolicy } from './retry';
import type { AcsContext, AcsRequest } from './types';

/** What became of a request that did not succeed: `failed` = not carried out; `unknown` = may have been. */
export type Outcome = 'failed' | 'unknown';

interface AcsErrorBody {
	error?: { code?: string; message?: string; target?: string; details?: unknown };
}

const HINTS: Record<number, string> = {
	400: 'ACS rejected the request as invalid. Check the fields named in the message.',
	401: "The access key was rejected. Check the connection string in the credential (Azure portal > Keys) and that this machine's clock is correct.",
	403: "The resource is not allowed to do this. Check the ACS resource's permissions, that the caller id number belongs to this resource, and that the call was created by this resource.",
	404: 'Not found. The call may have ended (calls are removed when they disconnect), or the id is wrong.',
	409: 'Another action on this call is still in progress. Retry after it completes.',
	412: 'The call is not in a state that allows this action (for example, another media operation is queued).',
	429: 'ACS is throttling requests. The node slows down and retries them; if this persists, raise Retry Budget or set Max Requests per Second (Request Options).',
};

/** Turns an ACS error response into an n8n error that keeps status, ACS code and message. */
export function acsError(
	ctx: AcsContext,
	statusCode: number,
	body: unknown,
	itemIndex?: number,
): NodeApiError {
	const parsed = (typeof body === 'object' && body !== null ? body : {}) as AcsErrorBody;
	const acsCode = parsed.error?.code;
	const acsMessage = parsed.error?.message ?? (typeof body === 'string' && body ? body : undefined);
	const hint =
		HINTS[statusCode] ??
		(statusCode >= 500 ? 'ACS had a temporary problem. Try again later.' : undefined);
	const message = `ACS returned ${statusCode}${acsCode ? ` (code ${acsCode})` : ''}: ${acsMessage ?? 'no error message'}`;
	const error = new NodeApiError(
		ctx.getNode(),
		{
			statusCode,
			acsCode: acsCode ?? null,
			acsMessage: acsMessage ?? null,
			body: (body ?? null) as JsonObject,
		} as JsonObject,
		{ message, description: hint, httpCode: String(statusCode), itemIndex },
	);
	return error;
}

function isCreateCall(request: AcsRequest): boolean {
	return request.method === 'POST' && /^\/?calling\/callConnections$/.test(request.path ?? '');
}

/** Why a retried request stopped: its attempts, and whether the budget or ACS's window ended them. */
export function gaveUpText(
	state: Attempts,
	policy: RetryPolicy,
	what: string,
	delay: number,
): string {
	const seconds = Math.round((Date.now() - state.firstAt) / 100) / 10;
	const reason =
		Date.now() + delay > state.firstAt + policy.budgetMs
			? `the retry budget (${policy.budgetMs / 1000} s) ran out`
			: `ACS's repeatability window (${REPEATABILITY_WINDOW_MS / 60_000} minutes after First Sent) was closing`;
	return `${what} on ${state.count} attempt${state.count === 1 ? '' : 's'} over ${seconds} s, and ${reason}.`;
}

/** Ends a request whose failures are its own (failureClassifier.ts): other items of the run went through meanwhile. */
export function ownFailure(
	error: NodeApiError | NodeOperationError,
	request: AcsRequest,
	state: Attempts,
	what: string,
): never {
	const seconds = Math.round((Date.now() - state.firstAt) / 100) / 10;
	throw settle(
		error,
		request,
		state,
		state.maybeCommitted ? 'unknown' : 'failed',
		`${what} on ${state.count} attempts over ${seconds} s while other items of this run went through, so the failure is this item's own: ` +
			'it was not retried further.',
		'Check what sets this item apart (the number it calls, its other fields), or run it again later.',
	);
}

/**
 * Marks an error with what became of the request (error items and messages say it), and for requests
 * that may have been carried out, how to find out and how to re-run them without doing them twice.
 */
export function settle<E extends NodeApiError | NodeOperationError>(
	error: E,
	request: AcsRequest,
	state: Attempts,
	outcome: Outcome,
	gaveUp?: string,
	/** What to do instead of the throttling advice (for a failure that is the item's own). */
	advice?: string,
): E {
	if (request.itemIndex !== undefined) error.context.itemIndex = request.itemIndex;
	error.context.outcome = outcome;
	error.context.attempts = state.count;
	const repeat = state.repeat;
	// The ids matter where a re-run could meet the earlier attempt: not after a definite refusal.
	if (repeat && (outcome === 'unknown' || gaveUp !== undefined)) {
		error.context.repeatabilityRequestId = repeat.requestId;
		error.context.repeatabilityFirstSent = repeat.firstSent;
	}
	if (outcome === 'unknown') {
		const what = isCreateCall(request)
			? 'The call may have been placed'
			: 'ACS may have carried out this request';
		error.message = `${what}, but its answer never arrived (last: ${error.message})`;
		const check = repeat
			? `To find out without risking doing it twice, run this item again before ${new Date(reusableUntil(repeat.firstSentMs)).toUTCString()} ` +
				`(ACS remembers a request for ${REPEATABILITY_WINDOW_MS / 60_000} minutes after First Sent) with Request Options > Repeatability Request ID ` +
				`and Repeatability First Sent set to this item's repeatabilityRequestId and repeatabilityFirstSent ({{ $json.repeatabilityRequestId }}, ` +
				`or {{ $json.error.repeatabilityRequestId }} from the error output): ACS returns the original result if it was carried out and carries ` +
				`it out once if not. Later than that, check before running it again: the CallConnected event with this item's operation context in ` +
				`the Azure Call Automation Trigger, or Call > Get with the call's id. ` +
				`Repeatability-Request-ID ${repeat.requestId}, Repeatability-First-Sent "${repeat.firstSent}".`
			: 'It was not sent again: this operation is not repeatable, so a second attempt could do it twice. Check the call (Call > Get, ' +
				'Participant > Get Many, or the events in the Azure Call Automation Trigger) before running this item again.';
		error.description = [gaveUp, check].filter(Boolean).join(' ');
	} else if (gaveUp !== undefined) {
		error.description =
			`${gaveUp} Nothing was carried out, so running this item again is safe. ` +
			(advice ??
				'To get through, raise Retry Budget, lower Items Sent at Once or set Max Requests per Second (Request Options), or spread the items over time.');
	}
	return error;
}
