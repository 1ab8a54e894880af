import type { INodeProperties } from 'n8n-workflow';

import * as del from './delete.operation';
import * as download from './download.operation';
import * as getState from './getState.operation';
import * as pause from './pause.operation';
import * as resume from './resume.operation';
import * as start from './start.operation';
import * as stop from './stop.operation';

export { del as delete, download, getState, pause, resume, start, stop };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['recording'] } },
		options: [
			{
				name: 'Delete',
				value: 'delete',
				action: 'Delete a recording file',
				description:
					'Delete a recording file from ACS storage, using the deleteLocation of a RecordingFileStatusUpdated event',
			},
			{
				name: 'Download',
				value: 'download',
				action: 'Download a recording file',
				description:
					'Get a finished recording as a file (binary data) or its metadata (JSON), using the locations of a RecordingFileStatusUpdated event',
			},
			{
				name: 'Get State',
				value: 'getState',
				action: 'Get the state of a recording',
				description: 'Check whether a recording is running (active) or paused (inactive)',
			},
			{
				name: 'Pause',
				value: 'pause',
				action: 'Pause a recording',
				description:
					'Stop capturing for a while (e.g. while a card number is read out). RecordingStateChanged (inactive) follows.',
			},
			{
				name: 'Resume',
				value: 'resume',
				action: 'Resume a recording',
				description: 'Continue a paused recording. RecordingStateChanged (active) follows.',
			},
			{
				name: 'Start',
				value: 'start',
				action: 'Start a recording',
				description:
					'Start recording a connected call. Returns a recordingId; RecordingStateChanged (active) is sent to the Recording State Callback URL.',
			},
			{
				name: 'Stop',
				value: 'stop',
				action: 'Stop a recording',
				description: 'End the recording for good. RecordingStateChanged (inactive) follows.',
			},
		],
		default: 'start',
	},
	...del.description,
	...download.description,
	...getState.description,
	...pause.description,
	...resume.description,
	...start.description,
	...stop.description,
];
