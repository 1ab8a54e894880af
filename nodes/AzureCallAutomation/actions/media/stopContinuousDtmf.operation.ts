/** Media > Stop Continuous DTMF: stops reporting a participant's key presses (POST …:stopContinuousDtmfRecognition). */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { additionalFieldsCollection, callConnectionIdField } from '../../descriptions/common';
import { showFor } from '../../helpers/displayOptions';
import { contextFields, participantAction, targetParticipantField } from './shared';

const fields: INodeProperties[] = [
	callConnectionIdField,
	targetParticipantField('The participant whose key presses should no longer be reported: phone number (+14255550100) or ACS user ID (8:acs:…)'),
	additionalFieldsCollection(contextFields),
];

export const description = showFor({ resource: ['media'], operation: ['stopContinuousDtmf'] }, fields);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return await participantAction(this, itemIndex, 'stopContinuousDtmf', 'stopContinuousDtmfRecognition', [
		'ContinuousDtmfRecognitionStopped',
	]);
}
