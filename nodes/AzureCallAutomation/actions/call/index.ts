import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as hangUp from './hangUp.operation';

export { create, hangUp };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['call'] } },
		options: [
			{ name: 'Create', value: 'create', action: 'Create a call', description: 'Call one or more phone numbers or users' },
			{ name: 'Hang Up', value: 'hangUp', action: 'Hang up a call', description: 'End the call, or leave it' },
		],
		default: 'create',
	},
	...create.description,
	...hangUp.description,
];
