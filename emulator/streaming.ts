/**
 * Transcription and media streaming: the settings given on create / answer / connect, the control routes
 * (start / stop / update) and the status events. Audio and text would go to the WebSocket URL; the
 * emulator opens no WebSocket, it only reports what the service reports.
 */
import { badRequest, invalidField } from './errors';
import type { ApiRequest, ApiResult, EmulatorContext } from './context';
import { OK } from './events';
import type { CallRecord } from './types';
import { Fields } from './validation';

const MAX_CONTEXT = 5000;

interface Feature {
	transportUrl: string;
	/** Media streaming: the content type; transcription: the locale. */
	detail: string;
	running: boolean;
}

interface Streaming {
	media?: Feature;
	transcription?: Feature;
}

// Kept beside the call record rather than in it: only these routes read it.
const byCall = new WeakMap<CallRecord, Streaming>();

function wssUrl(f: Fields, name: string): string {
	const url = f.string(name, { required: true }) as string;
	let parsed: URL | undefined;
	try {
		parsed = new URL(url);
	} catch {
		parsed = undefined;
	}
	if (parsed?.protocol !== 'wss:')
		throw invalidField(`${f.path}.${name}`, `must be a wss:// URL, got "${url}"`);
	return url;
}

/** Reads and checks mediaStreamingOptions / transcriptionOptions of a create, answer or connect body. */
export function readStreamingOptions(b: Fields): {
	media?: Feature & { start: boolean };
	transcription?: Feature & { start: boolean };
} {
	const result: ReturnType<typeof readStreamingOptions> = {};
	const streaming = b.object('mediaStreamingOptions');
	if (streaming) {
		streaming.enumOf('transportType', ['websocket'], true);
		streaming.enumOf('audioChannelType', ['mixed', 'unmixed'], true);
		const transportUrl = wssUrl(streaming, 'transportUrl');
		const contentType = streaming.enumOf('contentType', ['audio']) ?? 'audio';
		const start = streaming.boolean('startMediaStreaming') ?? false;
		streaming.boolean('enableBidirectional');
		streaming.enumOf('audioFormat', ['pcm16KMono', 'pcm24KMono']);
		streaming.boolean('enableDtmfTones');
		result.media = { transportUrl, detail: contentType, running: false, start };
	}
	const transcription = b.object('transcriptionOptions');
	if (transcription) {
		transcription.enumOf('transportType', ['websocket'], true);
		const locale = transcription.requiredString('locale');
		const transportUrl = wssUrl(transcription, 'transportUrl');
		transcription.string('speechModelEndpointId');
		const start = transcription.boolean('startTranscription') ?? false;
		transcription.boolean('enableIntermediateResults');
		result.transcription = { transportUrl, detail: locale, running: false, start };
	}
	return result;
}

/** Remembers the call's settings; what starts with the call starts right after CallConnected. */
export function attachStreaming(
	ctx: EmulatorContext,
	call: CallRecord,
	options: ReturnType<typeof readStreamingOptions>,
): void {
	const state: Streaming = {};
	if (options.media)
		state.media = {
			transportUrl: options.media.transportUrl,
			detail: options.media.detail,
			running: false,
		};
	if (options.transcription) {
		state.transcription = {
			transportUrl: options.transcription.transportUrl,
			detail: options.transcription.detail,
			running: false,
		};
	}
	byCall.set(call, state);
	// Same delay as the connect timer, scheduled after it: fires just after CallConnected.
	ctx.schedule(call, ctx.options.connectDelayMs, () => {
		if (call.state !== 'connected') return;
		if (options.media?.start)
			change(ctx, call, 'media', true, call.operationContext, call.callbackUri);
		if (options.transcription?.start)
			change(ctx, call, 'transcription', true, call.operationContext, call.callbackUri);
	});
}

/** mediaStreamingSubscription / transcriptionSubscription of CallConnectionProperties. */
export function subscriptions(call: CallRecord): Record<string, unknown> {
	const state = byCall.get(call);
	const out: Record<string, unknown> = {};
	if (state?.media) {
		out.mediaStreamingSubscription = {
			id: `${call.callConnectionId}-media`,
			state: state.media.running ? 'active' : 'inactive',
			subscribedContentTypes: [state.media.detail],
		};
	}
	if (state?.transcription) {
		out.transcriptionSubscription = {
			id: `${call.callConnectionId}-transcription`,
			state: state.transcription.running ? 'active' : 'inactive',
			subscribedResultTypes: ['final'],
			locale: state.transcription.detail,
		};
	}
	return out;
}

function emit(
	ctx: EmulatorContext,
	call: CallRecord,
	kind: keyof Streaming,
	event: string,
	status: string,
	details: string,
	operationContext: string | undefined,
	url: string,
	result = OK,
): void {
	const update =
		kind === 'media'
			? {
					mediaStreamingUpdate: {
						contentType: byCall.get(call)?.media?.detail ?? 'audio',
						mediaStreamingStatus: status,
						mediaStreamingStatusDetails: details,
					},
				}
			: {
					transcriptionUpdate: { transcriptionStatus: status, transcriptionStatusDetails: details },
				};
	ctx.events.emitCallEvent(call, event, url, {
		operationContext,
		resultInformation: result,
		...update,
	});
}

function change(
	ctx: EmulatorContext,
	call: CallRecord,
	kind: keyof Streaming,
	running: boolean,
	operationContext: string | undefined,
	url: string,
): void {
	const feature = byCall.get(call)?.[kind] as Feature;
	feature.running = running;
	const prefix = kind === 'media' ? 'MediaStreaming' : 'Transcription';
	const status = `${kind === 'media' ? 'mediaStreaming' : 'transcription'}${running ? 'Started' : 'Stopped'}`;
	emit(
		ctx,
		call,
		kind,
		`${prefix}${running ? 'Started' : 'Stopped'}`,
		status,
		running ? 'subscriptionStarted' : 'subscriptionStopped',
		operationContext,
		url,
	);
}

type Action = 'start' | 'stop' | 'update';

function control(kind: keyof Streaming, action: Action) {
	return (ctx: EmulatorContext, r: ApiRequest): ApiResult => {
		const call = ctx.store.connectedCall(r.params[0]);
		const b = Fields.body(r.json ?? {});
		const locale =
			kind === 'transcription' && action !== 'stop'
				? b.string('locale', { required: action === 'update', nonEmpty: true })
				: undefined;
		if (kind === 'transcription' && action !== 'stop') b.string('speechModelEndpointId');
		const operationContext = b.string('operationContext', { maxLength: MAX_CONTEXT });
		const url = b.uri('operationCallbackUri') ?? call.callbackUri;
		const feature = byCall.get(call)?.[kind];
		const name = kind === 'media' ? 'Media streaming' : 'Transcription';
		if (!feature) {
			// As the service: accepted, then failed, because no WebSocket URL was given when the call was set up.
			const prefix = kind === 'media' ? 'MediaStreaming' : 'Transcription';
			ctx.schedule(call, 0, () =>
				emit(
					ctx,
					call,
					kind,
					`${prefix}Failed`,
					`${kind === 'media' ? 'mediaStreaming' : 'transcription'}Failed`,
					'streamUrlMissing',
					operationContext,
					url,
					{
						code: 400,
						subCode: 8581,
						message: `${name} options (a WebSocket transportUrl) were not set when the call was created, answered or connected.`,
					},
				),
			);
			return { status: 202 };
		}
		if (action === 'start' && feature.running)
			throw badRequest(`${name} is already running on this call.`, '8583');
		if (action !== 'start' && !feature.running)
			throw badRequest(`${name} is not running on this call.`, '8583');
		if (locale !== undefined) feature.detail = locale;
		ctx.schedule(call, 0, () => {
			if (action === 'update')
				emit(
					ctx,
					call,
					kind,
					'TranscriptionUpdated',
					'transcriptionUpdated',
					'subscriptionStarted',
					operationContext,
					url,
				);
			else change(ctx, call, kind, action === 'start', operationContext, url);
		});
		return { status: 202 };
	};
}

export const startTranscription = control('transcription', 'start');
export const stopTranscription = control('transcription', 'stop');
export const updateTranscription = control('transcription', 'update');
export const startMediaStreaming = control('media', 'start');
export const stopMediaStreaming = control('media', 'stop');
