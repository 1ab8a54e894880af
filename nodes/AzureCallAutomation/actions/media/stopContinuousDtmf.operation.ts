/** Media > Stop Continuous DTMF: stops reporting a participant's key presses (POST …:stopContinuousDtmfRecognition). */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { errorIfEndedField, tidyUp } from '../../helpers/alreadyEnded';
import { showFor } from '../../helpers/displayOptions';
import { callConnectionIdOf } from '../../helpers/callConnection';
import { participantAction, participantActionFields } from './participantAction';

const fields = participantActionFields(
	'The participant whose key presses should no longer be reported: phone number (+14255550100) or ACS user ID (8:acs:…)',
);

export const description = showFor({ resource: ['media'], operation: ['stopContinuousDtmf'] }, [
	...fields,
	errorIfEndedField,
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const callConnectionId = callConnectionIdOf(this, itemIndex);
	return await tidyUp(
		this,
		itemIndex,
		async () =>
			await participantAction(
				this,
				itemIndex,
				'stopContinuousDtmf',
				'stopContinuousDtmfRecognition',
				['ContinuousDtmfRecognitionStopped'],
			),
		{ callConnectionId, operation: 'stopContinuousDtmf' },
	);
}
