/**
 * The event types the nodes know: Call Automation callback events and the resource's Event Grid
 * events, their families (the trigger's outputs), and the one spelling of each type.
 */
export const PREFIX = 'Microsoft.Communication.';
export const VALIDATION_EVENT = 'Microsoft.EventGrid.SubscriptionValidationEvent';
export const SUBSCRIPTION_DELETED_EVENT = 'Microsoft.EventGrid.SubscriptionDeletedEvent';
export const INCOMING_CALL = `${PREFIX}IncomingCall`;
export const RECORDING_FILE_STATUS_UPDATED = `${PREFIX}RecordingFileStatusUpdated`;

export type Family =
	| 'call'
	| 'media'
	| 'recognize'
	| 'participants'
	| 'recording'
	| 'incomingCall'
	| 'other';

/** Output order when the node splits by family; display names short enough for the canvas's output labels. */
export const FAMILIES: Array<{ family: Family; displayName: string; contents: string }> = [
	{ family: 'call', displayName: 'Call', contents: 'connected, disconnected, failed, transfers' },
	{ family: 'media', displayName: 'Media', contents: 'play, hold, streaming, transcription' },
	{ family: 'recognize', displayName: 'Keys', contents: 'collected input and DTMF' },
	{
		family: 'participants',
		displayName: 'People',
		contents: 'participants added, removed, updated',
	},
	{ family: 'recording', displayName: 'Recording', contents: 'recording state and files' },
	{ family: 'incomingCall', displayName: 'Incoming', contents: 'incoming calls' },
	{ family: 'other', displayName: 'Other', contents: 'anything else' },
];
export const FAMILY_INDEX: Record<Family, number> = Object.fromEntries(
	FAMILIES.map((f, i) => [f.family, i]),
) as Record<Family, number>;

/** Mid-call events ACS posts to a callback URL (they carry the ACS JWT). Short names → family. */
export const CALLBACK_EVENTS: Record<string, Family> = {
	CallConnected: 'call',
	CallDisconnected: 'call',
	CreateCallFailed: 'call',
	AnswerFailed: 'call',
	ConnectFailed: 'call',
	CallTransferAccepted: 'call',
	CallTransferFailed: 'call',
	ParticipantsUpdated: 'participants',
	AddParticipantSucceeded: 'participants',
	AddParticipantFailed: 'participants',
	RemoveParticipantSucceeded: 'participants',
	RemoveParticipantFailed: 'participants',
	CancelAddParticipantSucceeded: 'participants',
	CancelAddParticipantFailed: 'participants',
	MoveParticipantSucceeded: 'participants',
	MoveParticipantFailed: 'participants',
	PlayStarted: 'media',
	PlayCompleted: 'media',
	PlayFailed: 'media',
	PlayCanceled: 'media',
	HoldFailed: 'media',
	MediaStreamingStarted: 'media',
	MediaStreamingStopped: 'media',
	MediaStreamingFailed: 'media',
	TranscriptionStarted: 'media',
	TranscriptionStopped: 'media',
	TranscriptionUpdated: 'media',
	TranscriptionFailed: 'media',
	RecognizeCompleted: 'recognize',
	RecognizeFailed: 'recognize',
	RecognizeCanceled: 'recognize',
	ContinuousDtmfRecognitionToneReceived: 'recognize',
	ContinuousDtmfRecognitionToneFailed: 'recognize',
	ContinuousDtmfRecognitionStopped: 'recognize',
	SendDtmfTonesCompleted: 'recognize',
	SendDtmfTonesFailed: 'recognize',
	RecordingStateChanged: 'recording',
	StartRecordingFailed: 'recording',
};

/** Event Grid system events of the Communication Services resource this node handles (no ACS JWT). */
export const EVENT_GRID_EVENTS: Record<string, Family> = {
	IncomingCall: 'incomingCall',
	RecordingFileStatusUpdated: 'recording',
};

/** Full type names that may be registered with Event Grid. */
export const EVENT_GRID_TYPES = Object.keys(EVENT_GRID_EVENTS).map((n) => PREFIX + n);

/** Every known type name by its lower-case form: senders' letter case never changes what a type means. */
const CANONICAL = new Map<string, string>(
	[...Object.keys(CALLBACK_EVENTS), ...Object.keys(EVENT_GRID_EVENTS)]
		.map((name) => PREFIX + name)
		.concat(VALIDATION_EVENT, SUBSCRIPTION_DELETED_EVENT)
		.map((type) => [type.toLowerCase(), type]),
);

/**
 * The one spelling of an event type used everywhere (filters, families, authentication): known types
 * in their documented case whatever case or surrounding spaces they arrive with; others as sent.
 */
export function canonicalType(type: string): string {
	const trimmed = type.trim();
	return CANONICAL.get(trimmed.toLowerCase()) ?? trimmed;
}

/** A table lookup that never answers with inherited members ("constructor", "__proto__"). */
function own(table: Record<string, Family>, name: string): Family | undefined {
	return Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
}

export function shortName(type: string): string {
	return type.startsWith(PREFIX) ? type.slice(PREFIX.length) : type.replace(/^.*\./, '');
}

export function familyOf(raw: string): Family {
	const type = canonicalType(raw);
	const name = type.startsWith(PREFIX) ? type.slice(PREFIX.length) : undefined;
	if (name === undefined) return 'other';
	return own(CALLBACK_EVENTS, name) ?? own(EVENT_GRID_EVENTS, name) ?? 'other';
}

export function isCallbackType(raw: string): boolean {
	const type = canonicalType(raw);
	return type.startsWith(PREFIX) && own(CALLBACK_EVENTS, type.slice(PREFIX.length)) !== undefined;
}

/** Types only Event Grid delivers (they never carry an ACS token). */
export function isEventGridType(raw: string): boolean {
	const type = canonicalType(raw);
	if (type.toLowerCase().startsWith('microsoft.eventgrid.')) return true;
	return type.startsWith(PREFIX) && own(EVENT_GRID_EVENTS, type.slice(PREFIX.length)) !== undefined;
}
