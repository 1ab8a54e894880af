/** Recording > Stop: ends a recording for good (DELETE /calling/recordings/{id}). */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { errorIfEndedField, tidyUp } from '../../helpers/alreadyEnded';
import { showFor } from '../../helpers/displayOptions';
import { requiredId } from '../../helpers/params';
import { recordingIdField, recordingRequest } from './shared';

export const description = showFor({ resource: ['recording'], operation: ['stop'] }, [
	recordingIdField,
	errorIfEndedField,
] as INodeProperties[]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	// A recording ends with its call: stopping one that is already over has nothing left to do.
	const recordingId = requiredId(this, 'recordingId', itemIndex, 'Recording ID');
	return await tidyUp(
		this,
		itemIndex,
		async () => {
			await recordingRequest(this, itemIndex, 'DELETE');
			return { recordingId, stopped: true };
		},
		{ recordingId, stopped: true },
	);
}
