/** Media > Start Continuous DTMF: reports every key a participant presses, one event per key (POST …:startContinuousDtmfRecognition). */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { showFor } from '../../helpers/displayOptions';
import { participantAction, participantActionFields } from './participantAction';

const fields = participantActionFields(
	'The participant whose key presses are reported: phone number (+14255550100) or ACS user ID (8:acs:…)',
);

export const description = showFor(
	{ resource: ['media'], operation: ['startContinuousDtmf'] },
	fields,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return await participantAction(
		this,
		itemIndex,
		'startContinuousDtmf',
		'startContinuousDtmfRecognition',
		['ContinuousDtmfRecognitionToneReceived', 'ContinuousDtmfRecognitionToneFailed'],
	);
}
