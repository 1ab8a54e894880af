/** Call > Redirect: sends an incoming call to someone else without answering it (POST …:redirect). */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { showFor } from '../../helpers/displayOptions';
import { identifier, requiredString } from '../../helpers/params';
import { acsRequest } from '../../transport';
import { incomingCallContextField } from './answer.operation';

const fields: INodeProperties[] = [
	incomingCallContextField,
	{
		displayName: 'Target',
		name: 'target',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. +14255550100 or 8:acs:…',
		description:
			'Where the call rings instead: a phone number in E.164 format, an ACS user ID (8:acs:…), a Teams user ID (8:orgid:…) or a Teams app ID (28:orgid:…)',
	},
];

export const description = showFor({ resource: ['call'], operation: ['redirect'] }, fields);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const incomingCallContext = requiredString(
		this,
		'incomingCallContext',
		itemIndex,
		'Incoming Call Context',
	);
	const target = identifier(
		this,
		this.getNodeParameter('target', itemIndex, ''),
		itemIndex,
		'Target',
	);
	await acsRequest.call(this, {
		method: 'POST',
		path: '/calling/callConnections:redirect',
		body: { incomingCallContext, target },
		repeatable: true,
		itemIndex,
	});
	return { redirected: true, target: target.rawId };
}
