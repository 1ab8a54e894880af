/** Media > Cancel All Media Operations: stops the playing audio and any input collection (POST …:cancelAllMediaOperations). */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { callConnectionIdField } from '../../descriptions/common';
import { errorIfEndedField, tidyUp } from '../../helpers/alreadyEnded';
import { showFor } from '../../helpers/displayOptions';
import { acsRequest } from '../../transport';
import { callConnectionIdOf, callPath } from '../../helpers/callConnection';

const fields: INodeProperties[] = [callConnectionIdField, errorIfEndedField];

export const description = showFor({ resource: ['media'], operation: ['cancelAll'] }, fields);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const callConnectionId = callConnectionIdOf(this, itemIndex);
	const result = {
		callConnectionId,
		operation: 'cancelAll',
		canceled: true,
		expectedEvents: ['PlayCanceled', 'RecognizeCanceled'],
	};
	return await tidyUp(
		this,
		itemIndex,
		async () => {
			const response = (await acsRequest.call(this, {
				method: 'POST',
				path: `${callPath(callConnectionId)}:cancelAllMediaOperations`,
				itemIndex,
			})) as IDataObject;
			return { ...result, ...response };
		},
		{ ...result, canceled: false, expectedEvents: [] },
	);
}
