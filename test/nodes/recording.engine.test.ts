/**
 * Recording resource in n8n's engine against the emulator: start, pause, resume and stop change the
 * recording the way the service would (seen in its state and RecordingStateChanged events), and
 * settings ACS would refuse are caught before anything is sent.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Emulator } from '../../emulator';
import {
	callSnapshot,
	connectedCall,
	expectRefused as expectRefusedBy,
	outputJson,
	runResource,
	withEmulator,
	type ResourceRunOptions,
} from '../harness/action';
import { engineLabel } from '../harness/engine';

const STATE_CALLBACK = 'https://callbacks.example.com/recording';
const CONTAINER = 'https://account.blob.core.windows.net/recordings';

interface RecordingRecord {
	recordingId: string;
	callConnectionId: string;
	state: 'active' | 'inactive';
	stateCallbackUri?: string;
	contentType: string;
	channelType: string;
	formatType: string;
	stopped: boolean;
}

describe(`Recording resource (${engineLabel})`, () => {
	let emu: Emulator;
	withEmulator({ port: 0 }, (started) => (emu = started));

	const recording = (recordingId: unknown) =>
		(emu.state().recordings as RecordingRecord[]).find((r) => r.recordingId === recordingId);
	const run = async (parameters: IDataObject, options?: ResourceRunOptions) =>
		await runResource(emu, 'recording', parameters, options);
	/** The next RecordingStateChanged for this recording after `afterSeq`. */
	const stateChanged = async (callConnectionId: string, recordingId: unknown, afterSeq: number) =>
		await emu.waitForEvent('RecordingStateChanged', {
			callConnectionId,
			afterSeq,
			match: (e) => e.data.recordingId === recordingId,
		});

	const expectRefused = async (parameters: IDataObject, message: RegExp) =>
		await expectRefusedBy(emu, async () => await run(parameters), message);

	it('start, pause, resume, get state and stop one recording; each change is reported by RecordingStateChanged', async () => {
		const id = await connectedCall(emu);
		let seq = emu.eventSeq();
		const [started] = outputJson(
			await run({
				operation: 'start',
				callConnectionId: id,
				recordingStateCallbackUrl: STATE_CALLBACK,
			}),
		);
		expect(started).toEqual({
			recordingId: expect.any(String),
			recordingState: 'active',
			recordingKind: 'azureCommunicationServices',
			callConnectionId: id,
			content: 'audio',
			channel: 'mixed',
			format: 'wav',
		});
		const recordingId = started.recordingId;
		expect((await stateChanged(id, recordingId, seq)).data.state).toBe('active');
		expect(recording(recordingId)).toMatchObject({
			callConnectionId: id,
			state: 'active',
			stateCallbackUri: STATE_CALLBACK,
			contentType: 'audio',
			channelType: 'mixed',
			formatType: 'wav',
			stopped: false,
		});
		expect(callSnapshot(emu, id)?.recordingIds).toEqual([recordingId]);

		seq = emu.eventSeq();
		expect(outputJson(await run({ operation: 'pause', recordingId }))).toEqual([
			{ recordingId, paused: true },
		]);
		expect((await stateChanged(id, recordingId, seq)).data.state).toBe('inactive');
		expect(recording(recordingId)?.state).toBe('inactive');
		expect(outputJson(await run({ operation: 'getState', recordingId }))).toEqual([
			{ recordingId, recordingState: 'inactive', recordingKind: 'azureCommunicationServices' },
		]);

		seq = emu.eventSeq();
		expect(outputJson(await run({ operation: 'resume', recordingId }))).toEqual([
			{ recordingId, resumed: true },
		]);
		expect((await stateChanged(id, recordingId, seq)).data.state).toBe('active');
		expect(outputJson(await run({ operation: 'getState', recordingId }))[0].recordingState).toBe(
			'active',
		);

		seq = emu.eventSeq();
		expect(outputJson(await run({ operation: 'stop', recordingId }))).toEqual([
			{ recordingId, stopped: true },
		]);
		expect((await stateChanged(id, recordingId, seq)).data.state).toBe('inactive');
		expect(recording(recordingId)).toMatchObject({ stopped: true, state: 'inactive' });

		// A stopped recording is gone: the error says so instead of blaming the call.
		const after = await run({ operation: 'getState', recordingId });
		expect(after.error?.httpCode).toBe('404');
		expect(after.error?.description).toMatch(/Recording not found: it has already stopped/);
	});

	it('starts by server call id, paused, unmixed, into external storage', async () => {
		const id = await connectedCall(emu, { targets: '+14255550100, +14255550111' });
		const serverCallId = String(callSnapshot(emu, id)?.serverCallId);
		const seq = emu.eventSeq();
		const [started] = outputJson(
			await run({
				operation: 'start',
				callLocatorType: 'serverCallId',
				serverCallId,
				recordingStateCallbackUrl: STATE_CALLBACK,
				channel: 'unmixed',
				additionalFields: { pauseOnStart: true, externalStorageContainerUrl: CONTAINER },
			}),
		);
		expect(started).toMatchObject({ recordingState: 'inactive', serverCallId, channel: 'unmixed' });
		expect(started).not.toHaveProperty('callConnectionId');
		expect((await stateChanged(id, started.recordingId, seq)).data.state).toBe('inactive');
		expect(recording(started.recordingId)).toMatchObject({
			callConnectionId: id,
			state: 'inactive',
			channelType: 'unmixed',
			formatType: 'wav',
		});
	});

	it('records audio and video as mixed MP4', async () => {
		const id = await connectedCall(emu);
		const [started] = outputJson(
			await run({
				operation: 'start',
				callConnectionId: id,
				content: 'audioVideo',
				channel: 'mixed',
				format: 'mp4',
			}),
		);
		expect(recording(started.recordingId)).toMatchObject({
			contentType: 'audioVideo',
			formatType: 'mp4',
			state: 'active',
		});
	});

	it('a second recording of the same call is refused by ACS while the first runs', async () => {
		const id = await connectedCall(emu);
		outputJson(await run({ operation: 'start', callConnectionId: id }));
		const second = await run({ operation: 'start', callConnectionId: id });
		expect(second.error?.message).toMatch(/400.*already in progress/);
	});

	describe('refused before sending', () => {
		it('content, channel and format that ACS does not combine', async () => {
			const id = await connectedCall(emu);
			const start = { operation: 'start', callConnectionId: id };
			await expectRefused(
				{ ...start, content: 'audioVideo', format: 'wav' },
				/Format WAV cannot hold video/,
			);
			await expectRefused(
				{ ...start, content: 'audioVideo', channel: 'unmixed', format: 'mp4' },
				/Channel Unmixed is only for audio/,
			);
			await expectRefused(
				{ ...start, content: 'audio', format: 'mp4' },
				/Format MP4 is only for audio and video/,
			);
			const error = await expectRefused(
				{ ...start, channel: 'unmixed', format: 'mp3' },
				/Channel Unmixed needs Format WAV/,
			);
			expect(error?.description).toMatch(/Choose Format WAV/);
		});

		it('bad URLs and empty ids', async () => {
			const id = await connectedCall(emu);
			await expectRefused(
				{ operation: 'start', callConnectionId: id, recordingStateCallbackUrl: 'n8n/webhook' },
				/Recording State Callback URL "n8n\/webhook" is not an absolute URL/,
			);
			await expectRefused(
				{
					operation: 'start',
					callConnectionId: id,
					additionalFields: { externalStorageContainerUrl: 'ftp://store/rec' },
				},
				/External Storage Container URL "ftp:\/\/store\/rec" must start with https:\/\//,
			);
			await expectRefused(
				{ operation: 'start', callConnectionId: '={{ $json.nothing }}' },
				/Call Connection ID is empty/,
			);
			await expectRefused(
				{ operation: 'start', callLocatorType: 'serverCallId', serverCallId: ' ' },
				/Server Call ID is empty/,
			);
			for (const operation of ['getState', 'pause', 'resume', 'stop']) {
				await expectRefused(
					{ operation, recordingId: '={{ $json.nothing }}' },
					/Recording ID is empty/,
				);
			}
		});
	});

	describe('errors', () => {
		it('an unknown call id says the call may have ended', async () => {
			const result = await run({ operation: 'start', callConnectionId: 'no-such-call' });
			expect(result.error?.httpCode).toBe('404');
			expect(`${result.error?.message} ${result.error?.description}`).toMatch(
				/call may have ended/,
			);
		});

		it('an unknown recording id says the recording has stopped or the id is wrong', async () => {
			for (const operation of ['getState', 'pause', 'resume', 'stop']) {
				// Stop succeeds on a recording that is over unless told to fail (tidy-up steps: alreadyEnded).
				const result = await run({
					operation,
					recordingId: 'no-such-recording',
					...(operation === 'stop' ? { errorIfEnded: true } : {}),
				});
				expect(result.error?.httpCode).toBe('404');
				expect(result.error?.description).toMatch(/Recording not found/);
			}
		});

		it('Continue On Fail: each item gets its own result or error, paired with its input', async () => {
			const id = await connectedCall(emu);
			const [started] = outputJson(await run({ operation: 'start', callConnectionId: id }));
			const result = await run(
				{ operation: 'pause', recordingId: '={{ $json.recordingId }}' },
				{
					items: [
						{ recordingId: 'no-such-recording' },
						{ recordingId: started.recordingId },
						{ recordingId: '' },
					],
					continueOnFail: true,
				},
			);
			expect(result.error).toBeUndefined();
			const items = result.outputs[0];
			expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
			expect(items[0].json.error).toMatch(/^ACS returned 404 .*no-such-recording/);
			expect(items[1].json).toEqual({ recordingId: started.recordingId, paused: true });
			expect(items[2].json.error).toBe('Recording ID is empty');
			expect(recording(started.recordingId)?.state).toBe('inactive');
		});
	});
});
