/** Recording > Start: starts recording a connected call (POST /calling/recordings). */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { additionalFieldsCollection, callConnectionIdField } from '../../descriptions/common';
import { callConnectionIdOf } from '../../helpers/callConnection';
import { showFor } from '../../helpers/displayOptions';
import { channelFields, channelOptions } from './startOptions';
import { compact, fail, optionalUrl, requiredString } from '../../helpers/params';
import { acsRequest } from '../../transport';

const fields: INodeProperties[] = [
	{
		displayName: 'Call to Record',
		name: 'callLocatorType',
		type: 'options',
		options: [
			{
				name: 'By Call Connection ID',
				value: 'callConnectionId',
				description: 'A call your application placed or answered (callConnectionId)',
			},
			{
				name: 'By Server Call ID',
				value: 'serverCallId',
				description:
					'Any call on your resource, by its serverCallId (from Create, Answer or any trigger event)',
			},
			{
				name: 'By Group Call ID',
				value: 'groupCallId',
				description: 'A group call, by its group call ID (a GUID)',
			},
			{ name: 'By Room ID', value: 'roomId', description: 'An ACS room, by its room ID' },
		],
		default: 'callConnectionId',
		description: 'How to identify the call to record',
	},
	{ ...callConnectionIdField, displayOptions: { show: { callLocatorType: ['callConnectionId'] } } },
	{
		displayName: 'Server Call ID',
		name: 'serverCallId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. {{ $json.serverCallId }}',
		description:
			'The serverCallId of the call, as returned by Create or Answer or carried by every trigger event',
		displayOptions: { show: { callLocatorType: ['serverCallId'] } },
	},
	{
		displayName: 'Group Call or Room ID',
		name: 'locatorId',
		type: 'string',
		required: true,
		default: '',
		description: 'The group call ID or room ID of the call to record',
		displayOptions: { show: { callLocatorType: ['groupCallId', 'roomId'] } },
	},
	{
		displayName: 'Recording State Callback URL',
		name: 'recordingStateCallbackUrl',
		type: 'string',
		default: '',
		placeholder: 'https://n8n.example.com/webhook/…/webhook',
		description:
			'Where ACS sends RecordingStateChanged events (started, paused, resumed, stopped). Paste the Production URL of an Azure Call Automation Trigger node. Left empty, no recording events are sent.',
	},
	{
		displayName: 'Content',
		name: 'content',
		type: 'options',
		options: [
			{ name: 'Audio', value: 'audio' },
			{ name: 'Audio and Video', value: 'audioVideo' },
		],
		default: 'audio',
		description: 'What to record. Audio and video needs Format MP4 and Channel Mixed.',
	},
	{
		displayName: 'Channel',
		name: 'channel',
		type: 'options',
		options: [
			{ name: 'Mixed', value: 'mixed', description: 'Everyone in one track' },
			{ name: 'Unmixed', value: 'unmixed', description: 'One track per participant (WAV only)' },
		],
		default: 'mixed',
		description: 'Whether all voices share one track or each participant gets their own',
	},
	{
		displayName: 'Format',
		name: 'format',
		type: 'options',
		options: [
			{ name: 'MP3', value: 'mp3' },
			{ name: 'MP4', value: 'mp4' },
			{ name: 'WAV', value: 'wav' },
		],
		default: 'wav',
		description: 'File format of the recording: WAV or MP3 for audio, MP4 for audio and video',
	},
	additionalFieldsCollection([
		{
			displayName: 'External Storage Container URL',
			name: 'externalStorageContainerUrl',
			type: 'string',
			default: '',
			placeholder: 'https://<account>.blob.core.windows.net/<container>',
			description:
				'Save the recording in your own Azure Blob Storage container instead of ACS storage. The ACS resource needs write access to it.',
		},
		{
			displayName: 'Pause on Start',
			name: 'pauseOnStart',
			type: 'boolean',
			default: false,
			description: 'Whether to start paused, so nothing is recorded until Recording > Resume',
		},
		...channelFields,
	]),
];

export const description = showFor({ resource: ['recording'], operation: ['start'] }, fields);

const FORMAT_LABEL: Record<string, string> = { wav: 'WAV', mp3: 'MP3', mp4: 'MP4' };

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const locatorType = this.getNodeParameter(
		'callLocatorType',
		itemIndex,
		'callConnectionId',
	) as string;
	const callConnectionId =
		locatorType === 'callConnectionId' ? callConnectionIdOf(this, itemIndex) : undefined;
	const serverCallId =
		locatorType === 'serverCallId'
			? requiredString(this, 'serverCallId', itemIndex, 'Server Call ID')
			: undefined;
	const locatorId =
		locatorType === 'groupCallId' || locatorType === 'roomId'
			? requiredString(this, 'locatorId', itemIndex, 'Group Call or Room ID')
			: undefined;
	// The locator as the SDK writes it: the id field first, then the kind.
	const callLocator =
		serverCallId !== undefined
			? { serverCallId, kind: 'serverCallLocator' }
			: locatorType === 'groupCallId'
				? { groupCallId: locatorId, kind: 'groupCallLocator' }
				: locatorType === 'roomId'
					? { roomId: locatorId, kind: 'roomCallLocator' }
					: undefined;
	const recordingStateCallbackUri = optionalUrl(
		this,
		this.getNodeParameter('recordingStateCallbackUrl', itemIndex, ''),
		itemIndex,
		'Recording State Callback URL',
	);
	const content = this.getNodeParameter('content', itemIndex, 'audio') as string;
	const channel = this.getNodeParameter('channel', itemIndex, 'mixed') as string;
	const format = this.getNodeParameter('format', itemIndex, 'wav') as string;
	checkCombination(this, itemIndex, content, channel, format);
	const extra = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const containerUrl = optionalUrl(
		this,
		extra.externalStorageContainerUrl,
		itemIndex,
		'External Storage Container URL',
	);
	const body = compact({
		callLocator,
		callConnectionId,
		recordingStateCallbackUri,
		recordingContentType: content,
		recordingChannelType: channel,
		recordingFormatType: format,
		pauseOnStart: typeof extra.pauseOnStart === 'boolean' ? extra.pauseOnStart : undefined,
		externalStorage:
			containerUrl === undefined
				? undefined
				: {
						recordingStorageKind: 'azureBlobStorage',
						recordingDestinationContainerUrl: containerUrl,
					},
		...channelOptions(this, extra, itemIndex),
	} as IDataObject);
	const response = (await acsRequest.call(this, {
		method: 'POST',
		path: '/calling/recordings',
		body,
		repeatable: true,
		itemIndex,
	})) as IDataObject;
	return compact({
		recordingId: response.recordingId ?? null,
		recordingState: response.recordingState ?? null,
		recordingKind: response.recordingKind ?? null,
		callConnectionId,
		serverCallId,
		content,
		channel,
		format,
	} as IDataObject);
}

/** The combinations ACS accepts: audio+video only as mixed MP4; unmixed only as WAV. */
function checkCombination(
	ctx: IExecuteFunctions,
	itemIndex: number,
	content: string,
	channel: string,
	format: string,
): void {
	if (!['audio', 'audioVideo'].includes(content))
		fail(
			ctx,
			itemIndex,
			`Content "${content}" is not supported`,
			'Choose Audio or Audio and Video.',
		);
	if (!['mixed', 'unmixed'].includes(channel))
		fail(ctx, itemIndex, `Channel "${channel}" is not supported`, 'Choose Mixed or Unmixed.');
	if (!(format in FORMAT_LABEL))
		fail(ctx, itemIndex, `Format "${format}" is not supported`, 'Choose WAV, MP3 or MP4.');
	if (content === 'audioVideo') {
		if (format !== 'mp4')
			fail(
				ctx,
				itemIndex,
				`Format ${FORMAT_LABEL[format]} cannot hold video`,
				'With Content "Audio and Video", choose Format MP4.',
			);
		if (channel !== 'mixed')
			fail(
				ctx,
				itemIndex,
				'Channel Unmixed is only for audio',
				'With Content "Audio and Video", choose Channel Mixed.',
			);
	} else if (format === 'mp4') {
		fail(
			ctx,
			itemIndex,
			'Format MP4 is only for audio and video',
			'For audio, choose Format WAV or MP3 (or set Content to "Audio and Video").',
		);
	}
	if (channel === 'unmixed' && format !== 'wav') {
		fail(
			ctx,
			itemIndex,
			`Channel Unmixed needs Format WAV (got ${FORMAT_LABEL[format]})`,
			'Choose Format WAV, or Channel Mixed for MP3.',
		);
	}
}
