import type { INodeProperties } from 'n8n-workflow';

import * as cancelAll from './cancelAll.operation';
import * as hold from './hold.operation';
import * as playAudio from './playAudio.operation';
import * as playText from './playText.operation';
import * as recognize from './recognize.operation';
import * as sendDtmf from './sendDtmf.operation';
import * as startContinuousDtmf from './startContinuousDtmf.operation';
import * as stopContinuousDtmf from './stopContinuousDtmf.operation';
import * as unhold from './unhold.operation';
import * as startMediaStreaming from './startMediaStreaming.operation';
import * as startTranscription from './startTranscription.operation';
import * as stopMediaStreaming from './stopMediaStreaming.operation';
import * as stopTranscription from './stopTranscription.operation';
import * as updateTranscription from './updateTranscription.operation';

export {
	cancelAll,
	hold,
	playAudio,
	playText,
	recognize,
	sendDtmf,
	startContinuousDtmf,
	startMediaStreaming,
	startTranscription,
	stopContinuousDtmf,
	stopMediaStreaming,
	stopTranscription,
	unhold,
	updateTranscription,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['media'] } },
		options: [
			{
				name: 'Cancel All Media Operations',
				value: 'cancelAll',
				action: 'Cancel all media operations',
				description:
					'Stop the audio playing and any input collection on the call. The trigger then receives PlayCanceled / RecognizeCanceled.',
			},
			{
				name: 'Collect Input',
				value: 'recognize',
				action: 'Collect input from a caller',
				description:
					'Play an optional prompt, then collect key presses, speech or a choice from one participant. The answer arrives at the trigger as RecognizeCompleted (dtmfTones, speech or choiceLabel), or RecognizeFailed on timeout.',
			},
			{
				name: 'Hold',
				value: 'hold',
				action: 'Put a participant on hold',
				description:
					'Put one participant on hold, optionally with music. The trigger receives ParticipantsUpdated (isOnHold: true).',
			},
			{
				name: 'Play Audio',
				value: 'playAudio',
				action: 'Play audio on a call',
				description:
					'Play WAV files to everyone on the call or to chosen participants. The trigger receives PlayStarted, then PlayCompleted (or PlayFailed).',
			},
			{
				name: 'Play Text',
				value: 'playText',
				action: 'Speak text on a call',
				description:
					'Speak text or SSML with an Azure AI voice (the call needs a Cognitive Services endpoint). The trigger receives PlayStarted, then PlayCompleted (or PlayFailed).',
			},
			{
				name: 'Send DTMF',
				value: 'sendDtmf',
				action: 'Send key presses on a call',
				description:
					'Press phone keys (0-9, A-D, #, *) towards a participant, e.g. to navigate an automated menu. The trigger receives SendDtmfTonesCompleted.',
			},
			{
				name: 'Start Continuous DTMF',
				value: 'startContinuousDtmf',
				action: 'Start reporting key presses',
				description:
					'Report every key a participant presses until stopped: the trigger receives one ContinuousDtmfRecognitionToneReceived event per key',
			},
			{
				name: 'Start Media Streaming',
				value: 'startMediaStreaming',
				action: 'Start streaming audio',
				description:
					'Stream the call audio to the WebSocket URL set on Create, Answer or Connect. The trigger then receives MediaStreamingStarted.',
			},
			{
				name: 'Start Transcription',
				value: 'startTranscription',
				action: 'Start transcription',
				description:
					'Send a live transcript to the WebSocket URL set on Create, Answer or Connect. The trigger then receives TranscriptionStarted.',
			},
			{
				name: 'Stop Continuous DTMF',
				value: 'stopContinuousDtmf',
				action: 'Stop reporting key presses',
				description:
					'Stop reporting key presses started with Start Continuous DTMF. The trigger receives ContinuousDtmfRecognitionStopped.',
			},
			{
				name: 'Stop Media Streaming',
				value: 'stopMediaStreaming',
				action: 'Stop streaming audio',
				description: 'Stop the audio stream. The trigger then receives MediaStreamingStopped.',
			},
			{
				name: 'Stop Transcription',
				value: 'stopTranscription',
				action: 'Stop transcription',
				description: 'Stop the live transcript. The trigger then receives TranscriptionStopped.',
			},
			{
				name: 'Unhold',
				value: 'unhold',
				action: 'Take a participant off hold',
				description:
					'Take a participant off hold. The trigger receives ParticipantsUpdated (isOnHold: false).',
			},
			{
				name: 'Update Transcription',
				value: 'updateTranscription',
				action: 'Update transcription',
				description:
					'Switch the transcript to another language or speech model. The trigger then receives TranscriptionUpdated.',
			},
		],
		default: 'playAudio',
	},
	...playAudio.description,
	...playText.description,
	...cancelAll.description,
	...recognize.description,
	...sendDtmf.description,
	...startContinuousDtmf.description,
	...stopContinuousDtmf.description,
	...hold.description,
	...unhold.description,
	...startMediaStreaming.description,
	...startTranscription.description,
	...stopMediaStreaming.description,
	...stopTranscription.description,
	...updateTranscription.description,
];
