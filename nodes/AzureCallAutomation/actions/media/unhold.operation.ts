/** Media > Unhold: takes a participant off hold (POST …:unhold). */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { showFor } from '../../helpers/displayOptions';
import { participantAction, participantActionFields } from './participantAction';

const fields = participantActionFields(
	'The participant to take off hold: phone number (+14255550100) or ACS user ID (8:acs:…)',
);

export const description = showFor({ resource: ['media'], operation: ['unhold'] }, fields);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const result = await participantAction(this, itemIndex, 'unhold', 'unhold', [
		'ParticipantsUpdated',
	]);
	return { ...result, onHold: false };
}
