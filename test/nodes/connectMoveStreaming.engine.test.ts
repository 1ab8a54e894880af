/**
 * Connect, Move, transcription and media streaming in n8n's engine against the emulator: what the
 * node sends changes the emulated calls as the service would, and bad WebSocket URLs stop before sending.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Emulator } from '../../emulator';
import {
	CALLBACK,
	callSnapshot,
	connectedCall,
	expectRefused,
	outputJson,
	runResource,
	withEmulator,
} from '../harness/action';
import { engineLabel } from '../harness/engine';

const MEDIA_WSS = 'wss://media.example.com/acs';
const TEXT_WSS = 'wss://text.example.com/acs';

describe(`Connect, Move, transcription and media streaming (${engineLabel})`, () => {
	let emu: Emulator;
	withEmulator({ port: 0 }, (started) => (emu = started));
	const run = async (resource: string, parameters: IDataObject) =>
		outputJson(await runResource(emu, resource, parameters))[0];
	const serverCallIdOf = (id: string) => String(callSnapshot(emu, id)?.serverCallId);

	async function connected(extra: IDataObject = {}): Promise<string> {
		const first = await connectedCall(emu);
		const out = await run('call', {
			operation: 'connect',
			callLocatorKind: 'serverCallLocator',
			callLocatorId: serverCallIdOf(first),
			callbackUrl: CALLBACK,
			additionalFields: { operationContext: 'join' },
			...extra,
		});
		const id = String(out.callConnectionId);
		await emu.waitForEvent('CallConnected', { callConnectionId: id, operationContext: 'join' });
		return id;
	}

	it('connect joins a call by its server call id; the participants of that call are there', async () => {
		const id = await connected();
		expect(callSnapshot(emu, id)).toMatchObject({ direction: 'connect', callbackUri: CALLBACK });
		const [listed] = outputJson(
			await runResource(emu, 'participant', {
				operation: 'list',
				callConnectionId: id,
				returnAll: true,
			}),
		);
		expect(listed.rawId).toBe('4:+14255550100');
	});

	it('transcription and media streaming set up on connect: started, updated and stopped by the node', async () => {
		const id = await connected({
			mediaStreaming: { transportUrl: MEDIA_WSS, startMediaStreaming: true },
			transcription: { transportUrl: TEXT_WSS, locale: 'en-US' },
		});
		await emu.waitForEvent('MediaStreamingStarted', { callConnectionId: id });
		const steps: Array<[string, IDataObject, string]> = [
			[
				'startTranscription',
				{ additionalFields: { locale: 'en-GB', operationContext: 's1' } },
				'TranscriptionStarted',
			],
			[
				'updateTranscription',
				{ locale: 'de-DE', additionalFields: { operationContext: 's2' } },
				'TranscriptionUpdated',
			],
			[
				'stopTranscription',
				{ additionalFields: { operationContext: 's3' } },
				'TranscriptionStopped',
			],
			[
				'stopMediaStreaming',
				{ additionalFields: { operationContext: 's4' } },
				'MediaStreamingStopped',
			],
			[
				'startMediaStreaming',
				{ additionalFields: { operationContext: 's5' } },
				'MediaStreamingStarted',
			],
		];
		for (const [operation, fields, event] of steps) {
			const out = await run('media', { operation, callConnectionId: id, ...fields });
			expect(out).toMatchObject({
				callConnectionId: id,
				operation,
				expectedEvents: expect.arrayContaining([event]),
			});
			await emu.waitForEvent(event, {
				callConnectionId: id,
				operationContext: (fields.additionalFields as IDataObject).operationContext as string,
			});
		}
		const [call] = outputJson(
			await runResource(emu, 'call', { operation: 'get', callConnectionId: id }),
		);
		expect(call).toMatchObject({
			transcriptionSubscription: { state: 'inactive', locale: 'de-DE' },
			mediaStreamingSubscription: { state: 'active' },
		});
	});

	it.each([
		'ws://media.example.com/acs',
		'https://media.example.com/acs',
		'wss://',
		'wss://user:pw@media.example.com/',
		'not a url',
	])('a WebSocket URL %j is refused before sending', async (transportUrl) => {
		await expectRefused(
			emu,
			async () =>
				await runResource(emu, 'call', {
					operation: 'connect',
					callLocatorKind: 'roomCallLocator',
					callLocatorId: 'room-1',
					callbackUrl: CALLBACK,
					mediaStreaming: { transportUrl },
				}),
			/Media Streaming > WebSocket URL .*wss:\/\//,
		);
	});

	it('Create Call with a media streaming URL that is not wss:// is refused before sending; a wss:// one subscribes the call', async () => {
		await expectRefused(
			emu,
			async () =>
				await runResource(emu, 'call', {
					operation: 'create',
					targets: '8:acs:resource_stream-1',
					callbackUrl: CALLBACK,
					mediaStreaming: { transportUrl: 'ws://media.example.com/acs' },
				}),
			/Media Streaming > WebSocket URL .*wss:\/\//,
		);
		const [created] = outputJson(
			await runResource(emu, 'call', {
				operation: 'create',
				targets: '8:acs:resource_stream-2',
				callbackUrl: CALLBACK,
				mediaStreaming: { transportUrl: MEDIA_WSS, startMediaStreaming: true },
				transcription: { transportUrl: TEXT_WSS, locale: 'fr-FR' },
			}),
		);
		expect(created).toMatchObject({
			mediaStreamingSubscription: expect.objectContaining({ id: expect.any(String) }),
			transcriptionSubscription: expect.objectContaining({ locale: 'fr-FR' }),
		});
	});

	it('move brings a participant over from another call', async () => {
		const into = await connectedCall(emu, { targets: '+14255550102' });
		const from = await connectedCall(emu, { targets: '+14255550103' });
		const out = await run('participant', {
			operation: 'move',
			callConnectionId: into,
			participants: '+14255550103',
			fromCall: from,
			operationContext: 'move',
		});
		expect(out).toEqual({
			callConnectionId: into,
			fromCall: from,
			participants: ['4:+14255550103'],
			operationContext: 'move',
			moved: true,
		});
		const moved = await emu.waitForEvent('MoveParticipantSucceeded', {
			callConnectionId: into,
			operationContext: 'move',
		});
		expect(moved.data).toMatchObject({ fromCall: from, participant: { rawId: '4:+14255550103' } });
		expect(
			(callSnapshot(emu, into)?.participants as Array<{ identifier: IDataObject }>).map(
				(p) => p.identifier.rawId,
			),
		).toContain('4:+14255550103');
	});

	it('move refuses a From Call Connection ID that could leave its path segment', async () => {
		await expectRefused(
			emu,
			async () =>
				await runResource(emu, 'participant', {
					operation: 'move',
					callConnectionId: 'a',
					participants: '+14255550103',
					fromCall: '..',
				}),
			/From Call Connection ID/,
		);
	});
});
