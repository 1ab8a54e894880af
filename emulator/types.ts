/** Shapes shared by the emulator's modules (wire models follow the ACS REST API, camelCase). */

/** The API's DtmfTone values, in keypad order for the digits. */
export const TONES = [
	'zero',
	'one',
	'two',
	'three',
	'four',
	'five',
	'six',
	'seven',
	'eight',
	'nine',
	'a',
	'b',
	'c',
	'd',
	'pound',
	'asterisk',
] as const;
export type Tone = (typeof TONES)[number];

export interface PhoneNumberModel {
	value: string;
	isAnonymous?: boolean;
	assertedId?: string;
}

export interface IdentifierModel {
	kind: string;
	rawId: string;
	communicationUser?: { id: string };
	phoneNumber?: PhoneNumberModel;
	microsoftTeamsUser?: { userId: string; isAnonymous: boolean; cloud: string };
	microsoftTeamsApp?: { appId: string; cloud: string };
	teamsExtensionUser?: { userId: string; tenantId: string; resourceId: string; cloud: string };
}

export interface FaultSettings {
	/** Added delay before every data-plane request is handled. */
	latencyMs?: number;
	/** Probability (0..1) of 429 with Retry-After / retry-after-ms. */
	throttleRate?: number;
	/** Probability of 503 with Retry-After / retry-after-ms. */
	unavailableRate?: number;
	/** Probability of destroying the socket before handling (nothing happened). */
	dropRate?: number;
	/** Probability of handling the request, then destroying the socket without a response. */
	dropAfterCommitRate?: number;
	/** Retry-After header value in seconds (default 1). */
	retryAfterSeconds?: number;
	/** retry-after-ms header value (default 20); clients that know it (the Azure SDK) prefer it. */
	retryAfterMs?: number;
	/** Seed of the PRNG that draws the rates, for reproducible runs. */
	seed?: number;
	/** Faults for the next data-plane requests, one each in arrival order, before the rates apply ("none" = let one through). */
	sequence?: Array<'none' | 'throttle' | 'unavailable' | 'drop' | 'dropAfterCommit'>;
	/** Load-dependent throttling: 429 (with Retry-After) while more than this many data-plane requests are being handled. */
	maxConcurrent?: number;
	/**
	 * Item-specific failures: this share (0..1) of requests, chosen by their body (a stable hash of the target
	 * number, or of the whole body when it names none, salted with `seed`), fail on every attempt.
	 */
	failingShare?: number;
	/** Numbers (E.164, or raw ids such as `4:+1…`, `8:acs:…`) whose requests always fail. */
	failingTargets?: string[];
	/** What always-failing requests are answered: 503 (default, with Retry-After) or 500 (nothing says whether it was done). */
	failingStatus?: 500 | 503;
}

export interface EmulatorOptions {
	port?: number;
	host?: string;
	/** Base64 access key; random when absent. */
	accessKey?: string;
	/** The resource's immutable id: `aud` of the callback JWTs. Random GUID when absent. */
	resourceId?: string;
	/** ARM coordinates of the emulated resource (Event Grid topic, ARM routes). */
	subscriptionId?: string;
	resourceGroup?: string;
	resourceName?: string;
	/** Microsoft Entra app the ARM routes accept (token endpoint `/{tenantId}/oauth2/v2.0/token`); random when absent. */
	tenantId?: string;
	clientId?: string;
	clientSecret?: string;
	/** Created/answered call → connected (default 10). */
	connectDelayMs?: number;
	/** Length of a non-looping play (default 20). */
	playDurationMs?: number;
	/** How long an add-participant invitation rings before the callee joins (default 20). */
	addParticipantDelayMs?: number;
	/** Auto-answer every recognize with these keys (e.g. "1#") after recognizeDelayMs; default: wait for pressKeys. */
	recognizeTones?: string;
	recognizeDelayMs?: number;
	/** List-participants page size (default 100). */
	participantsPageSize?: number;
	/** Deliver callback events at all (default true; a benchmark may switch them off). */
	deliverEvents?: boolean;
	/** Also deliver to non-loopback callback hosts (default false: recorded as skipped, this box is offline). */
	deliverExternal?: boolean;
	/** Retries after a failed delivery (default 3) and the first back-off (default 25 ms, doubled per retry). */
	deliveryRetries?: number;
	deliveryBackoffMs?: number;
	deliveryTimeoutMs?: number;
	/** Keep at most this many delivered events in state (default 5000). */
	eventHistoryLimit?: number;
	/** Request bodies above this answer 413 (default 1 MiB). */
	maxBodyBytes?: number;
	/** Accepted x-ms-date skew (default 15 min). */
	clockSkewMs?: number;
	/** Lifetime of an incomingCallContext (default 5 min). */
	incomingCallContextTtlMs?: number;
	/** Targets (E.164 numbers or raw ids) that decline: CreateCallFailed / AddParticipantFailed (603) instead of joining. */
	declinedTargets?: string[];
	/** text/ssml play sources need callIntelligenceOptions.cognitiveServicesEndpoint on the call, like the service (default true). */
	requireCognitiveServicesForTts?: boolean;
	/** How long a Repeatability-Request-ID is tracked after its First-Sent (default 5 min, as ACS documents). */
	repeatabilityWindowMs?: number;
	faults?: FaultSettings;
	/** Scripted callers by number (`emu.scriptCaller({ number, turns })`), restored by reset(). */
	callers?: ScriptCallerInput[];
}

export type CallConnectionState =
	| 'unknown'
	| 'connecting'
	| 'connected'
	| 'transferring'
	| 'transferAccepted'
	| 'disconnecting'
	| 'disconnected';

export interface Participant {
	identifier: IdentifierModel;
	isMuted: boolean;
	isOnHold: boolean;
}

export interface Invitation {
	invitationId: string;
	participant: IdentifierModel;
	operationContext?: string;
	callbackUri: string;
	timer?: NodeJS.Timeout;
}

export interface PlayOperation {
	id: string;
	kind: 'play';
	operationContext?: string;
	callbackUri: string;
	sources: unknown[];
	playTo: IdentifierModel[];
	loop: boolean;
	started: boolean;
	timer?: NodeJS.Timeout;
}

export interface RecognizeOperation {
	id: string;
	kind: 'recognize';
	inputType: 'dtmf' | 'speech' | 'speechOrDtmf' | 'choices';
	operationContext?: string;
	callbackUri: string;
	target: IdentifierModel;
	maxTonesToCollect: number;
	stopTones: Tone[];
	choices: Array<{ label: string; phrases: string[]; tone?: Tone }>;
	collected: Tone[];
	/** Wire PlaySources of playPrompt / playPrompts, in play order. */
	prompts: unknown[];
	interruptPrompt: boolean;
	/** Index in the call's `heard` of this recognize's first prompt. */
	heardFrom: number;
	/** Answered by the call's scripted caller. */
	scripted?: boolean;
	timer?: NodeJS.Timeout;
}

export interface ContinuousDtmf {
	target: IdentifierModel;
	operationContext?: string;
	callbackUri: string;
}

export interface CallRecord {
	callConnectionId: string;
	serverCallId: string;
	correlationId: string;
	direction: 'outbound' | 'inbound' | 'connect';
	state: CallConnectionState;
	callbackUri: string;
	targets: IdentifierModel[];
	source?: { id: string };
	sourceCallerIdNumber?: PhoneNumberModel;
	sourceDisplayName?: string;
	answeredBy?: { id: string };
	answeredFor?: PhoneNumberModel;
	operationContext?: string;
	cognitiveServicesEndpoint?: string;
	createdAt: string;
	connectedAt?: string;
	endedAt?: string;
	endReason?: string;
	participants: Map<string, Participant>;
	sequenceNumber: number;
	invitations: Map<string, Invitation>;
	plays: PlayOperation[];
	recognize?: RecognizeOperation;
	continuousDtmf: Map<string, ContinuousDtmf>;
	dtmfSequenceId: number;
	recordingIds: Set<string>;
	timers: Set<NodeJS.Timeout>;
	/** What the remote party heard: plays and recognize prompts. */
	heard: Heard[];
	/** The remote party's script, when it follows one. */
	caller?: CallerState;
}

export interface RecordingRecord {
	recordingId: string;
	callConnectionId: string;
	serverCallId: string;
	state: 'active' | 'inactive';
	recordingKind: 'azureCommunicationServices';
	stateCallbackUri?: string;
	contentType: string;
	channelType: string;
	formatType: string;
	startDateTime: string;
	stopped: boolean;
}

export interface CloudEvent {
	id: string;
	source: string;
	type: string;
	specversion: '1.0';
	time: string;
	datacontenttype: 'application/json';
	subject: string;
	data: Record<string, unknown>;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'skipped';

export interface EventRecord {
	seq: number;
	channel: 'callback' | 'eventGrid';
	type: string;
	callConnectionId?: string;
	url: string;
	status: DeliveryStatus;
	attempts: number;
	responseStatus?: number;
	error?: string;
	event: unknown;
	emittedAt: string;
	settledAt?: string;
}

export interface WaitFilter {
	callConnectionId?: string;
	operationContext?: string;
	/** Only events emitted after this sequence number (see `state().events[].seq`). */
	afterSeq?: number;
	match?: (event: CloudEvent) => boolean;
	/** Safety net so a broken test fails with a useful message instead of hanging (default 10 s). */
	timeoutMs?: number;
}

export type ResolvedOptions = Required<
	Omit<EmulatorOptions, 'recognizeTones' | 'faults' | 'accessKey' | 'declinedTargets' | 'callers'>
> & {
	recognizeTones?: string;
	/** Raw ids ("4:+1…", "8:acs:…") that decline calls and invitations. */
	declinedTargets: Set<string>;
};

export interface ResourceInfo {
	/** Immutable resource id (GUID): `aud` of callback JWTs. */
	resourceId: string;
	subscriptionId: string;
	resourceGroup: string;
	name: string;
	/** ARM id of the Communication Services resource (Event Grid `topic`). */
	armId: string;
}

/** What the Event Grid credential needs to reach this emulator's token and ARM routes. */
export interface ArmCredentials {
	tenantId: string;
	clientId: string;
	clientSecret: string;
	subscriptionId: string;
	resourceGroup: string;
	resourceName: string;
	authorityUrl: string;
	managementUrl: string;
}

// ---- the scripted caller (caller.ts): the remote party of a call following a script

export type CallerTurn =
	| { say: string; confidence?: number; duringPrompt?: boolean; thenHangUp?: boolean }
	| { keys: string }
	| { silence: true }
	| { unrecognized: true }
	| { hangUp: 'whileListening' | 'duringPrompt' };

export type WhenDone = 'silence' | 'hangUp';

export interface CallerScript {
	turns: CallerTurn[];
	/** What the caller does once the turns run out (default `silence`). */
	whenDone?: WhenDone;
}

export interface ScriptCallerInput extends CallerScript {
	/** Every later call to (Create Call) or from (incoming call) this E.164 number. */
	number?: string;
	/** This call only (replaces its script). */
	callConnectionId?: string;
}

export interface Heard {
	at: string;
	via: 'play' | 'recognize';
	kind: 'text' | 'ssml' | 'file';
	text?: string;
	ssml?: string;
	url?: string;
	voiceName?: string;
	operationContext?: string;
	/** Cut by the caller talking over it (recognize with `interruptPrompt: true` only). */
	interrupted: boolean;
}

export interface CallerState {
	turns: CallerTurn[];
	next: number;
	whenDone: WhenDone;
}

/** What the remote party can do on a call; the emulator wires these to calls.ts and media.ts. */
export interface RemoteParty {
	hangUp(call: CallRecord, reason: string): void;
	pressKeys(callConnectionId: string, keys: string): unknown;
	/** False when no recognize could take the speech. */
	saySpeech(callConnectionId: string, text: string, confidence?: number): boolean;
	recognizeTimeout(callConnectionId: string): unknown;
	speechNotRecognized(callConnectionId: string): unknown;
}
