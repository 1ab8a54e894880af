/** Call > Reject: declines an incoming call (POST /calling/callConnections:reject). */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { showFor } from '../../helpers/displayOptions';
import { fail, requiredString } from '../../helpers/params';
import { acsRequest } from '../../transport';
import { incomingCallContextField } from './answer.operation';

const REASONS = ['none', 'busy', 'forbidden'];

const fields: INodeProperties[] = [
	incomingCallContextField,
	{
		displayName: 'Reason',
		name: 'reason',
		type: 'options',
		options: [
			{ name: 'Busy', value: 'busy', description: 'The caller hears a busy signal' },
			{ name: 'Forbidden', value: 'forbidden', description: 'The call is refused as not allowed' },
			{ name: 'None', value: 'none', description: 'Decline without a specific reason' },
		],
		default: 'none',
		description: 'Why the call is declined, as signalled to the caller',
	},
];

export const description = showFor({ resource: ['call'], operation: ['reject'] }, fields);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const incomingCallContext = requiredString(
		this,
		'incomingCallContext',
		itemIndex,
		'Incoming Call Context',
	);
	const reason =
		String(this.getNodeParameter('reason', itemIndex, 'none') ?? 'none').trim() || 'none';
	if (!REASONS.includes(reason)) {
		fail(this, itemIndex, `Reason "${reason}" is not valid`, `Use one of: ${REASONS.join(', ')}.`);
	}
	await acsRequest.call(this, {
		method: 'POST',
		path: '/calling/callConnections:reject',
		body: { incomingCallContext, callRejectReason: reason },
		repeatable: true,
		itemIndex,
	});
	return { rejected: true, reason };
}
