/** Media > Hold: puts a participant on hold, optionally with music (POST …:hold). */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { additionalFieldsCollection, callConnectionIdField } from '../../descriptions/common';
import { showFor } from '../../helpers/displayOptions';
import { optionalUrl } from '../../helpers/params';
import { contextFields, participantAction, targetParticipantField } from './participantAction';
import { fileSource } from './sources';

const fields: INodeProperties[] = [
	callConnectionIdField,
	targetParticipantField(
		'The participant to put on hold: phone number (+14255550100) or ACS user ID (8:acs:…)',
	),
	additionalFieldsCollection([
		{
			displayName: 'Music on Hold URL',
			name: 'musicOnHoldUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://example.com/audio/hold.wav',
			description: 'WAV file (mono, 16-bit PCM, 16 kHz) played to the participant while on hold',
		},
		...contextFields,
	]),
];

export const description = showFor({ resource: ['media'], operation: ['hold'] }, fields);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const extra = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const music = optionalUrl(this, extra.musicOnHoldUrl, itemIndex, 'Music on Hold URL');
	const result = await participantAction(
		this,
		itemIndex,
		'hold',
		'hold',
		['ParticipantsUpdated', 'HoldFailed'],
		() => ({
			playSourceInfo: music === undefined ? undefined : fileSource(music),
		}),
	);
	return { ...result, onHold: true, ...(music === undefined ? {} : { musicOnHoldUrl: music }) };
}
