/**
 * Registers the trigger's URL as an Event Grid subscription on the Communication Services resource (ARM),
 * so IncomingCall (and other Event Grid events of the resource) reach the node.
 */
import { createHash } from 'node:crypto';
import {
	NodeApiError,
	NodeOperationError,
	sleep,
	type IDataObject,
	type IHookFunctions,
	type IHttpRequestOptions,
	type JsonObject,
} from 'n8n-workflow';
import { EVENT_GRID_TYPES, INCOMING_CALL } from '../callbacks/eventTypes';

export const EVENT_GRID_CREDENTIAL = 'azureCallAutomationEventGridApi';
export const EVENT_GRID_API_VERSION = '2022-06-15';
const POLL_INTERVAL_MS = 2000;
const POLL_ATTEMPTS = 60;

export interface EventGridCredential {
	tenantId: string;
	clientId: string;
	clientSecret: string;
	subscriptionId: string;
	resourceGroup: string;
	resourceName: string;
	authorityUrl: string;
	managementUrl: string;
}

function trimSlash(s: string): string {
	return s.replace(/\/+$/, '');
}

/** Event Grid subscription name for a webhook URL: stable, so a restart finds the same subscription. */
export function subscriptionNameFor(webhookUrl: string): string {
	return `n8n-acs-${createHash('sha256').update(webhookUrl).digest('hex').slice(0, 24)}`;
}

/** The endpoint Event Grid posts to: the webhook URL plus the shared secret, when one is set. */
export function endpointUrlFor(webhookUrl: string, sharedSecret: string): string {
	if (!sharedSecret) return webhookUrl;
	return `${webhookUrl}${webhookUrl.includes('?') ? '&' : '?'}secret=${encodeURIComponent(sharedSecret)}`;
}

/** Event Grid event types to register: the chosen ones Event Grid delivers, or IncomingCall. */
export function includedEventTypesFor(events: string[]): string[] {
	const wanted = new Set(events.map((e) => e.toLowerCase()));
	const chosen = EVENT_GRID_TYPES.filter((t) => wanted.has(t.toLowerCase()));
	return chosen.length > 0 ? chosen : [INCOMING_CALL];
}

export function subscriptionBody(endpointUrl: string, includedEventTypes: string[]): IDataObject {
	return {
		properties: {
			destination: { endpointType: 'WebHook', properties: { endpointUrl } },
			filter: { includedEventTypes },
			eventDeliverySchema: 'EventGridSchema',
		},
	};
}

async function credentials(this: IHookFunctions): Promise<EventGridCredential> {
	if (!this.getNode().credentials?.[EVENT_GRID_CREDENTIAL]) {
		throw new NodeOperationError(
			this.getNode(),
			'Register Event Grid Subscription needs an Azure Event Grid (Call Automation) credential',
			{
				description:
					'Pick or create one under Credential for Azure Event Grid, or turn the registration off and subscribe the URL yourself.',
			},
		);
	}
	const c = (await this.getCredentials(EVENT_GRID_CREDENTIAL)) as unknown as EventGridCredential;
	for (const field of [
		'tenantId',
		'clientId',
		'clientSecret',
		'subscriptionId',
		'resourceGroup',
		'resourceName',
	] as const) {
		if (!c[field]) {
			throw new NodeOperationError(this.getNode(), `The Event Grid credential has no ${field}.`);
		}
	}
	return c;
}

/** The client-credentials token request for Azure Resource Manager. */
export function tokenRequestFor(c: EventGridCredential): { url: string; form: string } {
	const authority = trimSlash(c.authorityUrl || 'https://login.microsoftonline.com');
	const management = trimSlash(c.managementUrl || 'https://management.azure.com');
	const form = new URLSearchParams({
		grant_type: 'client_credentials',
		client_id: c.clientId,
		client_secret: c.clientSecret,
		scope: `${management}/.default`,
	}).toString();
	return { url: `${authority}/${encodeURIComponent(c.tenantId)}/oauth2/v2.0/token`, form };
}

async function accessToken(this: IHookFunctions, c: EventGridCredential): Promise<string> {
	const { url, form } = tokenRequestFor(c);
	try {
		const response = (await this.helpers.httpRequest({
			method: 'POST',
			url,
			body: form,
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			json: true,
		})) as { access_token?: string };
		if (!response?.access_token)
			throw new Error('The token endpoint answered without an access_token.');
		return response.access_token;
	} catch (error) {
		throw new NodeApiError(this.getNode(), error as JsonObject, {
			message: 'Could not get a Microsoft Entra token for Azure Resource Manager',
			description:
				'Check the Event Grid credential: tenant ID, client ID and client secret of an app registration that may manage Event Grid subscriptions on the Communication Services resource.',
		});
	}
}

/** `…/eventSubscriptions` under the resource, or one subscription when `name` is given. */
export function subscriptionUrl(c: EventGridCredential, name?: string, action = ''): string {
	const management = trimSlash(c.managementUrl || 'https://management.azure.com');
	const e = encodeURIComponent;
	return (
		`${management}/subscriptions/${e(c.subscriptionId)}/resourceGroups/${e(c.resourceGroup)}` +
		`/providers/Microsoft.Communication/communicationServices/${e(c.resourceName)}` +
		`/providers/Microsoft.EventGrid/eventSubscriptions${name === undefined ? '' : `/${e(name)}${action}`}?api-version=${EVENT_GRID_API_VERSION}`
	);
}

interface ArmResponse {
	statusCode: number;
	body: IDataObject;
}

async function arm(
	this: IHookFunctions,
	token: string,
	method: IHttpRequestOptions['method'],
	url: string,
	body?: IDataObject,
): Promise<ArmResponse> {
	const response = (await this.helpers.httpRequest({
		method,
		url,
		headers: { authorization: `Bearer ${token}` },
		body,
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	})) as { statusCode: number; body: unknown };
	const parsed =
		typeof response.body === 'object' && response.body !== null
			? (response.body as IDataObject)
			: {};
	return { statusCode: response.statusCode, body: parsed };
}

function armError(this: IHookFunctions, what: string, response: ArmResponse): NodeApiError {
	const error = (response.body.error ?? {}) as IDataObject;
	return new NodeApiError(this.getNode(), response.body as JsonObject, {
		message: `${what} failed (${response.statusCode} ${String(error.code ?? '')})`.trim(),
		description: String(error.message ?? JSON.stringify(response.body)),
		httpCode: String(response.statusCode),
	});
}

export interface Registration {
	webhookUrl: string;
	/** The secret the endpoint URL carries (from the Webhook Secret credential, or derived). */
	endpointSecret: string;
	events: string[];
}

function sameTypes(a: unknown, b: string[]): boolean {
	if (!Array.isArray(a) || a.length !== b.length) return false;
	const set = new Set(a.map((t) => String(t).toLowerCase()));
	return b.every((t) => set.has(t.toLowerCase()));
}

/** True when the subscription exists with this endpoint and these event types. */
export async function eventGridSubscriptionExists(
	this: IHookFunctions,
	r: Registration,
): Promise<boolean> {
	const c = await credentials.call(this);
	const name = subscriptionNameFor(r.webhookUrl);
	const token = await accessToken.call(this, c);
	const response = await arm.call(this, token, 'GET', subscriptionUrl(c, name));
	if (response.statusCode === 404) return false;
	if (response.statusCode !== 200)
		throw armError.call(this, 'Reading the Event Grid subscription', response);
	const props = (response.body.properties ?? {}) as IDataObject;
	const destination = ((props.destination as IDataObject)?.properties ?? {}) as IDataObject;
	const filter = (props.filter ?? {}) as IDataObject;
	// ARM shows only the base URL (the query holding the secret is hidden): compare that.
	const base = String(destination.endpointBaseUrl ?? destination.endpointUrl ?? '').split('?')[0];
	const ok =
		props.provisioningState === 'Succeeded' &&
		base === r.webhookUrl.split('?')[0] &&
		sameTypes(filter.includedEventTypes, includedEventTypesFor(r.events));
	if (!ok) return false;
	// ARM hides the query that carries the secret: ask for the full URL, so a changed secret re-registers.
	const full = await arm.call(this, token, 'POST', subscriptionUrl(c, name, '/getFullUrl'));
	if (full.statusCode !== 200)
		throw armError.call(this, 'Reading the Event Grid endpoint URL', full);
	if (full.body.endpointUrl !== endpointUrlFor(r.webhookUrl, r.endpointSecret)) return false;
	const data = this.getWorkflowStaticData('node');
	data.eventGridSubscriptionName = name;
	data.eventGridSubscriptionId = response.body.id;
	return true;
}

/** Creates (or updates) the subscription; Event Grid validates the endpoint while this waits. */
export async function createEventGridSubscription(
	this: IHookFunctions,
	r: Registration,
): Promise<boolean> {
	const c = await credentials.call(this);
	const name = subscriptionNameFor(r.webhookUrl);
	const token = await accessToken.call(this, c);
	const url = subscriptionUrl(c, name);
	const body = subscriptionBody(
		endpointUrlFor(r.webhookUrl, r.endpointSecret),
		includedEventTypesFor(r.events),
	);
	let response = await arm.call(this, token, 'PUT', url, body);
	if (response.statusCode !== 200 && response.statusCode !== 201) {
		throw armError.call(this, 'Creating the Event Grid subscription', response);
	}
	// ARM may answer before provisioning (and the endpoint handshake) has finished.
	for (let i = 0; i < POLL_ATTEMPTS; i++) {
		const state = ((response.body.properties ?? {}) as IDataObject).provisioningState;
		if (state === 'Succeeded' || state === undefined) break;
		if (state === 'Failed' || state === 'Canceled') {
			throw new NodeOperationError(
				this.getNode(),
				`The Event Grid subscription ${name} ended in state ${state}: Event Grid could not validate ${r.webhookUrl}.`,
			);
		}
		await sleep(POLL_INTERVAL_MS);
		response = await arm.call(this, token, 'GET', url);
		if (response.statusCode !== 200)
			throw armError.call(this, 'Reading the Event Grid subscription', response);
	}
	const data = this.getWorkflowStaticData('node');
	data.eventGridSubscriptionName = name;
	data.eventGridSubscriptionId = response.body.id;
	return true;
}

export async function deleteEventGridSubscription(this: IHookFunctions): Promise<boolean> {
	const data = this.getWorkflowStaticData('node');
	const name = data.eventGridSubscriptionName as string | undefined;
	if (!name) return true;
	const c = await credentials.call(this);
	const token = await accessToken.call(this, c);
	const response = await arm.call(this, token, 'DELETE', subscriptionUrl(c, name));
	if (response.statusCode >= 300 && response.statusCode !== 404) {
		throw armError.call(this, 'Deleting the Event Grid subscription', response);
	}
	delete data.eventGridSubscriptionName;
	delete data.eventGridSubscriptionId;
	return true;
}
