/**
 * Request handling of the trigger: shared secret, size and JSON checks, Event Grid handshakes, the ACS
 * token on mid-call events, then filtering and routing of the normalised events.
 */
import type {
	IDataObject,
	INodeExecutionData,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { firstDelivery } from '../callbacks/dedupe';
import {
	FAMILIES,
	FAMILY_INDEX,
	SUBSCRIPTION_DELETED_EVENT,
	VALIDATION_EVENT,
	familyOf,
} from '../callbacks/eventTypes';
import { buildFilter, matches } from '../callbacks/filter';
import { header, refuse, reply, type ResponseLike } from '../callbacks/http';
import { normalizeEvent } from '../callbacks/normalize';
import { receiveEvents } from '../callbacks/receive';
import { chosenEvents } from './description';
import { authSettings, type TriggerOptions } from './settings';

export async function handleWebhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const req = this.getRequestObject() as unknown as {
		method?: string;
		headers: Record<string, unknown>;
		body: unknown;
		rawBody?: unknown;
	};
	const res = this.getResponseObject() as unknown as ResponseLike;
	const options = this.getNodeParameter('options', {}) as TriggerOptions;
	const headers = req.headers ?? {};

	// CloudEvents abuse-protection handshake, should a server route OPTIONS here (n8n itself does not).
	// It starts nothing and reveals nothing, so it needs no proof.
	if (req.method === 'OPTIONS') {
		const origin = header(headers, 'webhook-request-origin');
		if (!origin) return reply(res, 200, undefined, { allow: 'POST, OPTIONS' });
		return reply(res, 200, undefined, {
			'webhook-allowed-origin': origin,
			'webhook-allowed-rate': '*',
			allow: 'POST, OPTIONS',
		});
	}

	// Authenticate first: the body is not looked at until the request has proved something.
	const received = await receiveEvents(
		this,
		await authSettings.call(this),
		this.getQueryData() as IDataObject,
	);
	if (received.refused) return received.refused;
	const events = received.events;

	const validation = events.find((e) => e.type === VALIDATION_EVENT);
	if (validation) {
		const code = validation.data.validationCode;
		if (typeof code !== 'string') {
			return refuse(
				res,
				400,
				'InvalidBody',
				'The subscription validation event has no validationCode.',
			);
		}
		return reply(res, 200, { validationResponse: code });
	}

	const filter = buildFilter(
		chosenEvents(this.getNodeParameter('triggerOn', 'chosen'), this.getNodeParameter('events', [])),
		options.callConnectionId ?? '',
		options.operationContext ?? '',
		options.calledNumbers ?? '',
	);
	const split = options.splitByFamily === true;
	const outputs: INodeExecutionData[][] = split ? FAMILIES.map(() => []) : [[]];
	const scope = `${this.getWorkflow().id ?? ''}\u0000${this.getNode().name}`;
	let count = 0;
	for (const event of events) {
		if (event.type === SUBSCRIPTION_DELETED_EVENT || !matches(filter, event)) continue;
		// ACS and Event Grid deliver again when unsure: the same event id starts nothing twice.
		if (!firstDelivery(scope, event.id)) continue;
		const json = normalizeEvent(event);
		outputs[split ? FAMILY_INDEX[familyOf(event.type)] : 0].push({ json });
		count++;
	}
	// A small fixed answer: never the items or anything else of the workflow.
	if (count === 0) return reply(res, 200, { status: 'ignored' });
	reply(res, 200, { status: 'accepted' });
	return { noWebhookResponse: true, workflowData: outputs };
}
