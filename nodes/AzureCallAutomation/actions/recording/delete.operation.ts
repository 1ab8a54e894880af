/** Recording > Delete: deletes a recording file from ACS storage (the deleteLocation of RecordingFileStatusUpdated). */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { showFor } from '../../helpers/displayOptions';
import { requiredString } from '../../helpers/params';
import { readAll, recordingFileRequest } from '../../transport/recordingFile';

const fields: INodeProperties[] = [
	{
		displayName: 'Delete Location',
		name: 'deleteLocation',
		type: 'string',
		required: true,
		default: '={{ $json.deleteLocation }}',
		description:
			'The deleteLocation of a RecordingFileStatusUpdated event (from the Azure Call Automation Trigger)',
	},
];

export const description = showFor({ resource: ['recording'], operation: ['delete'] }, fields);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const deleteLocation = requiredString(this, 'deleteLocation', itemIndex, 'Delete Location');
	const response = await recordingFileRequest(this, {
		method: 'DELETE',
		url: deleteLocation,
		label: 'Delete Location',
		itemIndex,
	});
	await readAll(response.body);
	return { deleteLocation, deleted: true };
}
