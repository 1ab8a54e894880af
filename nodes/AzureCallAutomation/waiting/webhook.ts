/**
 * Requests to a waiting step's resume URL: the node's own readiness probe and failure report (signed
 * with the access key), and ACS's events, authenticated exactly as the trigger does (the same code).
 * Only this step's outcome, or the end of its call, resumes the execution; anything else is
 * acknowledged and the execution keeps waiting.
 */
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import type { AuthSettings } from '../callbacks/authenticate';
import { firstDelivery } from '../callbacks/dedupe';
import type { ReceivedEvent } from '../callbacks/body';
import { shortName } from '../callbacks/eventTypes';
import { normalizeEvent } from '../callbacks/normalize';
import { refuse, reply, type ResponseLike } from '../callbacks/http';
import { receiveEvents } from '../callbacks/receive';
import { DEFAULT_OPENID_CONFIGURATION_URL } from '../../../acs/defaults';
import { parseConnectionString } from '../../../acs/connectionString';
import { CREDENTIAL_NAME } from '../transport';
import { PROBE_PARAM, REPORT_PARAM, STEP_PARAM } from './execute';
import { OUTCOMES } from './outcomes';
import { reportMatches, storedStep, verifyStep, type Step } from './stepToken';

/**
 * The waiting node's input item: what `{{ $json }}` evaluates to. n8n-core 1.x and 2.x keep it on the
 * webhook context (`connectionInputData`, the items of the execution's waiting node), where it is read
 * without building n8n's expression context on every event; elsewhere the expression is evaluated.
 */
function waitingInput(ctx: IWebhookFunctions): unknown {
	const input = (ctx as unknown as { connectionInputData?: unknown }).connectionInputData;
	if (Array.isArray(input) && input.length > 0) return (input[0] as { json?: unknown })?.json;
	return ctx.evaluateExpression('{{ $json }}', 0);
}

/** What the waiting step stored before it waited (its timed-out outcome), read back as the webhook's input. */
function pendingOf(ctx: IWebhookFunctions): { waitStep?: string; callConnectionId?: string } {
	let json: unknown;
	try {
		json = waitingInput(ctx);
	} catch {
		return {};
	}
	const read = (field: string): string | undefined => {
		const value =
			typeof json === 'object' && json !== null ? (json as IDataObject)[field] : undefined;
		return typeof value === 'string' && value !== '' ? value : undefined;
	};
	return { waitStep: read('waitStep'), callConnectionId: read('callConnectionId') };
}

function outcomeItem(
	event: ReceivedEvent,
	outcome: 'succeeded' | 'failed' | 'callEnded',
): IDataObject {
	const json = normalizeEvent(event);
	return { outcome, succeeded: outcome === 'succeeded', ...json };
}

function resume(res: ResponseLike, json: IDataObject): IWebhookResponseData {
	reply(res, 200, { status: 'accepted' });
	return { noWebhookResponse: true, workflowData: [[{ json, pairedItem: { item: 0 } }]] };
}

/** The credential's access key and the settings the step's events are checked with, read when needed. */
async function credentialOf(
	ctx: IWebhookFunctions,
): Promise<{ key: Buffer; audience: string; openIdConfigurationUrl: string }> {
	const credentials = await ctx.getCredentials(CREDENTIAL_NAME);
	return {
		key: parseConnectionString(credentials.connectionString).key,
		audience: String(credentials.resourceId ?? ''),
		openIdConfigurationUrl: String(
			credentials.openIdConfigurationUrl || DEFAULT_OPENID_CONFIGURATION_URL,
		),
	};
}

export async function waitingWebhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const req = this.getRequestObject() as unknown as {
		method?: string;
		headers: Record<string, unknown>;
		body: unknown;
		rawBody?: unknown;
	};
	const res = this.getResponseObject() as unknown as ResponseLike;
	const query = this.getQueryData() as IDataObject;

	// Every request names its step with a token only this node can sign, for this execution: the
	// execution is the one of the step now waiting (its token is stored in the execution's data). The
	// stored token itself needs no key (a turn then reads no credential); any other takes the key.
	const pending = pendingOf(this);
	let step: Step | undefined = storedStep(pending.waitStep, query[STEP_PARAM]);
	const current = step !== undefined;
	// Read at most once, and only where the request needs it.
	let read: ReturnType<typeof credentialOf> | undefined;
	const credential = () => (read ??= credentialOf(this));
	if (!step) {
		const { key } = await credential();
		const waiting = verifyStep(key, pending.waitStep);
		step = verifyStep(key, query[STEP_PARAM]);
		if (!step || !waiting || step.x !== waiting.x) {
			return refuse(
				res,
				401,
				'InvalidStep',
				'This URL resumes a waiting step; the request does not name one of this execution.',
			);
		}
	}

	if (req.method === 'GET') {
		// The node's readiness probe: answering it at all means the execution is stored as waiting.
		return reply(res, 200, { ready: query[PROBE_PARAM] === '1' && current });
	}

	if (query[REPORT_PARAM] !== undefined) {
		const { key } = await credential();
		const raw = Buffer.isBuffer(req.rawBody)
			? req.rawBody.toString('utf8')
			: JSON.stringify(req.body ?? {});
		if (!reportMatches(key, raw, query[REPORT_PARAM]))
			return refuse(res, 401, 'InvalidReport', 'The report signature is wrong.');
		if (!current) return reply(res, 200, { status: 'ignored' });
		const report = (JSON.parse(raw) ?? {}) as IDataObject;
		return resume(res, { outcome: 'failed', succeeded: false, operation: step.o, ...report });
	}

	// The step's token carries the resource its events must come from (a token from before it did: the credential).
	const checks =
		step.a !== undefined
			? {
					audience: step.a,
					openIdConfigurationUrl: step.u ?? DEFAULT_OPENID_CONFIGURATION_URL,
				}
			: await credential();
	const settings: AuthSettings = {
		verifyToken: true,
		audience: checks.audience,
		openIdConfigurationUrl: checks.openIdConfigurationUrl,
		secrets: [],
		allowUnauthenticated: false,
	};
	const received = await receiveEvents(this, settings, {});
	if (received.refused) return received.refused;
	const events = received.events;

	const spec = OUTCOMES[step.o];
	for (const event of events) {
		if (!firstDelivery(`${step.x}\u0000${pending.waitStep ?? ''}`, event.id)) continue;
		const name = shortName(event.type);
		if (current && spec?.success.includes(name))
			return resume(res, outcomeItem(event, 'succeeded'));
		if (current && spec?.failure.includes(name))
			return resume(res, outcomeItem(event, name === 'CallDisconnected' ? 'callEnded' : 'failed'));
		// The call of the waiting step ended (its events come with the token of the step that placed it).
		if (
			name === 'CallDisconnected' &&
			pending.callConnectionId !== undefined &&
			event.data.callConnectionId === pending.callConnectionId
		) {
			return resume(res, outcomeItem(event, 'callEnded'));
		}
	}
	return reply(res, 200, { status: 'ignored' });
}
