/**
 * Recording > Download: the recording file as binary data, or its metadata as JSON, from the locations
 * in a RecordingFileStatusUpdated event (signed for the ACS host, sent to the storage host).
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { showFor } from '../../helpers/displayOptions';
import { optionalString, requiredString } from '../../helpers/params';
import { readAll, recordingFileRequest } from '../../transport/recordingFile';
import { itemWithBinary } from '../binaryItem';

const fields: INodeProperties[] = [
	{
		displayName: 'Download',
		name: 'download',
		type: 'options',
		options: [
			{
				name: 'Recording File',
				value: 'content',
				description: 'The audio (or video) file, as binary data',
			},
			{
				name: 'Metadata',
				value: 'metadata',
				description: 'The JSON document that describes the file (participants, times, format)',
			},
		],
		default: 'content',
	},
	{
		displayName: 'Content Location',
		name: 'contentLocation',
		type: 'string',
		required: true,
		default: '={{ $json.contentLocation }}',
		description:
			'The contentLocation of a RecordingFileStatusUpdated event (from the Azure Call Automation Trigger)',
		displayOptions: { show: { download: ['content'] } },
	},
	{
		displayName: 'Metadata Location',
		name: 'metadataLocation',
		type: 'string',
		required: true,
		default: '={{ $json.metadataLocation }}',
		description: 'The metadataLocation of a RecordingFileStatusUpdated event',
		displayOptions: { show: { download: ['metadata'] } },
	},
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		hint: 'The name of the output binary field to put the file in',
		displayOptions: { show: { download: ['content'] } },
	},
	{
		displayName: 'File Name',
		name: 'fileName',
		type: 'string',
		default: '',
		placeholder: 'e.g. call-recording.wav',
		description:
			'Name of the file; empty: recording- followed by the document ID and the format extension',
		displayOptions: { show: { download: ['content'] } },
	},
];

export const description = showFor({ resource: ['recording'], operation: ['download'] }, fields);

const EXTENSIONS: Record<string, string> = {
	'audio/wav': 'wav',
	'audio/x-wav': 'wav',
	'audio/mpeg': 'mp3',
	'video/mp4': 'mp4',
	'audio/mp4': 'mp4',
};

/** The document id in `…/objects/<id>/content/<kind>`, for a default file name. */
function documentIdOf(location: string): string {
	const segments = new URL(location).pathname.split('/');
	const at = segments.indexOf('objects');
	return at >= 0 && segments[at + 1] ? segments[at + 1] : 'file';
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	if (this.getNodeParameter('download', itemIndex, 'content') === 'metadata') {
		const metadataLocation = requiredString(
			this,
			'metadataLocation',
			itemIndex,
			'Metadata Location',
		);
		const response = await recordingFileRequest(this, {
			method: 'GET',
			url: metadataLocation,
			label: 'Metadata Location',
			itemIndex,
		});
		const text = (await readAll(response.body)).toString('utf8');
		try {
			return JSON.parse(text) as IDataObject;
		} catch {
			return { metadataLocation, metadata: text };
		}
	}
	const contentLocation = requiredString(this, 'contentLocation', itemIndex, 'Content Location');
	const binaryPropertyName = requiredString(
		this,
		'binaryPropertyName',
		itemIndex,
		'Put Output File in Field',
	);
	const response = await recordingFileRequest(this, {
		method: 'GET',
		url: contentLocation,
		label: 'Content Location',
		itemIndex,
	});
	const mimeType = String(response.headers['content-type'] ?? 'application/octet-stream')
		.split(';')[0]
		.trim();
	const fileName =
		optionalString(this.getNodeParameter('fileName', itemIndex, '')) ??
		`recording-${documentIdOf(contentLocation)}.${EXTENSIONS[mimeType] ?? 'bin'}`;
	// A stream: n8n's filesystem / S3 binary modes store it without holding the whole file in memory.
	const binary = await this.helpers.prepareBinaryData(response.body, fileName, mimeType);
	const length = Number(response.headers['content-length']);
	return itemWithBinary(
		{
			contentLocation,
			fileName,
			mimeType,
			fileSize: binary.fileSize ?? null,
			bytes: Number.isFinite(length) ? length : null,
			binaryPropertyName,
		},
		{ [binaryPropertyName]: binary },
	);
}
