/**
 * EmulatorContext: what route modules (including arm.ts) get to work with.
 * - `url`/`resource`: base URL (trailing slash) and the emulated resource's ids (resourceId = JWT aud, ARM topic).
 * - `store`: calls, recordings, incoming calls, repeatability cache, request counters.
 * - `events`: callback event bus; `eventGrid`: Event Grid subscriptions (`add` runs the validation handshake,
 *   `remove`, `list`) — ARM routes create/delete subscriptions through it.
 * - `schedule(call, ms, fn)`: timers that die with the call (hang up, reset, close).
 * - `sendJson`/`sendError`: write a response (ACS error body shape for AcsError).
 */
import type { ServerResponse } from 'node:http';
import type { AcsError } from './errors';
import type { EventBus } from './events';
import type { EventGridStore } from './eventGrid';
import type { Faults } from './faults';
import type { JwtIssuer } from './jwt';
import type { Store } from './state';
import type { CallRecord, RemoteParty, ResolvedOptions, ResourceInfo } from './types';

export interface EmulatorContext {
	readonly options: ResolvedOptions;
	readonly url: string;
	readonly accessKey: string;
	readonly key: Buffer;
	readonly resource: ResourceInfo;
	readonly store: Store;
	readonly events: EventBus;
	readonly eventGrid: EventGridStore;
	readonly faults: Faults;
	readonly jwt: JwtIssuer;
	/** The remote party's actions (scripted caller): hang up, keys, speech, silence. */
	readonly remote: RemoteParty;
	schedule(call: CallRecord | undefined, delayMs: number, fn: () => void): void;
	sendJson(
		res: ServerResponse,
		status: number,
		body?: unknown,
		headers?: Record<string, string>,
	): void;
	sendError(res: ServerResponse, error: AcsError): void;
}

export interface ApiRequest {
	method: string;
	/** Path captures of the route (call id, action, raw participant id…), already percent-decoded. */
	params: string[];
	/** Parsed JSON body (undefined for body-less routes). */
	json: unknown;
	query: URLSearchParams;
	apiVersion: string;
	/** `http://<Host header>/`: base for absolute links such as nextLink. */
	baseUrl: string;
}

export interface ApiResult {
	status: number;
	body?: unknown;
	headers?: Record<string, string>;
}

export type Handler = (ctx: EmulatorContext, r: ApiRequest) => ApiResult;
