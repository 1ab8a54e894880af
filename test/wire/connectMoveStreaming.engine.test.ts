/**
 * Connect, Move, transcription and media streaming on the wire: for the same inputs the node sends what
 * the official SDK (@azure/communication-call-automation 1.6.0) sends.
 */
import { CallAutomationClient, type CallConnection } from '@azure/communication-call-automation';
import { createIdentifierFromRawId } from '@azure/communication-common';
import type { IDataObject } from 'n8n-workflow';

import { CALLBACK, CALLEE } from '../harness/action';
import { engineLabel } from '../harness/engine';
import { RAW_IDS } from '../harness/rawIds';
import {
	expectSameWire,
	expectSameWireWithRandomContext,
	withWireRecorder,
	type WireRecorder,
} from '../harness/wire';

const CALL_ID = 'wire-call';
const OP_CALLBACK = 'https://callbacks.example.com/op';
const AI = 'https://ai.example.cognitiveservices.azure.com/';
const MEDIA_WSS = 'wss://media.example.com/acs';
const TEXT_WSS = 'wss://text.example.com/acs';

describe(`Connect, Move, transcription and media streaming on the wire, node vs SDK (${engineLabel})`, () => {
	let rec: WireRecorder;
	let client: CallAutomationClient;
	let call: CallConnection;
	withWireRecorder((started) => {
		rec = started;
		client = new CallAutomationClient(rec.connectionString, { allowInsecureConnection: true });
		call = client.getCallConnection(CALL_ID);
	});
	const expectSame = async (parameters: IDataObject, viaSdk: () => Promise<unknown>) =>
		(await expectSameWire(rec, parameters, viaSdk)).shape;

	describe('call > connect', () => {
		it.each([
			['serverCallLocator', 'server-call-1'],
			['groupCallLocator', '00000000-0000-4000-8000-0000000000aa'],
			['roomCallLocator', 'room-1'],
		] as const)('%s with nothing else', async (kind, id) => {
			const shape = await expectSame(
				{
					resource: 'call',
					operation: 'connect',
					callLocatorKind: kind,
					callLocatorId: id,
					callbackUrl: CALLBACK,
				},
				async () => await client.connectCall({ kind, id }, CALLBACK),
			);
			expect(shape).toMatchObject({
				method: 'POST',
				path: '/calling/callConnections:connect',
				repeatable: true,
			});
		});

		it('with context, call intelligence, media streaming and transcription', async () => {
			const shape = await expectSame(
				{
					resource: 'call',
					operation: 'connect',
					callLocatorKind: 'roomCallLocator',
					callLocatorId: 'room-2',
					callbackUrl: CALLBACK,
					additionalFields: { operationContext: 'ctx-connect', cognitiveServicesEndpoint: AI },
					mediaStreaming: {
						transportUrl: MEDIA_WSS,
						audioChannelType: 'unmixed',
						audioFormat: 'pcm24KMono',
						startMediaStreaming: true,
						enableBidirectional: true,
						enableDtmfTones: true,
					},
					transcription: {
						transportUrl: TEXT_WSS,
						locale: 'es-ES',
						speechModelEndpointId: 'model-1',
						startTranscription: true,
						enableIntermediateResults: true,
					},
				},
				async () =>
					await client.connectCall({ kind: 'roomCallLocator', id: 'room-2' }, CALLBACK, {
						operationContext: 'ctx-connect',
						callIntelligenceOptions: { cognitiveServicesEndpoint: AI },
						mediaStreamingOptions: {
							transportType: 'websocket',
							transportUrl: MEDIA_WSS,
							audioChannelType: 'unmixed',
							contentType: 'audio',
							audioFormat: 'pcm24KMono',
							startMediaStreaming: true,
							enableBidirectional: true,
							enableDtmfTones: true,
						},
						transcriptionOptions: {
							transportType: 'websocket',
							transportUrl: TEXT_WSS,
							locale: 'es-ES',
							speechModelEndpointId: 'model-1',
							startTranscription: true,
							enableIntermediateResults: true,
						},
					}),
			);
			expect(shape.body).toMatchObject({
				mediaStreamingOptions: { transportUrl: MEDIA_WSS },
				transcriptionOptions: { locale: 'es-ES' },
			});
		});
	});

	describe('create and answer with media streaming and transcription', () => {
		const media = { transportUrl: MEDIA_WSS, audioChannelType: 'mixed', startMediaStreaming: true };
		const text = { transportUrl: TEXT_WSS, locale: 'en-GB', startTranscription: false };
		const sdkMedia = {
			transportType: 'websocket' as const,
			transportUrl: MEDIA_WSS,
			audioChannelType: 'mixed' as const,
			contentType: 'audio' as const,
			startMediaStreaming: true,
		};
		const sdkText = {
			transportType: 'websocket' as const,
			transportUrl: TEXT_WSS,
			locale: 'en-GB',
			startTranscription: false,
		};

		it('create', async () => {
			const shape = await expectSame(
				{
					resource: 'call',
					operation: 'create',
					targets: '8:acs:resource_streaming-user',
					callbackUrl: CALLBACK,
					mediaStreaming: media,
					transcription: text,
				},
				async () =>
					await client.createCall(
						{ targetParticipant: { communicationUserId: '8:acs:resource_streaming-user' } },
						CALLBACK,
						{
							mediaStreamingOptions: sdkMedia,
							transcriptionOptions: sdkText,
						},
					),
			);
			expect(shape.body).toMatchObject({
				mediaStreamingOptions: { transportUrl: MEDIA_WSS },
				transcriptionOptions: { locale: 'en-GB' },
			});
		});

		it('create on behalf of a Teams app (teamsAppSource)', async () => {
			const shape = await expectSame(
				{
					resource: 'call',
					operation: 'create',
					targets: '8:acs:resource_teams-callee',
					callbackUrl: CALLBACK,
					additionalFields: { teamsAppSourceId: 'app-0001' },
				},
				async () =>
					await client.createCall(
						{ targetParticipant: { communicationUserId: '8:acs:resource_teams-callee' } },
						CALLBACK,
						{
							teamsAppSource: { teamsAppId: 'app-0001' },
						},
					),
			);
			expect(shape.body).toMatchObject({ teamsAppSource: { appId: 'app-0001' } });
		});

		it('answer', async () => {
			const shape = await expectSame(
				{
					resource: 'call',
					operation: 'answer',
					incomingCallContext: 'ctx-incoming',
					callbackUrl: CALLBACK,
					mediaStreaming: media,
					transcription: text,
				},
				async () =>
					await client.answerCall('ctx-incoming', CALLBACK, {
						mediaStreamingOptions: sdkMedia,
						transcriptionOptions: sdkText,
					}),
			);
			expect(shape.body).toMatchObject({
				mediaStreamingOptions: { startMediaStreaming: true },
				transcriptionOptions: { transportUrl: TEXT_WSS },
			});
		});
	});

	describe('participant > move', () => {
		it('several participants of every kind, with context and operation callback', async () => {
			const ids = RAW_IDS.slice(0, 6);
			const shape = await expectSame(
				{
					resource: 'participant',
					operation: 'move',
					callConnectionId: CALL_ID,
					participants: ids.join(', '),
					fromCall: 'other-call',
					operationContext: 'ctx-move',
					operationCallbackUrl: OP_CALLBACK,
				},
				async () =>
					await call.moveParticipants(ids.map(createIdentifierFromRawId), 'other-call', {
						operationContext: 'ctx-move',
						operationCallbackUrl: OP_CALLBACK,
					}),
			);
			expect(shape).toMatchObject({
				method: 'POST',
				path: `/calling/callConnections/${CALL_ID}/participants:moveHere`,
				repeatable: true,
			});
		});

		it('without a context both generate a random one', async () => {
			await expectSameWireWithRandomContext(
				rec,
				{
					resource: 'participant',
					operation: 'move',
					callConnectionId: CALL_ID,
					participants: CALLEE,
					fromCall: 'other-call',
				},
				async () => await call.moveParticipants([{ phoneNumber: CALLEE }], 'other-call'),
			);
		});
	});

	describe('media > transcription and media streaming', () => {
		const media = (operation: string, fields: IDataObject = {}): IDataObject => ({
			resource: 'media',
			operation,
			callConnectionId: CALL_ID,
			...fields,
		});
		const all = { operationContext: 'ctx-t', operationCallbackUrl: OP_CALLBACK };
		const sdkAll = { operationContext: 'ctx-t', operationCallbackUrl: OP_CALLBACK };

		it('start transcription: nothing, then locale, model, context and callback', async () => {
			const bare = await expectSame(
				media('startTranscription'),
				async () => await call.getCallMedia().startTranscription(),
			);
			expect(bare).toMatchObject({
				path: `/calling/callConnections/${CALL_ID}:startTranscription`,
				body: {},
				repeatable: false,
			});
			await expectSame(
				media('startTranscription', {
					additionalFields: { locale: 'en-GB', speechModelEndpointId: 'model-1', ...all },
				}),
				async () =>
					await call.getCallMedia().startTranscription({
						locale: 'en-GB',
						speechRecognitionModelEndpointId: 'model-1',
						...sdkAll,
					}),
			);
		});

		it('update transcription: locale, then model, context and callback', async () => {
			await expectSame(
				media('updateTranscription', { locale: 'fr-FR' }),
				async () => await call.getCallMedia().updateTranscription('fr-FR'),
			);
			await expectSame(
				media('updateTranscription', {
					locale: 'fr-FR',
					additionalFields: { speechModelEndpointId: 'model-2', ...all },
				}),
				async () =>
					await call.getCallMedia().updateTranscription('fr-FR', {
						speechRecognitionModelEndpointId: 'model-2',
						...sdkAll,
					}),
			);
		});

		it.each([
			[
				'stopTranscription',
				(c: CallConnection, o?: IDataObject) => c.getCallMedia().stopTranscription(o),
			],
			[
				'startMediaStreaming',
				(c: CallConnection, o?: IDataObject) => c.getCallMedia().startMediaStreaming(o),
			],
			[
				'stopMediaStreaming',
				(c: CallConnection, o?: IDataObject) => c.getCallMedia().stopMediaStreaming(o),
			],
		] as const)('%s: bare, then with context and callback', async (operation, viaSdk) => {
			const bare = await expectSame(media(operation), async () => await viaSdk(call));
			expect(bare).toMatchObject({
				method: 'POST',
				path: `/calling/callConnections/${CALL_ID}:${operation}`,
				repeatable: false,
			});
			await expectSame(
				media(operation, { additionalFields: all }),
				async () => await viaSdk(call, sdkAll),
			);
		});
	});
});
