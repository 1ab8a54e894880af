/**
 * Local emulator of Azure Communication Services Call Automation (data plane + callback events + Event Grid
 * IncomingCall), for tests, the end-to-end run and benchmarks. See startEmulator().
 */
import { clearStorage, listStorage, type RecordingFileInfo } from './storage';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { disconnectCall } from './calls';
import {
	checkScriptInput,
	heardOf,
	scriptCaller,
	type Heard,
	type ScriptCallerInput,
} from './caller';
import type { EmulatorContext } from './context';
import type { AcsError } from './errors';
import { EventBus } from './events';
import { EventGridStore, type IncomingCallInput, type IncomingCallResult } from './eventGrid';
import { Faults } from './faults';
import { JwtIssuer } from './jwt';
import {
	pressKeys,
	recognizeTimeout,
	saySpeech,
	speechNotRecognized,
	type KeyPressResult,
} from './media';
import { sendError, sendJson } from './respond';
import { createRequestListener } from './server';
import { callSnapshot, Store } from './state';
import type {
	ArmCredentials,
	CallRecord,
	CloudEvent,
	EmulatorOptions,
	FaultSettings,
	ResolvedOptions,
	ResourceInfo,
	WaitFilter,
} from './types';

export type { EmulatorContext } from './context';
export type { CallerScript, CallerTurn, Heard, ScriptCallerInput, WhenDone } from './caller';
export {
	startModelStandIn,
	STAND_IN_MODEL,
	type Logged,
	type LoggedRequest,
	type ModelStandIn,
	type ModelStandInOptions,
	type Reply,
} from './model';
export type {
	EventDeliverySchema,
	IncomingCallInput,
	IncomingCallResult,
	Subscription,
	SubscriptionInput,
} from './eventGrid';
export type {
	ArmCredentials,
	CloudEvent,
	EmulatorOptions,
	EventRecord,
	FaultSettings,
	IdentifierModel,
	WaitFilter,
} from './types';
export { verifyHmacRequest, computeSignature, bodySha256, stringToSign } from './auth';

export interface Emulator {
	/** `http://127.0.0.1:<port>/` (trailing slash). */
	readonly url: string;
	readonly port: number;
	readonly connectionString: string;
	readonly accessKey: string;
	/** Immutable resource id: `aud` of the callback JWTs. */
	readonly resourceId: string;
	/** `iss` of the callback JWTs (url without the trailing slash). */
	readonly issuer: string;
	readonly openIdConfigurationUrl: string;
	readonly jwksUrl: string;
	readonly resource: ResourceInfo;
	/** Values for the Event Grid (ARM) credential: the emulator is both the authority and ARM. */
	readonly arm: ArmCredentials;
	readonly eventGrid: EventGridStore;
	/** Internal context (advanced use: arm.ts, custom routes). */
	readonly context: EmulatorContext;
	state(): EmulatorState;
	setFaults(faults: FaultSettings): void;
	/** The callee presses keys ("12#", "*", or Tone names): feeds a pending recognize and continuous DTMF. */
	pressKeys(callConnectionId: string, tones: string | string[]): KeyPressResult;
	/** The callee speaks: completes a speech / speechOrDtmf / choices recognize. */
	saySpeech(callConnectionId: string, text: string): boolean;
	/** The callee stays silent: RecognizeFailed (8510). */
	recognizeTimeout(callConnectionId: string): boolean;
	/** The remote party hangs up: CallDisconnected. */
	remoteHangUp(callConnectionId: string): void;
	/**
	 * The remote party follows a script, one turn per recognize: by `number` (every later call to or from it) or by
	 * `callConnectionId` (that call only). See emulator/README.md, "Scripted caller".
	 */
	scriptCaller(input: ScriptCallerInput): void;
	/** Forgets every number's script (calls keep the script they started with). */
	clearCallers(): void;
	/** What the remote party of a call (live or ended) heard: plays and recognize prompts, in order. */
	heard(callConnectionId: string): Heard[];
	/** Sequence number of the latest event so far: pass it as `afterSeq` to wait only for newer events. */
	eventSeq(): number;
	/** Resolves with the first delivered (or failed/skipped) matching callback event, past or future. */
	waitForEvent(type: string, filter?: WaitFilter): Promise<CloudEvent>;
	simulateIncomingCall(input: IncomingCallInput): Promise<IncomingCallResult>;
	/** Recording files kept after their recording stopped, with the RecordingFileStatusUpdated event of each. */
	recordingFiles(): RecordingFileInfo[];
	reset(): void;
	close(): Promise<void>;
}

export interface EmulatorState {
	url: string;
	resourceId: string;
	options: Omit<ResolvedOptions, 'declinedTargets'> & { declinedTargets: string[] };
	faults: FaultSettings;
	faultsInjected: Record<string, number>;
	calls: Array<Record<string, unknown>>;
	endedCalls: Array<Record<string, unknown>>;
	recordings: unknown[];
	incomingCalls: unknown[];
	eventGridSubscriptions: unknown[];
	events: unknown[];
	requests: { total: number; byRoute: Record<string, Record<string, number>>; recent: unknown[] };
	callsCreated: number;
	/** Scripts registered by number. */
	callers: Array<{ number: string; turns: unknown[]; whenDone: string }>;
}

function resolveOptions(o: EmulatorOptions): ResolvedOptions {
	return {
		port: o.port ?? 0,
		host: o.host ?? '127.0.0.1',
		resourceId: o.resourceId ?? randomUUID(),
		subscriptionId: o.subscriptionId ?? '00000000-0000-0000-0000-000000000000',
		resourceGroup: o.resourceGroup ?? 'emulator-rg',
		resourceName: o.resourceName ?? 'acs-emulator',
		tenantId: o.tenantId ?? randomUUID(),
		clientId: o.clientId ?? randomUUID(),
		clientSecret: o.clientSecret ?? randomBytes(24).toString('base64url'),
		connectDelayMs: o.connectDelayMs ?? 10,
		playDurationMs: o.playDurationMs ?? 20,
		addParticipantDelayMs: o.addParticipantDelayMs ?? 20,
		recognizeTones: o.recognizeTones,
		recognizeDelayMs: o.recognizeDelayMs ?? 10,
		participantsPageSize: Math.max(1, o.participantsPageSize ?? 100),
		deliverEvents: o.deliverEvents ?? true,
		deliverExternal: o.deliverExternal ?? false,
		deliveryRetries: o.deliveryRetries ?? 3,
		deliveryBackoffMs: o.deliveryBackoffMs ?? 25,
		deliveryTimeoutMs: o.deliveryTimeoutMs ?? 5000,
		eventHistoryLimit: o.eventHistoryLimit ?? 5000,
		maxBodyBytes: o.maxBodyBytes ?? 1024 * 1024,
		clockSkewMs: o.clockSkewMs ?? 15 * 60 * 1000,
		incomingCallContextTtlMs: o.incomingCallContextTtlMs ?? 5 * 60 * 1000,
		requireCognitiveServicesForTts: o.requireCognitiveServicesForTts ?? true,
		repeatabilityWindowMs: o.repeatabilityWindowMs ?? 5 * 60 * 1000,
		declinedTargets: new Set(
			(o.declinedTargets ?? []).map((t) => (t.startsWith('+') ? `4:${t}` : t)),
		),
	};
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
	const opts = resolveOptions(options);
	for (const c of options.callers ?? []) checkScriptInput(c);
	const accessKey = options.accessKey ?? randomBytes(32).toString('base64');
	const key = Buffer.from(accessKey, 'base64');
	if (key.length === 0) throw new Error('accessKey must be a non-empty base64 string.');

	const server: Server = createServer({ keepAliveTimeout: 65_000 });
	server.maxHeadersCount = 200;
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(opts.port, opts.host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const port = (server.address() as AddressInfo).port;
	const hostForUrl = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
	const url = `http://${hostForUrl}:${port}/`;
	const issuer = url.slice(0, -1);
	const jwt = await JwtIssuer.create(issuer, opts.resourceId);

	const store = new Store();
	const faults = new Faults(options.faults);
	const events = new EventBus(jwt, {
		enabled: opts.deliverEvents,
		deliverExternal: opts.deliverExternal,
		retries: opts.deliveryRetries,
		backoffMs: opts.deliveryBackoffMs,
		timeoutMs: opts.deliveryTimeoutMs,
		historyLimit: opts.eventHistoryLimit,
	});
	const looseTimers = new Set<NodeJS.Timeout>();
	const resource: ResourceInfo = {
		resourceId: opts.resourceId,
		subscriptionId: opts.subscriptionId,
		resourceGroup: opts.resourceGroup,
		name: opts.resourceName,
		armId: `/subscriptions/${opts.subscriptionId}/resourceGroups/${opts.resourceGroup}/providers/Microsoft.Communication/communicationServices/${opts.resourceName}`,
	};
	let ctx!: EmulatorContext;
	const eventGrid = new EventGridStore(() => ctx);
	ctx = {
		options: opts,
		url,
		accessKey,
		key,
		resource,
		store,
		events,
		eventGrid,
		faults,
		jwt,
		remote: {
			hangUp: (call, reason) => disconnectCall(ctx, call, reason),
			pressKeys: (id, keys) => pressKeys(ctx, id, keys),
			saySpeech: (id, text, confidence) => saySpeech(ctx, id, text, confidence),
			recognizeTimeout: (id) => recognizeTimeout(ctx, id),
			speechNotRecognized: (id) => speechNotRecognized(ctx, id),
		},
		schedule(call: CallRecord | undefined, delayMs: number, fn: () => void): void {
			const timers = call ? call.timers : looseTimers;
			const timer = setTimeout(() => {
				timers.delete(timer);
				try {
					fn();
				} catch (error) {
					console.error('[acs-emulator] scheduled task failed', error);
				}
			}, delayMs);
			timers.add(timer);
		},
		sendJson,
		sendError: (res, error: AcsError) => sendError(res, error),
	};

	const snapshot = (): EmulatorState => ({
		url,
		resourceId: opts.resourceId,
		options: { ...opts, declinedTargets: [...opts.declinedTargets] },
		faults: faults.get(),
		faultsInjected: { ...faults.injected },
		calls: [...store.calls.values()].map(callSnapshot),
		endedCalls: store.ended.map(callSnapshot),
		recordings: [...store.recordings.values()],
		incomingCalls: [...store.incoming.values()],
		eventGridSubscriptions: eventGrid.list(),
		events: events.records.map((r) => ({ ...r })),
		requests: {
			total: store.requestsTotal,
			byRoute: structuredClone(store.counters),
			recent: [...store.requestLog],
		},
		callsCreated: store.callsCreated,
		callers: [...store.callers].map(([number, script]) => ({ number, ...script })),
	});
	const reset = (): void => {
		for (const t of looseTimers) clearTimeout(t);
		looseTimers.clear();
		store.reset();
		events.reset();
		eventGrid.clear();
		clearStorage(ctx);
		faults.set(options.faults ?? {});
		for (const c of options.callers ?? []) scriptCaller(ctx, c);
	};
	for (const c of options.callers ?? []) scriptCaller(ctx, c);
	server.on('request', createRequestListener(ctx, { snapshot, reset }));

	return {
		url,
		port,
		connectionString: `endpoint=${url};accesskey=${accessKey}`,
		accessKey,
		resourceId: opts.resourceId,
		issuer,
		openIdConfigurationUrl: `${url}calling/.well-known/acsopenidconfiguration`,
		jwksUrl: `${url}calling/keys`,
		resource,
		arm: {
			tenantId: opts.tenantId,
			clientId: opts.clientId,
			clientSecret: opts.clientSecret,
			subscriptionId: opts.subscriptionId,
			resourceGroup: opts.resourceGroup,
			resourceName: opts.resourceName,
			authorityUrl: url,
			managementUrl: url,
		},
		eventGrid,
		context: ctx,
		state: snapshot,
		setFaults: (f) => faults.set(f),
		pressKeys: (id, tones) => pressKeys(ctx, id, tones),
		saySpeech: (id, text) => saySpeech(ctx, id, text),
		recognizeTimeout: (id) => recognizeTimeout(ctx, id),
		remoteHangUp: (id) => disconnectCall(ctx, store.getCall(id), 'remote party hung up'),
		scriptCaller: (input) => scriptCaller(ctx, input),
		clearCallers: () => store.callers.clear(),
		heard: (id) => heardOf(ctx, id),
		eventSeq: () => events.lastSeq,
		waitForEvent: (type, filter) => events.waitForEvent(type, filter),
		simulateIncomingCall: (input) => eventGrid.simulateIncomingCall(input),
		recordingFiles: () => listStorage(ctx),
		reset,
		async close(): Promise<void> {
			reset();
			events.close();
			eventGrid.close();
			await new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
		},
	};
}
