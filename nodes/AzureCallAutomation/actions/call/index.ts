import type { INodeProperties } from 'n8n-workflow';

import * as answer from './answer.operation';
import * as connect from './connect.operation';
import * as create from './create.operation';
import * as get from './get.operation';
import * as hangUp from './hangUp.operation';
import * as redirect from './redirect.operation';
import * as reject from './reject.operation';
import * as transfer from './transfer.operation';

export { answer, connect, create, get, hangUp, redirect, reject, transfer };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['call'] } },
		options: [
			{
				name: 'Answer',
				value: 'answer',
				action: 'Answer a call',
				description: 'Pick up an incoming call',
			},
			{
				name: 'Connect',
				value: 'connect',
				action: 'Connect to a call',
				description: 'Join a room, group call or server call by its ID',
			},
			{
				name: 'Create',
				value: 'create',
				action: 'Create a call',
				description: 'Call one or more phone numbers or users',
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get a call',
				description: "Read a call's current state and participants",
			},
			{
				name: 'Hang Up',
				value: 'hangUp',
				action: 'Hang up a call',
				description: 'End the call, or leave it',
			},
			{
				name: 'Redirect',
				value: 'redirect',
				action: 'Redirect a call',
				description: 'Send an incoming call to someone else without answering it',
			},
			{
				name: 'Reject',
				value: 'reject',
				action: 'Reject a call',
				description: 'Decline an incoming call',
			},
			{
				name: 'Transfer',
				value: 'transfer',
				action: 'Transfer a call',
				description: 'Hand an answered call over to someone else',
			},
		],
		default: 'create',
	},
	...answer.description,
	...connect.description,
	...create.description,
	...get.description,
	...hangUp.description,
	...redirect.description,
	...reject.description,
	...transfer.description,
];
