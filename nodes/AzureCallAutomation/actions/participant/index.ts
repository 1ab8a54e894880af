import type { INodeProperties } from 'n8n-workflow';

import * as add from './add.operation';
import * as cancelAdd from './cancelAdd.operation';
import * as get from './get.operation';
import * as list from './list.operation';
import * as move from './move.operation';
import * as mute from './mute.operation';
import * as remove from './remove.operation';

export { add, cancelAdd, get, list, move, mute, remove };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['participant'] } },
		options: [
			{
				name: 'Add',
				value: 'add',
				action: 'Add a participant',
				description:
					'Invite a phone number or user into a connected call. Returns an invitationId; the trigger then receives AddParticipantSucceeded (or AddParticipantFailed) and ParticipantsUpdated.',
			},
			{
				name: 'Cancel Add',
				value: 'cancelAdd',
				action: 'Cancel adding a participant',
				description:
					'Withdraw an invitation that is still ringing, using the invitationId from Add. The trigger then receives CancelAddParticipantSucceeded (or CancelAddParticipantFailed if it was already answered).',
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get a participant',
				description: 'Look up one participant of a call: whether they are muted or on hold',
			},
			{
				name: 'Get Many',
				value: 'list',
				action: 'Get many participants',
				description:
					'List everyone in a call, one item per participant (rawId, kind, phone number, muted, on hold)',
			},
			{
				name: 'Move',
				value: 'move',
				action: 'Move participants from another call',
				description:
					'Bring participants over from another call of this resource. The trigger then receives MoveParticipantSucceeded (or MoveParticipantFailed) and ParticipantsUpdated.',
			},
			{
				name: 'Mute',
				value: 'mute',
				action: 'Mute a participant',
				description:
					"Mute one participant's microphone. The trigger then receives ParticipantsUpdated with isMuted true.",
			},
			{
				name: 'Remove',
				value: 'remove',
				action: 'Remove a participant',
				description:
					'Take someone out of a call. The trigger then receives RemoveParticipantSucceeded (or RemoveParticipantFailed) and ParticipantsUpdated.',
			},
		],
		default: 'add',
	},
	...add.description,
	...cancelAdd.description,
	...get.description,
	...list.description,
	...move.description,
	...mute.description,
	...remove.description,
];
