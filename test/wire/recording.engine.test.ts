/**
 * Recording resource on the wire: for the same inputs the node sends what the official SDK
 * (@azure/communication-call-automation 1.6.0) sends — method, path, api-version, JSON body and
 * whether the request is repeatable.
 */
import { CallAutomationClient, type CallRecording } from '@azure/communication-call-automation';
import type { IDataObject } from 'n8n-workflow';

import { engineLabel } from '../harness/engine';
import { expectSameWire, withWireRecorder, type WireRecorder } from '../harness/wire';

const CALL_ID = 'wire-call';
const SERVER_CALL_ID = 'aHR0cHM6Ly9jb252LXVzd2UtMDEuY29udi5za3lwZS5jb20vY29udi9zcnYtMQ==';
const STATE_CALLBACK = 'https://callbacks.example.com/recording';
const CONTAINER = 'https://account.blob.core.windows.net/recordings';
const RECORDING_ID = 'wire-recording';

describe(`Recording resource on the wire, node vs SDK (${engineLabel})`, () => {
	let rec: WireRecorder;
	let recording: CallRecording;
	withWireRecorder((started) => {
		rec = started;
		recording = new CallAutomationClient(rec.connectionString, {
			allowInsecureConnection: true,
		}).getCallRecording();
	});
	const expectSame = async (parameters: IDataObject, viaSdk: () => Promise<unknown>) =>
		(await expectSameWire(rec, { resource: 'recording', ...parameters }, viaSdk)).shape;

	describe('start', () => {
		it('by call connection id with the defaults', async () => {
			const shape = await expectSame(
				{ operation: 'start', callConnectionId: CALL_ID },
				async () =>
					await recording.start({
						callConnectionId: CALL_ID,
						recordingContent: 'audio',
						recordingChannel: 'mixed',
						recordingFormat: 'wav',
					}),
			);
			expect(shape).toMatchObject({
				method: 'POST',
				path: '/calling/recordings',
				repeatable: true,
			});
			expect(shape.body).not.toHaveProperty('callLocator');
		});

		it('by server call id, every option set', async () => {
			const shape = await expectSame(
				{
					operation: 'start',
					callLocatorType: 'serverCallId',
					serverCallId: SERVER_CALL_ID,
					recordingStateCallbackUrl: STATE_CALLBACK,
					content: 'audio',
					channel: 'unmixed',
					format: 'wav',
					additionalFields: { pauseOnStart: true, externalStorageContainerUrl: CONTAINER },
				},
				async () =>
					await recording.start({
						callLocator: { id: SERVER_CALL_ID, kind: 'serverCallLocator' },
						recordingStateCallbackEndpointUrl: STATE_CALLBACK,
						recordingContent: 'audio',
						recordingChannel: 'unmixed',
						recordingFormat: 'wav',
						pauseOnStart: true,
						recordingStorage: {
							recordingStorageKind: 'azureBlobStorage',
							recordingDestinationContainerUrl: CONTAINER,
						},
					}),
			);
			expect(shape.body).toMatchObject({
				callLocator: { kind: 'serverCallLocator', serverCallId: SERVER_CALL_ID },
			});
			expect(shape.body).not.toHaveProperty('callConnectionId');
		});

		it.each([
			['groupCallId', 'groupCallLocator', '00000000-0000-4000-8000-0000000000bb'],
			['roomId', 'roomCallLocator', 'room-7'],
		] as const)(
			'by %s, unmixed with channel affinity and participant ordering',
			async (locatorType, kind, id) => {
				const shape = await expectSame(
					{
						operation: 'start',
						callLocatorType: locatorType,
						locatorId: id,
						content: 'audio',
						channel: 'unmixed',
						format: 'wav',
						additionalFields: {
							channelAffinity: {
								channels: [
									{ channel: 0, participant: '+14255550100' },
									{ channel: 1, participant: '8:acs:resource_agent-1' },
								],
							},
							audioChannelParticipantOrdering: '+14255550100, 8:acs:resource_agent-1',
						},
					},
					async () =>
						await recording.start({
							callLocator: { id, kind },
							recordingContent: 'audio',
							recordingChannel: 'unmixed',
							recordingFormat: 'wav',
							channelAffinity: [
								{ channel: 0, targetParticipant: { phoneNumber: '+14255550100' } },
								{
									channel: 1,
									targetParticipant: { communicationUserId: '8:acs:resource_agent-1' },
								},
							],
							audioChannelParticipantOrdering: [
								{ phoneNumber: '+14255550100' },
								{ communicationUserId: '8:acs:resource_agent-1' },
							],
						}),
				);
				expect(shape.body).toMatchObject({
					callLocator: { kind },
					channelAffinity: [{ channel: 0 }, { channel: 1 }],
				});
			},
		);

		it('audio and video, not paused', async () => {
			await expectSame(
				{
					operation: 'start',
					callConnectionId: CALL_ID,
					recordingStateCallbackUrl: STATE_CALLBACK,
					content: 'audioVideo',
					channel: 'mixed',
					format: 'mp4',
					additionalFields: { pauseOnStart: false },
				},
				async () =>
					await recording.start({
						callConnectionId: CALL_ID,
						recordingStateCallbackEndpointUrl: STATE_CALLBACK,
						recordingContent: 'audioVideo',
						recordingChannel: 'mixed',
						recordingFormat: 'mp4',
						pauseOnStart: false,
					}),
			);
		});
	});

	it('getState', async () => {
		const shape = await expectSame(
			{ operation: 'getState', recordingId: RECORDING_ID },
			async () => await recording.getState(RECORDING_ID),
		);
		expect(shape).toMatchObject({
			method: 'GET',
			path: `/calling/recordings/${RECORDING_ID}`,
			body: undefined,
			repeatable: false,
		});
	});

	it('pause', async () => {
		const shape = await expectSame(
			{ operation: 'pause', recordingId: RECORDING_ID },
			async () => await recording.pause(RECORDING_ID),
		);
		expect(shape).toMatchObject({
			method: 'POST',
			path: `/calling/recordings/${RECORDING_ID}:pause`,
			body: undefined,
			repeatable: false,
		});
	});

	it('resume', async () => {
		const shape = await expectSame(
			{ operation: 'resume', recordingId: RECORDING_ID },
			async () => await recording.resume(RECORDING_ID),
		);
		expect(shape).toMatchObject({
			method: 'POST',
			path: `/calling/recordings/${RECORDING_ID}:resume`,
			body: undefined,
			repeatable: false,
		});
	});

	it('stop', async () => {
		const shape = await expectSame(
			{ operation: 'stop', recordingId: RECORDING_ID },
			async () => await recording.stop(RECORDING_ID),
		);
		expect(shape).toMatchObject({
			method: 'DELETE',
			path: `/calling/recordings/${RECORDING_ID}`,
			body: undefined,
			repeatable: false,
		});
	});
});
