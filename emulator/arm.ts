/**
 * Azure Resource Manager routes (Event Grid subscriptions on the resource) and the token endpoint.
 * Returns true when it handled the request; the router answers 404 otherwise.
 *
 * - `POST /{tenantId}/oauth2/v2.0/token` (client credentials, form body) → `{ access_token, … }` for the
 *   configured client id/secret; tokens are HMAC-signed with the access key (stateless, 1 h).
 * - `PUT|GET|DELETE /subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Communication/
 *   communicationServices/{name}/providers/Microsoft.EventGrid/eventSubscriptions/{subName}?api-version=…`,
 *   `GET …/eventSubscriptions` (list), `POST …/{subName}/getFullUrl`. A PUT runs Event Grid's endpoint
 *   handshake through the Event Grid store and fails with 400 when the endpoint does not validate.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorContext } from './context';
import type { EventDeliverySchema, Subscription } from './eventGrid';

const TOKEN_LIFETIME_S = 3600;
const SCHEMAS: EventDeliverySchema[] = ['EventGridSchema', 'CloudEventSchemaV1_0'];
const NAME = /^[A-Za-z0-9-]{3,64}$/;
const API_VERSION = /^\d{4}-\d{2}-\d{2}(-preview)?$/;
const TOKEN_PATH = /^\/([^/]+)\/oauth2\/v2\.0\/token$/i;
const SUBSCRIPTIONS_PATH =
	/^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Communication\/communicationServices\/([^/]+)\/providers\/Microsoft\.EventGrid\/eventSubscriptions(?:\/([^/]+)(\/getFullUrl)?)?\/?$/i;

function send(
	ctx: EmulatorContext,
	res: ServerResponse,
	status: number,
	body?: unknown,
	headers: Record<string, string> = {},
): true {
	ctx.sendJson(res, status, body, { 'x-ms-request-id': randomUUID(), ...headers });
	return true;
}

function armError(
	ctx: EmulatorContext,
	res: ServerResponse,
	status: number,
	code: string,
	message: string,
): true {
	return send(ctx, res, status, { error: { code, message } });
}

function aadError(
	ctx: EmulatorContext,
	res: ServerResponse,
	status: number,
	error: string,
	code: number,
	message: string,
): true {
	return send(ctx, res, status, {
		error,
		error_description: `AADSTS${code}: ${message}`,
		error_codes: [code],
		timestamp: new Date().toISOString().replace('T', ' ').slice(0, 19) + 'Z',
		trace_id: randomUUID(),
		correlation_id: randomUUID(),
	});
}

function mac(ctx: EmulatorContext, payload: string): Buffer {
	return createHmac('sha256', ctx.key).update(`arm:${payload}`).digest();
}

function issueToken(ctx: EmulatorContext, appId: string): string {
	const exp = Math.floor(Date.now() / 1000) + TOKEN_LIFETIME_S;
	const payload = Buffer.from(
		JSON.stringify({ tid: ctx.options.tenantId, appid: appId, exp }),
	).toString('base64url');
	return `${payload}.${mac(ctx, payload).toString('base64url')}`;
}

/** undefined when valid, else [code, message]. */
function checkToken(
	ctx: EmulatorContext,
	authorization: string | undefined,
): [string, string] | undefined {
	const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
	if (!match)
		return [
			'AuthenticationFailed',
			"Authentication failed. The 'Authorization' header is missing.",
		];
	const [payload, signature] = match[1].split('.');
	const expected = payload ? mac(ctx, payload) : undefined;
	const given = signature ? Buffer.from(signature, 'base64url') : undefined;
	if (
		!expected ||
		!given ||
		given.length !== expected.length ||
		!timingSafeEqual(given, expected)
	) {
		return ['InvalidAuthenticationToken', 'The access token is invalid.'];
	}
	const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
		tid: string;
		exp: number;
	};
	if (claims.tid !== ctx.options.tenantId) {
		return [
			'InvalidAuthenticationTokenTenant',
			`The access token is from the wrong issuer '${claims.tid}'.`,
		];
	}
	if (Date.now() / 1000 > claims.exp)
		return [
			'ExpiredAuthenticationToken',
			'The access token expiry UTC time is earlier than current UTC time.',
		];
	return undefined;
}

function handleToken(
	ctx: EmulatorContext,
	res: ServerResponse,
	tenant: string,
	rawBody: Buffer,
): true {
	const form = new URLSearchParams(rawBody.toString('utf8'));
	if (decodeURIComponent(tenant) !== ctx.options.tenantId) {
		return aadError(ctx, res, 400, 'invalid_request', 90002, `Tenant '${tenant}' not found.`);
	}
	if (form.get('grant_type') !== 'client_credentials') {
		return aadError(
			ctx,
			res,
			400,
			'unsupported_grant_type',
			70003,
			'The app requested an unsupported grant type.',
		);
	}
	const clientId = form.get('client_id');
	if (!clientId)
		return aadError(
			ctx,
			res,
			400,
			'invalid_request',
			900144,
			"The request body must contain the following parameter: 'client_id'.",
		);
	if (clientId !== ctx.options.clientId) {
		return aadError(
			ctx,
			res,
			400,
			'unauthorized_client',
			700016,
			`Application with identifier '${clientId}' was not found in the directory.`,
		);
	}
	if (form.get('client_secret') !== ctx.options.clientSecret) {
		return aadError(ctx, res, 401, 'invalid_client', 7000215, 'Invalid client secret provided.');
	}
	const scope = form.get('scope') ?? '';
	if (!scope.endsWith('/.default')) {
		return aadError(
			ctx,
			res,
			400,
			'invalid_scope',
			1002012,
			`The provided value for scope '${scope}' is not valid. Client credential flows must have a scope value with /.default suffixed.`,
		);
	}
	return send(ctx, res, 200, {
		token_type: 'Bearer',
		expires_in: TOKEN_LIFETIME_S - 1,
		ext_expires_in: TOKEN_LIFETIME_S - 1,
		access_token: issueToken(ctx, clientId),
	});
}

function findSubscription(ctx: EmulatorContext, name: string): Subscription | undefined {
	const lower = name.toLowerCase();
	return ctx.eventGrid.list().find((s) => s.name.toLowerCase() === lower);
}

function resourceView(ctx: EmulatorContext, s: Subscription): Record<string, unknown> {
	const base = s.endpointUrl.split('?')[0];
	const createdAt = (s.metadata?.createdAt as string | undefined) ?? s.createdAt;
	return {
		id: `${ctx.resource.armId}/providers/Microsoft.EventGrid/eventSubscriptions/${s.name}`,
		name: s.name,
		type: 'Microsoft.EventGrid/eventSubscriptions',
		properties: {
			topic: ctx.resource.armId.toLowerCase(),
			provisioningState: 'Succeeded',
			destination: {
				endpointType: 'WebHook',
				properties: {
					endpointBaseUrl: base,
					maxEventsPerBatch: 1,
					preferredBatchSizeInKilobytes: 64,
				},
			},
			filter: {
				includedEventTypes: s.includedEventTypes.length > 0 ? s.includedEventTypes : null,
				subjectBeginsWith: '',
				subjectEndsWith: '',
				enableAdvancedFilteringOnArrays: true,
			},
			labels: [],
			eventDeliverySchema: s.schema,
			retryPolicy: { maxDeliveryAttempts: 30, eventTimeToLiveInMinutes: 1440 },
		},
		systemData: { createdAt, lastModifiedAt: s.createdAt },
	};
}

interface PutInput {
	endpointUrl: string;
	includedEventTypes: string[];
	schema: EventDeliverySchema;
}

function isObject(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Validates the PUT body like ARM does; returns the input or an error message. */
function parsePut(rawBody: Buffer): PutInput | string {
	let body: unknown;
	try {
		body = JSON.parse(rawBody.toString('utf8'));
	} catch {
		return 'The request content was invalid and could not be deserialized.';
	}
	if (!isObject(body) || !isObject(body.properties))
		return "The request body must contain an object 'properties'.";
	const props = body.properties;
	const destination = props.destination;
	if (!isObject(destination)) return "'properties.destination' is required.";
	if (String(destination.endpointType ?? '').toLowerCase() !== 'webhook') {
		return `Destination endpoint type '${String(destination.endpointType)}' is not supported here (only WebHook).`;
	}
	const endpointUrl = isObject(destination.properties)
		? destination.properties.endpointUrl
		: undefined;
	if (typeof endpointUrl !== 'string' || !endpointUrl)
		return "'properties.destination.properties.endpointUrl' is required.";
	try {
		const u = new URL(endpointUrl);
		if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('scheme');
	} catch {
		return `The attempt to validate the provided endpoint ${endpointUrl} failed: it is not an absolute http(s) URL.`;
	}
	let includedEventTypes: string[] = [];
	if (props.filter !== undefined && props.filter !== null) {
		if (!isObject(props.filter)) return "'properties.filter' must be an object.";
		const types = props.filter.includedEventTypes;
		if (types !== undefined && types !== null) {
			if (!Array.isArray(types) || types.some((t) => typeof t !== 'string')) {
				return "'properties.filter.includedEventTypes' must be an array of strings.";
			}
			const unknown = (types as string[]).find(
				(t) => !/^Microsoft\.Communication\.[A-Za-z]+$/i.test(t),
			);
			if (unknown)
				return `Event type '${unknown}' is not supported by topic type Microsoft.Communication.CommunicationServices.`;
			includedEventTypes = types as string[];
		}
	}
	const schema = (props.eventDeliverySchema ?? 'EventGridSchema') as EventDeliverySchema;
	if (!SCHEMAS.includes(schema))
		return `Event delivery schema '${String(props.eventDeliverySchema)}' is not supported.`;
	return { endpointUrl, includedEventTypes, schema };
}

async function handleSubscriptions(
	ctx: EmulatorContext,
	req: IncomingMessage,
	res: ServerResponse,
	method: string,
	match: RegExpExecArray,
	query: URLSearchParams,
	rawBody: Buffer,
): Promise<true> {
	const authError = checkToken(ctx, req.headers.authorization);
	if (authError) return armError(ctx, res, 401, authError[0], authError[1]);
	const apiVersion = query.get('api-version');
	if (!apiVersion)
		return armError(
			ctx,
			res,
			400,
			'MissingApiVersionParameter',
			'The api-version query parameter (?api-version=) is required for all requests.',
		);
	if (!API_VERSION.test(apiVersion))
		return armError(
			ctx,
			res,
			400,
			'InvalidApiVersionParameter',
			`The api-version '${apiVersion}' is invalid.`,
		);
	const [, sub, rg, name, subName, fullUrl] = match.map((m) =>
		m === undefined ? m : decodeURIComponent(m),
	);
	const r = ctx.resource;
	if (sub.toLowerCase() !== r.subscriptionId.toLowerCase()) {
		return armError(
			ctx,
			res,
			404,
			'SubscriptionNotFound',
			`The subscription '${sub}' could not be found.`,
		);
	}
	if (rg.toLowerCase() !== r.resourceGroup.toLowerCase()) {
		return armError(
			ctx,
			res,
			404,
			'ResourceGroupNotFound',
			`Resource group '${rg}' could not be found.`,
		);
	}
	if (name.toLowerCase() !== r.name.toLowerCase()) {
		return armError(
			ctx,
			res,
			404,
			'ResourceNotFound',
			`The Resource 'Microsoft.Communication/communicationServices/${name}' under resource group '${rg}' was not found.`,
		);
	}

	if (subName === undefined) {
		if (method !== 'GET')
			return armError(
				ctx,
				res,
				405,
				'MethodNotAllowed',
				`${method} is not supported on the collection.`,
			);
		return send(ctx, res, 200, { value: ctx.eventGrid.list().map((s) => resourceView(ctx, s)) });
	}
	const existing = findSubscription(ctx, subName);
	if (fullUrl) {
		if (method !== 'POST')
			return armError(
				ctx,
				res,
				405,
				'MethodNotAllowed',
				`${method} is not supported on getFullUrl.`,
			);
		if (!existing)
			return armError(
				ctx,
				res,
				404,
				'ResourceNotFound',
				`Event subscription '${subName}' was not found.`,
			);
		return send(ctx, res, 200, { endpointUrl: existing.endpointUrl });
	}
	switch (method) {
		case 'GET':
			if (!existing)
				return armError(
					ctx,
					res,
					404,
					'ResourceNotFound',
					`Event subscription '${subName}' was not found.`,
				);
			return send(ctx, res, 200, resourceView(ctx, existing));
		case 'DELETE':
			if (!existing) return send(ctx, res, 204);
			ctx.eventGrid.remove(existing.id);
			return send(ctx, res, 200);
		case 'PUT': {
			if (!NAME.test(subName)) {
				return armError(
					ctx,
					res,
					400,
					'BadRequest',
					'Event subscription name must be 3 to 64 characters long and contain only letters, digits and hyphens.',
				);
			}
			const input = parsePut(rawBody);
			if (typeof input === 'string') return armError(ctx, res, 400, 'InvalidRequest', input);
			let stored: Subscription;
			try {
				stored = await ctx.eventGrid.add({
					name: existing?.name ?? subName,
					endpointUrl: input.endpointUrl,
					includedEventTypes: input.includedEventTypes,
					schema: input.schema,
					metadata: {
						arm: true,
						createdAt:
							(existing?.metadata?.createdAt as string | undefined) ??
							existing?.createdAt ??
							new Date().toISOString(),
					},
				});
			} catch (error) {
				return armError(
					ctx,
					res,
					400,
					'Url validation',
					`The attempt to validate the provided endpoint ${input.endpointUrl.split('?')[0]} failed. ${(error as Error).message}`,
				);
			}
			return send(ctx, res, existing ? 200 : 201, resourceView(ctx, stored));
		}
		default:
			return armError(ctx, res, 405, 'MethodNotAllowed', `${method} is not supported.`);
	}
}

export async function handleArmRequest(
	ctx: EmulatorContext,
	req: IncomingMessage,
	res: ServerResponse,
	rawBody: Buffer,
): Promise<boolean> {
	const url = req.url ?? '/';
	const q = url.indexOf('?');
	const path = q < 0 ? url : url.slice(0, q);
	const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
	const method = (req.method ?? 'GET').toUpperCase();

	const token = TOKEN_PATH.exec(path);
	if (token) {
		if (method !== 'POST')
			return aadError(
				ctx,
				res,
				405,
				'invalid_request',
				900561,
				'The endpoint only accepts POST requests.',
			);
		return handleToken(ctx, res, token[1], rawBody);
	}
	const subs = SUBSCRIPTIONS_PATH.exec(path);
	if (subs) return await handleSubscriptions(ctx, req, res, method, subs, query, rawBody);
	return false;
}
