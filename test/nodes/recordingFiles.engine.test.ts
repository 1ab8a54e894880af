/**
 * Recording > Download and Delete in n8n's engine against the emulator: a call is recorded, the
 * RecordingFileStatusUpdated item (as the trigger makes it) feeds Download, which signs for the ACS host
 * and fetches the WAV the emulator generated as binary data; locations that are not ACS storage are
 * refused before anything is signed.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { Emulator } from '../../emulator';
import { parseEvents } from '../../nodes/AzureCallAutomation/callbacks/body';
import { normalizeEvent } from '../../nodes/AzureCallAutomation/callbacks/normalize';
import {
	connectedCall,
	expectRefused,
	outputJson,
	runAction,
	runResource,
	withEmulator,
} from '../harness/action';
import { engineLabel } from '../harness/engine';

describe(`Recording files (${engineLabel})`, () => {
	let emu: Emulator;
	withEmulator({ port: 0 }, (started) => (emu = started));

	/** Records a call, stops the recording and returns the trigger's item for RecordingFileStatusUpdated. */
	async function recordedFileItem(): Promise<IDataObject> {
		const id = await connectedCall(emu);
		const [started] = outputJson(
			await runResource(emu, 'recording', { operation: 'start', callConnectionId: id }),
		);
		outputJson(
			await runResource(emu, 'recording', { operation: 'stop', recordingId: started.recordingId }),
		);
		for (let i = 0; i < 50 && emu.recordingFiles()[0]?.event === undefined; i++)
			await new Promise((r) => setImmediate(r));
		const event = emu.recordingFiles()[0]?.event;
		expect(event).toBeDefined();
		const [received] = parseEvents([event]);
		return normalizeEvent(received);
	}

	async function download(
		item: IDataObject,
		parameters: IDataObject = {},
	): Promise<INodeExecutionData[]> {
		const result = await runAction(emu, {
			items: [item],
			parameters: { resource: 'recording', operation: 'download', ...parameters },
		});
		if (result.error) throw result.error;
		return result.outputs[0];
	}

	it('downloads the recording as binary data with name, mime type and size', async () => {
		const item = await recordedFileItem();
		expect(item).toMatchObject({
			eventType: 'RecordingFileStatusUpdated',
			contentLocation: expect.stringContaining('/content/audio'),
		});
		// The defaults read the item's contentLocation: nothing to map.
		const [out] = await download(item, { contentLocation: '={{ $json.contentLocation }}' });
		const binary = out.binary?.data;
		expect(binary).toMatchObject({
			mimeType: 'audio/wav',
			fileName: expect.stringMatching(/^recording-0-emu-d1-[0-9a-f]+\.wav$/),
			fileExtension: 'wav',
		});
		expect(out.json).toMatchObject({
			contentLocation: item.contentLocation,
			mimeType: 'audio/wav',
			bytes: emu.recordingFiles()[0].bytes,
		});
		const bytes = Buffer.from(binary?.data ?? '', 'base64');
		expect(bytes.subarray(0, 4).toString('ascii')).toBe('RIFF');
		expect(bytes.subarray(8, 12).toString('ascii')).toBe('WAVE');
		expect(bytes.length).toBe(emu.recordingFiles()[0].bytes);
	});

	it('downloads the metadata as JSON, then deletes the file; a second download is a 404', async () => {
		const item = await recordedFileItem();
		const [meta] = await download(item, {
			download: 'metadata',
			metadataLocation: '={{ $json.metadataLocation }}',
		});
		expect(meta.json).toMatchObject({ chunkIndex: 0, recordingInfo: { format: 'wav' } });
		const [deleted] = outputJson(
			await runAction(emu, {
				items: [item],
				parameters: {
					resource: 'recording',
					operation: 'delete',
					deleteLocation: '={{ $json.deleteLocation }}',
				},
			}),
		);
		expect(deleted).toEqual({ deleteLocation: item.deleteLocation, deleted: true });
		expect(emu.recordingFiles()[0].deleted).toBe(true);
		const again = await runAction(emu, {
			items: [item],
			parameters: {
				resource: 'recording',
				operation: 'download',
				contentLocation: '={{ $json.contentLocation }}',
			},
		});
		expect(again.error?.message).toMatch(/404/);
	});

	it.each([
		['another host', 'https://attacker.example.com/v1/objects/abc/content/audio'],
		['plain http storage', 'http://storage.asm.skype.com/v1/objects/abc/content/audio'],
		["the emulator's own call routes", '/calling/callConnections/x:terminate'],
		['a dot segment', '/v1/objects/%2e%2e/%2e%2e/calling/recordings/x'],
	])('a location pointing at %s is refused before anything is signed', async (_what, location) => {
		const url = location.startsWith('/') ? `${emu.url}${location.slice(1)}` : location;
		for (const [operation, field] of [
			['download', 'contentLocation'],
			['delete', 'deleteLocation'],
		]) {
			await expectRefused(
				emu,
				async () => await runResource(emu, 'recording', { operation, [field]: url }),
				/Location/,
			);
		}
	});
});
