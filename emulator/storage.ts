/**
 * Recording storage: when a recording stops, a small WAV it generates (plus the metadata document) is
 * kept under `/v1/objects/{documentId}/…` like the service's storage host, RecordingFileStatusUpdated goes
 * to the Event Grid subscriptions, and the files are served only to requests signed as the service
 * requires: HMAC for the ACS host named in `x-ms-host`, over the storage path.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { verifyHmacRequest } from './auth';
import type { EmulatorContext } from './context';
import { sendJson } from './respond';
import type { RecordingRecord } from './types';

interface StoredRecording {
	documentId: string;
	recordingId: string;
	/** The RecordingFileStatusUpdated event (Event Grid schema) that announced the file. */
	event?: Record<string, unknown>;
	audio: Buffer;
	metadata: Buffer;
	deleted: boolean;
}

const SAMPLE_RATE = 16_000;
const stores = new WeakMap<EmulatorContext, Map<string, StoredRecording>>();

function storeOf(ctx: EmulatorContext): Map<string, StoredRecording> {
	let store = stores.get(ctx);
	if (!store) stores.set(ctx, (store = new Map()));
	return store;
}

/** Mono 16-bit PCM at 16 kHz: a 440 Hz tone lasting `ms` (what ACS plays and records). */
export function generateWav(ms: number): Buffer {
	const samples = Math.round((SAMPLE_RATE * ms) / 1000);
	const wav = Buffer.alloc(44 + samples * 2);
	wav.write('RIFF', 0, 'ascii');
	wav.writeUInt32LE(36 + samples * 2, 4);
	wav.write('WAVEfmt ', 8, 'ascii');
	wav.writeUInt32LE(16, 16);
	wav.writeUInt16LE(1, 20); // PCM
	wav.writeUInt16LE(1, 22); // mono
	wav.writeUInt32LE(SAMPLE_RATE, 24);
	wav.writeUInt32LE(SAMPLE_RATE * 2, 28);
	wav.writeUInt16LE(2, 32);
	wav.writeUInt16LE(16, 34);
	wav.write('data', 36, 'ascii');
	wav.writeUInt32LE(samples * 2, 40);
	for (let i = 0; i < samples; i++)
		wav.writeInt16LE(
			Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / SAMPLE_RATE)),
			44 + i * 2,
		);
	return wav;
}

export function clearStorage(ctx: EmulatorContext): void {
	storeOf(ctx).clear();
}

/** Stores the finished recording's file and announces it through Event Grid. */
export function finishRecording(ctx: EmulatorContext, rec: RecordingRecord): void {
	const documentId = `0-emu-d1-${randomBytes(16).toString('hex')}`;
	const durationMs = Math.max(500, Math.min(5000, Date.now() - Date.parse(rec.startDateTime)));
	const base = `${ctx.url}v1/objects/${documentId}`;
	const metadata = {
		resourceId: ctx.resource.resourceId,
		callId: rec.serverCallId,
		chunkDocumentId: documentId,
		chunkIndex: 0,
		chunkStartTime: rec.startDateTime,
		chunkDuration: durationMs,
		pauseResumeIntervals: [],
		recordingInfo: {
			contentType: rec.contentType,
			channelType: rec.channelType,
			format: 'wav',
			audioConfiguration: {
				sampleRate: String(SAMPLE_RATE),
				bitRate: String(SAMPLE_RATE * 16),
				channels: '1',
			},
		},
		participants: [],
	};
	storeOf(ctx).set(documentId, {
		documentId,
		recordingId: rec.recordingId,
		audio: generateWav(durationMs),
		metadata: Buffer.from(JSON.stringify(metadata)),
		deleted: false,
	});
	const data = {
		recordingStorageInfo: {
			recordingChunks: [
				{
					documentId,
					index: 0,
					endReason: 'SessionEnded',
					contentLocation: `${base}/content/audio`,
					metadataLocation: `${base}/content/acsmetadata`,
					deleteLocation: base,
				},
			],
		},
		recordingStartTime: rec.startDateTime,
		recordingDurationMs: durationMs,
		recordingContentType: rec.contentType,
		recordingChannelType: rec.channelType,
		recordingFormatType: rec.formatType,
		sessionEndReason: 'CallEnded',
	};
	const stored = storeOf(ctx).get(documentId) as StoredRecording;
	void ctx.eventGrid
		.publish(
			'Microsoft.Communication.RecordingFileStatusUpdated',
			`/recording/call/${rec.serverCallId}/serverCallId/${rec.serverCallId}`,
			data,
		)
		.then(({ event }) => (stored.event = event));
}

export interface RecordingFileInfo {
	documentId: string;
	recordingId: string;
	bytes: number;
	deleted: boolean;
	/** The RecordingFileStatusUpdated event as Event Grid delivered it (undefined until published). */
	event?: Record<string, unknown>;
}

export function listStorage(ctx: EmulatorContext): RecordingFileInfo[] {
	return [...storeOf(ctx).values()].map((f) => ({
		documentId: f.documentId,
		recordingId: f.recordingId,
		bytes: f.audio.length,
		deleted: f.deleted,
		event: f.event,
	}));
}

const OBJECT_PATH = /^\/v1\/objects\/([A-Za-z0-9-]+)(?:\/content\/(audio|acsmetadata))?$/;

function send(
	res: ServerResponse,
	status: number,
	body: Buffer | string,
	headers: Record<string, string> = {},
): void {
	res
		.writeHead(status, { 'content-length': String(Buffer.byteLength(body)), ...headers })
		.end(body);
}

function error(res: ServerResponse, status: number, message: string): void {
	sendJson(res, status, { status, message });
}

/** Handles `/v1/objects/…`; false when the path is not a storage path. */
export function handleStorage(
	ctx: EmulatorContext,
	req: IncomingMessage,
	res: ServerResponse,
	method: string,
	rawPath: string,
	body: Buffer,
): boolean {
	const match = OBJECT_PATH.exec(rawPath);
	if (!match) return false;
	const acsHost = new URL(ctx.url).host;
	const xmsHost = req.headers['x-ms-host'];
	if (xmsHost !== acsHost) {
		error(res, 401, `x-ms-host must name the ACS resource the request is signed for (${acsHost}).`);
		return true;
	}
	// Signed as if sent to the ACS host, over the storage path without its query (the SDK's contentDownloader does this).
	const denied = verifyHmacRequest(
		{ method, pathAndQuery: rawPath, headers: { ...req.headers, host: xmsHost }, rawBody: body },
		ctx.key,
	);
	if (denied) {
		error(res, 401, denied.message);
		return true;
	}
	const file = storeOf(ctx).get(match[1]);
	const what = match[2];
	if (!file || file.deleted) {
		error(res, 404, 'The recording file was not found (it was deleted or never existed).');
		return true;
	}
	if (method === 'DELETE' && what === undefined) {
		file.deleted = true;
		send(res, 200, '');
		return true;
	}
	if (method !== 'GET' || what === undefined) {
		error(res, 405, `${method} is not allowed here.`);
		return true;
	}
	const content = what === 'audio' ? file.audio : file.metadata;
	const type = what === 'audio' ? 'audio/wav' : 'application/json';
	const range = /^bytes=(\d+)-(\d*)$/.exec(String(req.headers.range ?? ''));
	if (range) {
		const start = Number(range[1]);
		const end =
			range[2] === '' ? content.length - 1 : Math.min(Number(range[2]), content.length - 1);
		if (start > end) {
			send(res, 416, '', { 'content-range': `bytes */${content.length}` });
			return true;
		}
		send(res, 206, content.subarray(start, end + 1), {
			'content-type': type,
			'content-range': `bytes ${start}-${end}/${content.length}`,
		});
		return true;
	}
	send(res, 200, content, { 'content-type': type });
	return true;
}
