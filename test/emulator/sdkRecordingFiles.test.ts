/**
 * The official SDK's own content downloader fetches and deletes the recording files the emulator serves.
 * The SDK accepts only https URLs on ACS storage hosts, so the test hands it the file's path on
 * `emulator.asm.skype.com` and an HTTP client that sends that host to the emulator over loopback (as a
 * DNS entry would); what is signed (x-ms-host, path) and checked is unchanged.
 */
import { CallAutomationClient } from '@azure/communication-call-automation';
import {
	createDefaultHttpClient,
	type HttpClient,
	type PipelineRequest,
} from '@azure/core-rest-pipeline';
import { startEmulator, type Emulator } from '../../emulator';

const STORAGE_HOST = 'emulator.asm.skype.com';

describe("emulator recording files through the SDK's downloader", () => {
	let emu: Emulator;
	let client: CallAutomationClient;
	const sent: Array<{ url: string; host?: string; xMsHost?: string }> = [];

	const inner = createDefaultHttpClient();
	const loopback: HttpClient = {
		async sendRequest(request: PipelineRequest) {
			const url = new URL(request.url);
			sent.push({
				url: request.url,
				host: request.headers.get('host'),
				xMsHost: request.headers.get('x-ms-host'),
			});
			if (url.hostname === STORAGE_HOST) {
				request.url = `${emu.url}${url.pathname.slice(1)}${url.search}`;
				request.allowInsecureConnection = true;
			}
			return await inner.sendRequest(request);
		},
	};
	const download = async (
		sdk: CallAutomationClient,
		url: string,
		options?: { offset: number; length: number },
	): Promise<Buffer> => {
		const chunks: Buffer[] = [];
		for await (const chunk of await sdk.getCallRecording().downloadStreaming(url, options))
			chunks.push(Buffer.from(chunk as Buffer));
		return Buffer.concat(chunks);
	};

	beforeAll(async () => {
		emu = await startEmulator({});
		client = new CallAutomationClient(emu.connectionString, {
			allowInsecureConnection: true,
			httpClient: loopback,
		});
	});
	afterAll(async () => await emu.close());

	async function recordedFile(): Promise<{
		content: string;
		metadata: string;
		del: string;
		bytes: number;
	}> {
		const created = await client.createCall(
			{
				targetParticipant: { phoneNumber: '+14255550100' },
				sourceCallIdNumber: { phoneNumber: '+14255550199' },
			},
			'https://cb.example/x',
		);
		const id = created.callConnectionProperties.callConnectionId as string;
		await emu.waitForEvent('CallConnected', { callConnectionId: id });
		const rec = await client.getCallRecording().start({ callConnectionId: id });
		await client.getCallRecording().stop(rec.recordingId);
		const file = emu.recordingFiles().find((f) => f.recordingId === rec.recordingId);
		const path = `https://${STORAGE_HOST}/v1/objects/${file?.documentId}`;
		return {
			content: `${path}/content/audio`,
			metadata: `${path}/content/acsmetadata`,
			del: path,
			bytes: file?.bytes ?? -1,
		};
	}

	it('downloads the WAV and the metadata, and deletes the file', async () => {
		const file = await recordedFile();
		const wav = await download(client, file.content);
		expect(wav.subarray(0, 4).toString('ascii')).toBe('RIFF');
		expect(wav.length).toBe(file.bytes);
		const last = sent[sent.length - 1];
		expect(last).toMatchObject({ host: STORAGE_HOST, xMsHost: new URL(emu.url).host });
		const part = await download(client, file.content, { offset: 8, length: 4 });
		expect(part.toString('ascii')).toBe('WAVE'); // a Range request, answered 206
		const meta = JSON.parse((await download(client, file.metadata)).toString('utf8')) as {
			chunkIndex: number;
		};
		expect(meta.chunkIndex).toBe(0);
		await client.getCallRecording().delete(file.del);
		await expect(download(client, file.content)).rejects.toMatchObject({ status: 404 });
	});

	it('refuses a request signed with another key', async () => {
		const file = await recordedFile();
		const other = new CallAutomationClient(
			emu.connectionString.replace(
				/accesskey=.*/,
				`accesskey=${Buffer.from('another key').toString('base64')}`,
			),
			{
				allowInsecureConnection: true,
				httpClient: loopback,
			},
		);
		await expect(download(other, file.content)).rejects.toMatchObject({ status: 401 });
	});
});
