/**
 * Event Grid side of the resource: webhook subscriptions (validated by the real handshakes before they are
 * stored) and incoming calls, delivered as Microsoft.Communication.IncomingCall system events.
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { AcsError, badRequest, notFound } from './errors';
import { createAgents, post, type Agents } from './delivery';
import { parseScript } from './callerScript';
import type { EventBus } from './events';
import type { IncomingCall, Store } from './state';
import type {
	CallerScript,
	EventRecord,
	IdentifierModel,
	ResolvedOptions,
	ResourceInfo,
} from './types';
import { parseIdentifier } from './validation';

export const INCOMING_CALL = 'Microsoft.Communication.IncomingCall';
export type EventDeliverySchema = 'EventGridSchema' | 'CloudEventSchemaV1_0';

export interface SubscriptionInput {
	endpointUrl: string;
	includedEventTypes?: string[];
	schema?: EventDeliverySchema;
	/** Subscription name (ARM resource name); generated when absent. */
	name?: string;
	/** Extra details the ARM layer wants to keep (e.g. the full ARM resource body). */
	metadata?: Record<string, unknown>;
}

export interface Subscription {
	id: string;
	name: string;
	endpointUrl: string;
	includedEventTypes: string[];
	schema: EventDeliverySchema;
	createdAt: string;
	metadata?: Record<string, unknown>;
}

export interface IncomingCallInput {
	/** Caller: E.164 number or raw id (e.g. "+14255550123", "8:acs:…"). */
	from: string | IdentifierModel;
	/** Callee: a number the resource owns (or an ACS user). */
	to: string | IdentifierModel;
	callerDisplayName?: string;
	/** The caller follows this script once the call is answered (otherwise the script of its number, if any). */
	caller?: CallerScript;
}

export interface IncomingCallResult {
	incomingCallContext: string;
	serverCallId: string;
	correlationId: string;
	/** The Event Grid event (EventGridSchema shape). */
	event: Record<string, unknown>;
	deliveries: EventRecord[];
}

function toIdentifier(value: string | IdentifierModel, field: string): IdentifierModel {
	if (typeof value !== 'string') return parseIdentifier(value, field);
	const text = value.trim();
	if (text.startsWith('+')) return parseIdentifier({ phoneNumber: { value: text } }, field);
	return parseIdentifier({ rawId: text }, field);
}

/** What the Event Grid side reads from the emulator it belongs to (its context has all of it). */
export interface EventGridHost {
	readonly options: ResolvedOptions;
	readonly url: string;
	readonly key: Buffer;
	readonly resource: ResourceInfo;
	readonly store: Store;
	readonly events: EventBus;
}

export class EventGridStore {
	private readonly subscriptions = new Map<string, Subscription>();
	private readonly agents: Agents = createAgents();
	// Asynchronous validation: the endpoint answers 200 without a code and GETs validationUrl instead.
	private readonly pendingValidations = new Map<string, () => void>();

	constructor(private readonly ctx: () => EventGridHost) {}

	list(): Subscription[] {
		return [...this.subscriptions.values()];
	}

	get(idOrName: string): Subscription | undefined {
		return this.subscriptions.get(idOrName) ?? this.list().find((s) => s.name === idOrName);
	}

	/** Validates the endpoint like Event Grid does at subscription creation; throws if it does not validate. */
	async add(input: SubscriptionInput): Promise<Subscription> {
		const url = new URL(input.endpointUrl); // throws on a malformed URL
		if (url.protocol !== 'http:' && url.protocol !== 'https:')
			throw new Error(`Endpoint ${input.endpointUrl} must be http(s).`);
		const schema = input.schema ?? 'EventGridSchema';
		if (schema === 'EventGridSchema') await this.validateEventGridSchema(input.endpointUrl);
		else await this.validateCloudEvents(input.endpointUrl);
		const existing = input.name ? this.get(input.name) : undefined;
		const sub: Subscription = {
			id: existing?.id ?? randomUUID(),
			name: input.name ?? `emulator-subscription-${randomBytes(4).toString('hex')}`,
			endpointUrl: input.endpointUrl,
			includedEventTypes: input.includedEventTypes ?? [],
			schema,
			createdAt: new Date().toISOString(),
			metadata: input.metadata,
		};
		this.subscriptions.set(sub.id, sub);
		return sub;
	}

	remove(idOrName: string): boolean {
		const sub = this.get(idOrName);
		return sub ? this.subscriptions.delete(sub.id) : false;
	}

	clear(): void {
		this.subscriptions.clear();
	}

	private async validateEventGridSchema(endpointUrl: string): Promise<void> {
		const ctx = this.ctx();
		const validationCode = randomUUID();
		const body = JSON.stringify([
			{
				id: randomUUID(),
				topic: ctx.resource.armId,
				subject: '',
				eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent',
				eventTime: new Date().toISOString(),
				dataVersion: '2',
				metadataVersion: '1',
				data: {
					validationCode,
					validationUrl: `${ctx.url}__emulator/eventgrid/validate?code=${validationCode}`,
				},
			},
		]);
		const res = await post(
			endpointUrl,
			body,
			{
				'content-type': 'application/json',
				'aeg-event-type': 'SubscriptionValidation',
				'aeg-subscription-name': 'validation',
			},
			ctx.options.deliveryTimeoutMs,
			this.agents,
		);
		if (!res.ok)
			throw new Error(
				`Webhook validation handshake failed: ${endpointUrl} answered ${res.status ?? res.error}.`,
			);
		let answer: unknown;
		try {
			answer = JSON.parse(res.body ?? '');
		} catch {
			answer = undefined;
		}
		const got = (answer as { validationResponse?: unknown } | undefined)?.validationResponse;
		if (
			got === undefined &&
			(await this.awaitValidationUrl(validationCode, ctx.options.deliveryTimeoutMs))
		)
			return;
		if (got !== validationCode) {
			throw new Error(
				`Webhook validation handshake failed: ${endpointUrl} must answer {"validationResponse":"${validationCode}"}, got ${res.body?.slice(0, 200) || 'an empty body'}.`,
			);
		}
	}

	private awaitValidationUrl(code: string, timeoutMs: number): Promise<boolean> {
		return new Promise((resolve) => {
			const timer = setTimeout(() => {
				this.pendingValidations.delete(code);
				resolve(false);
			}, timeoutMs);
			this.pendingValidations.set(code, () => {
				clearTimeout(timer);
				this.pendingValidations.delete(code);
				resolve(true);
			});
		});
	}

	/** GET validationUrl (served under /__emulator/eventgrid/validate). */
	confirmValidation(code: string): boolean {
		const done = this.pendingValidations.get(code);
		done?.();
		return !!done;
	}

	close(): void {
		this.subscriptions.clear();
		this.agents.http.destroy();
		this.agents.https.destroy();
	}

	private async validateCloudEvents(endpointUrl: string): Promise<void> {
		const ctx = this.ctx();
		const res = await post(
			endpointUrl,
			'',
			{ 'webhook-request-origin': 'eventgrid.azure.net', 'webhook-request-rate': '120' },
			ctx.options.deliveryTimeoutMs,
			this.agents,
			'OPTIONS',
		);
		const allowed = res.headers?.['webhook-allowed-origin'];
		if (!res.ok || (allowed !== 'eventgrid.azure.net' && allowed !== '*')) {
			throw new Error(
				`CloudEvents abuse-protection handshake failed: OPTIONS ${endpointUrl} answered ${res.status ?? res.error} with WebHook-Allowed-Origin ${String(allowed)}.`,
			);
		}
	}

	/** A caller dials one of the resource's numbers: IncomingCall goes to every matching subscription. */
	/** Delivers one system event of the resource to every subscription that takes its type, in each one's schema. */
	async publish(
		type: string,
		subject: string,
		data: Record<string, unknown>,
	): Promise<{ event: Record<string, unknown>; deliveries: EventRecord[] }> {
		const ctx = this.ctx();
		const id = randomUUID();
		const time = new Date().toISOString();
		const event = {
			id,
			topic: ctx.resource.armId,
			subject,
			data,
			eventType: type,
			eventTime: time,
			metadataVersion: '1',
			dataVersion: '1.0',
		};
		const cloudEvent = {
			id,
			source: ctx.resource.armId,
			type,
			subject,
			time,
			specversion: '1.0',
			data,
		};
		const targets = this.list().filter(
			(s) =>
				s.includedEventTypes.length === 0 ||
				s.includedEventTypes.some((t) => t.toLowerCase() === type.toLowerCase()),
		);
		const deliveries = await Promise.all(
			targets.map((s) => {
				const cloud = s.schema === 'CloudEventSchemaV1_0';
				return ctx.events.deliverEventGrid(
					s.endpointUrl,
					type,
					cloud ? cloudEvent : [event],
					(attempt) => ({
						'content-type': cloud
							? 'application/cloudevents+json; charset=utf-8'
							: 'application/json',
						'aeg-event-type': 'Notification',
						'aeg-subscription-name': s.name.toUpperCase(),
						'aeg-delivery-count': String(attempt),
						'aeg-data-version': '1.0',
						'aeg-metadata-version': '1',
						...(cloud ? { origin: 'eventgrid.azure.net' } : {}),
					}),
					JSON.stringify(cloud ? cloudEvent : [event]),
				);
			}),
		);
		return { event, deliveries };
	}

	async simulateIncomingCall(input: IncomingCallInput): Promise<IncomingCallResult> {
		const ctx = this.ctx();
		const from = toIdentifier(input.from, 'from');
		const to = toIdentifier(input.to, 'to');
		const caller = input.caller === undefined ? undefined : parseScript(input.caller);
		const incoming: IncomingCall = {
			id: randomUUID(),
			serverCallId: Buffer.from(`emulator-server-call-${randomUUID()}`).toString('base64url'),
			correlationId: randomUUID(),
			from,
			to,
			callerDisplayName: input.callerDisplayName ?? '',
			expiresAt: Date.now() + ctx.options.incomingCallContextTtlMs,
			state: 'ringing',
			caller,
		};
		ctx.store.incoming.set(incoming.id, incoming);
		const incomingCallContext = signContext(ctx, incoming.id, incoming.expiresAt);
		const data = {
			to,
			from,
			serverCallId: incoming.serverCallId,
			callerDisplayName: incoming.callerDisplayName,
			incomingCallContext,
			correlationId: incoming.correlationId,
			customContext: { sipHeaders: {}, voipHeaders: {} },
		};
		const subject = `/caller/${from.rawId}/recipient/${to.rawId}`;
		const { event, deliveries } = await this.publish(INCOMING_CALL, subject, data);
		return {
			incomingCallContext,
			serverCallId: incoming.serverCallId,
			correlationId: incoming.correlationId,
			event,
			deliveries,
		};
	}
}

// incomingCallContext: "<base64url(json)>.<hmac>" — opaque to clients, verifiable here.
function signContext(ctx: EventGridHost, id: string, exp: number): string {
	const payload = Buffer.from(JSON.stringify({ id, exp, r: ctx.resource.resourceId })).toString(
		'base64url',
	);
	const mac = createHmac('sha256', ctx.key).update(`incoming:${payload}`).digest('base64url');
	return `${payload}.${mac}`;
}

/** Answer/redirect/reject: verifies the context and consumes the ringing call (400 if forged/expired, 404 if gone). */
export function consumeIncomingCall(
	ctx: EventGridHost,
	context: string,
	outcome: Exclude<IncomingCall['state'], 'ringing'>,
): IncomingCall {
	const [payload, mac] = context.split('.');
	const expected = payload
		? createHmac('sha256', ctx.key).update(`incoming:${payload}`).digest()
		: undefined;
	const given = mac ? Buffer.from(mac, 'base64url') : undefined;
	if (
		!expected ||
		!given ||
		given.length !== expected.length ||
		!timingSafeEqual(given, expected)
	) {
		throw badRequest(
			"Invalid request: 'incomingCallContext' is not a valid incoming call context (pass the value from the IncomingCall event unchanged).",
			'8523',
			'incomingCallContext',
		);
	}
	const { id, exp } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
		id: string;
		exp: number;
	};
	if (Date.now() > exp)
		throw badRequest(
			"Invalid request: 'incomingCallContext' has expired; the caller is no longer waiting.",
			'8523',
			'incomingCallContext',
		);
	const incoming = ctx.store.incoming.get(id);
	if (!incoming) throw notFound('The incoming call was not found (it was reset or has ended).');
	if (incoming.state !== 'ringing') {
		throw new AcsError(
			404,
			'8522',
			`The incoming call was already ${incoming.state}; an incomingCallContext can be used once.`,
		);
	}
	incoming.state = outcome;
	return incoming;
}
