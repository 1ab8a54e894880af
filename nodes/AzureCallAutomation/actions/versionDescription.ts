/** The node's description: resource selector, each resource's operations and fields. */
import type { INodeTypeDescription } from 'n8n-workflow';

import { CREDENTIAL_NAME } from '../transport';
import { requestOptionsField } from '../descriptions/requestOptions';
import * as call from './call';
import * as media from './media';
import * as participant from './participant';
import * as recording from './recording';

export const versionDescription: INodeTypeDescription = {
	displayName: 'Azure Call Automation',
	name: 'azureCallAutomation',
	icon: 'file:acs.svg',
	group: ['output'],
	version: 1,
	subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
	description:
		'Place and control phone calls with Azure Communication Services: call, play audio, collect key presses, add or remove participants, record',
	defaults: { name: 'Azure Call Automation' },
	// The string form works in every n8n line (NodeConnectionTypes only exists in newer ones).
	inputs: ['main'] as INodeTypeDescription['inputs'],
	outputs: ['main'] as INodeTypeDescription['outputs'],
	usableAsTool: true,
	credentials: [{ name: CREDENTIAL_NAME, required: true, testedBy: 'acsConnectionTest' }],
	properties: [
		{
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Call', value: 'call', description: 'Start, answer, transfer or end calls' },
				{ name: 'Media', value: 'media', description: 'Play audio or speech, collect key presses, hold' },
				{ name: 'Participant', value: 'participant', description: 'Add, remove, list or mute people on a call' },
				{ name: 'Recording', value: 'recording', description: 'Record a call' },
			],
			default: 'call',
		},
		...call.description,
		...media.description,
		...participant.description,
		...recording.description,
		requestOptionsField,
	],
};
