/** Media > Send DTMF: presses phone keys towards a participant, e.g. to navigate another company's menu (POST …:sendDtmfTones). */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { additionalFieldsCollection, callConnectionIdField } from '../../descriptions/common';
import { showFor } from '../../helpers/displayOptions';
import { contextFields, participantAction, targetParticipantField } from './participantAction';
import { parseTones } from './tones';

const MAX_TONES = 18;

const fields: INodeProperties[] = [
	callConnectionIdField,
	{
		displayName: 'Keys',
		name: 'tones',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 12#*',
		description: `Phone keys to press, in order: digits 0-9, A-D, # and * (up to ${MAX_TONES})`,
	},
	targetParticipantField(
		'Who hears the key tones: phone number (+14255550100) or ACS user ID (8:acs:…)',
	),
	additionalFieldsCollection(contextFields),
];

export const description = showFor({ resource: ['media'], operation: ['sendDtmf'] }, fields);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const tones = parseTones(
		this,
		this.getNodeParameter('tones', itemIndex, ''),
		itemIndex,
		'Keys',
		MAX_TONES,
	);
	return await participantAction(
		this,
		itemIndex,
		'sendDtmf',
		'sendDtmfTones',
		['SendDtmfTonesCompleted', 'SendDtmfTonesFailed'],
		() => ({ tones }),
		{ repeatable: true },
	);
}
