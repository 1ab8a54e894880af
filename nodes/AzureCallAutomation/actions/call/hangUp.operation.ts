/** Call > Hang Up: leaves the call (DELETE), or ends it for everyone (POST …:terminate); a call already over is `alreadyEnded`. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { callConnectionIdField } from '../../descriptions/common';
import { callConnectionIdOf, callPath } from '../../helpers/callConnection';
import { errorIfEndedField, tidyUp } from '../../helpers/alreadyEnded';
import { showFor } from '../../helpers/displayOptions';
import { acsRequest } from '../../transport';

const fields: INodeProperties[] = [
	callConnectionIdField,
	{
		displayName: 'End Call for Everyone',
		name: 'forEveryone',
		type: 'boolean',
		default: true,
		description:
			'Whether to end the call for all participants. Off: only your application leaves and the others stay connected.',
	},
	errorIfEndedField,
];

export const description = showFor({ resource: ['call'], operation: ['hangUp'] }, fields);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const callConnectionId = callConnectionIdOf(this, itemIndex);
	const forEveryone = this.getNodeParameter('forEveryone', itemIndex, true) as boolean;
	const path = callPath(callConnectionId);
	const result = { callConnectionId, hungUp: true, forEveryone };
	// A call the other side already ended is hung up: the step's goal is reached.
	return await tidyUp(
		this,
		itemIndex,
		async () => {
			if (forEveryone) {
				await acsRequest.call(this, {
					method: 'POST',
					path: `${path}:terminate`,
					repeatable: true,
					itemIndex,
				});
			} else {
				await acsRequest.call(this, { method: 'DELETE', path, itemIndex });
			}
			return result;
		},
		result,
	);
}
