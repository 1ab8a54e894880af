/** Participant > Get Many: everyone in a call, one item each, following every page (GET …/participants). */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { callConnectionIdField } from '../../descriptions/common';
import { callConnectionIdOf } from '../../helpers/callConnection';
import { showFor } from '../../helpers/displayOptions';
import { boundedInteger } from '../../helpers/params';
import { acsRequestAllPages } from '../../transport';
import { participantItem, participantPath } from './output';

const fields: INodeProperties[] = [
	callConnectionIdField,
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

export const description = showFor({ resource: ['participant'], operation: ['list'] }, fields);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const callConnectionId = callConnectionIdOf(this, itemIndex);
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll
		? undefined
		: (boundedInteger(
				this,
				this.getNodeParameter('limit', itemIndex, 50),
				itemIndex,
				'Limit',
				1,
				Number.MAX_SAFE_INTEGER,
			) ?? 50);
	const participants = (await acsRequestAllPages.call(
		this,
		{ method: 'GET', path: participantPath(callConnectionId), itemIndex },
		limit,
	)) as IDataObject[];
	return participants.map((participant) => participantItem(callConnectionId, participant));
}
