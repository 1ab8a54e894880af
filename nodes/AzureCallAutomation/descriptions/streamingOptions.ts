/**
 * Media streaming and transcription settings of Create, Answer and Connect. Audio and text go to the
 * user's WebSocket server, never through n8n; the node only checks and passes on the URL.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { hasControlCharacter } from '../../../acs/pathSegment';
import { compact, fail, optionalString } from '../helpers/params';
import { runParameter } from '../helpers/runParameter';

const transportUrlField = (what: string): INodeProperties => ({
	displayName: 'WebSocket URL',
	name: 'transportUrl',
	type: 'string',
	default: '',
	placeholder: 'wss://media.example.com/acs',
	description: `Your WebSocket server that receives the ${what} (wss:// only). Left empty, no ${what} is set up.`,
});

export const mediaStreamingCollection: INodeProperties = {
	displayName: 'Media Streaming',
	name: 'mediaStreaming',
	type: 'collection',
	placeholder: 'Add Media Streaming Option',
	default: {},
	description:
		"Stream the call's audio to your WebSocket server (start it now or later with Media > Start Media Streaming)",
	options: [
		{
			displayName: 'Audio Channel',
			name: 'audioChannelType',
			type: 'options',
			options: [
				{ name: 'Mixed (One Stream)', value: 'mixed' },
				{ name: 'Unmixed (One Stream per Participant)', value: 'unmixed' },
			],
			default: 'mixed',
		},
		{
			displayName: 'Audio Format',
			name: 'audioFormat',
			type: 'options',
			options: [
				{ name: 'PCM 16 kHz Mono', value: 'pcm16KMono' },
				{ name: 'PCM 24 kHz Mono', value: 'pcm24KMono' },
			],
			default: 'pcm16KMono',
		},
		{
			displayName: 'Bidirectional',
			name: 'enableBidirectional',
			type: 'boolean',
			default: false,
			description: 'Whether your server may send audio back into the call',
		},
		{
			displayName: 'Include DTMF Tones',
			name: 'enableDtmfTones',
			type: 'boolean',
			default: false,
			description: 'Whether key presses are streamed too',
		},
		{
			displayName: 'Start Now',
			name: 'startMediaStreaming',
			type: 'boolean',
			default: false,
			description: 'Whether streaming starts when the call connects',
		},
		transportUrlField('audio stream'),
	],
};

export const transcriptionCollection: INodeProperties = {
	displayName: 'Transcription',
	name: 'transcription',
	type: 'collection',
	placeholder: 'Add Transcription Option',
	default: {},
	description:
		'Send a live transcript to your WebSocket server (start it now or later with Media > Start Transcription)',
	options: [
		{
			displayName: 'Custom Speech Model Endpoint ID',
			name: 'speechModelEndpointId',
			type: 'string',
			default: '',
		},
		{
			displayName: 'Intermediate Results',
			name: 'enableIntermediateResults',
			type: 'boolean',
			default: false,
			description: 'Whether partial phrases are sent while someone speaks',
		},
		{
			displayName: 'Locale',
			name: 'locale',
			type: 'string',
			default: 'en-US',
			description: 'Language spoken on the call, e.g. en-US',
		},
		{
			displayName: 'Start Now',
			name: 'startTranscription',
			type: 'boolean',
			default: false,
			description: 'Whether transcription starts when the call connects',
		},
		transportUrlField('transcript'),
	],
};

/** A wss:// URL: ACS connects out to it, and plain ws:// would carry call audio unencrypted. */
export function webSocketUrl(
	ctx: IExecuteFunctions,
	value: unknown,
	itemIndex: number,
	label: string,
): string {
	const text = optionalString(value) as string;
	if (hasControlCharacter(text))
		fail(ctx, itemIndex, `${label} must not contain control characters (such as line breaks)`);
	let url: URL | undefined;
	try {
		url = new URL(text);
	} catch {
		url = undefined;
	}
	if (
		url?.protocol !== 'wss:' ||
		url.hostname === '' ||
		url.username !== '' ||
		url.password !== ''
	) {
		fail(
			ctx,
			itemIndex,
			`${label} "${text}" is not a wss:// URL`,
			'Enter the secure WebSocket URL of your server, e.g. wss://media.example.com/acs.',
		);
	}
	return text;
}

function flag(value: unknown): boolean | undefined {
	return typeof value === 'boolean' ? value : undefined;
}

/** `mediaStreamingOptions` and `transcriptionOptions` of the request body; each undefined without a URL. */
export function streamingOptions(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	const media = runParameter(ctx, 'mediaStreaming', itemIndex, {}) as IDataObject;
	const text = runParameter(ctx, 'transcription', itemIndex, {}) as IDataObject;
	const mediaUrl = optionalString(media.transportUrl);
	const textUrl = optionalString(text.transportUrl);
	return compact({
		mediaStreamingOptions:
			mediaUrl === undefined
				? undefined
				: compact({
						transportType: 'websocket',
						transportUrl: webSocketUrl(ctx, mediaUrl, itemIndex, 'Media Streaming > WebSocket URL'),
						audioChannelType: optionalString(media.audioChannelType) ?? 'mixed',
						contentType: 'audio',
						startMediaStreaming: flag(media.startMediaStreaming),
						enableBidirectional: flag(media.enableBidirectional),
						audioFormat: optionalString(media.audioFormat),
						enableDtmfTones: flag(media.enableDtmfTones),
					} as IDataObject),
		transcriptionOptions:
			textUrl === undefined
				? undefined
				: compact({
						transportType: 'websocket',
						transportUrl: webSocketUrl(ctx, textUrl, itemIndex, 'Transcription > WebSocket URL'),
						locale: optionalString(text.locale) ?? 'en-US',
						speechModelEndpointId: optionalString(text.speechModelEndpointId),
						startTranscription: flag(text.startTranscription),
						enableIntermediateResults: flag(text.enableIntermediateResults),
					} as IDataObject),
	} as IDataObject);
}
