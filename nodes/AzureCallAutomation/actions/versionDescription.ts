/**
 * The node's fields: resource selector, each resource's operations and fields. The rest of the
 * description (name, icon, credentials) is in AzureCallAutomation.node.ts, where n8n's community
 * lint reads it.
 */
import type { INodeProperties } from 'n8n-workflow';

import { requestOptionsField } from '../descriptions/requestOptions';
import { mergeSharedFields } from '../descriptions/sharedFields';
import * as call from './call';
import * as media from './media';
import * as participant from './participant';
import * as recording from './recording';
import { waitFields } from '../waiting/description';

/** As declared per operation; n8n gets `properties`, with the fields many operations share given once. */
export const declaredProperties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Call', value: 'call', description: 'Start, answer, transfer or end calls' },
			{
				name: 'Media',
				value: 'media',
				description: 'Play audio or speech, collect key presses, hold',
			},
			{
				name: 'Participant',
				value: 'participant',
				description: 'Add, remove, list or mute people on a call',
			},
			{ name: 'Recording', value: 'recording', description: 'Record a call' },
		],
		default: 'call',
	},
	...call.description,
	...media.description,
	...participant.description,
	...recording.description,
	...waitFields,
	requestOptionsField,
];

export const properties: INodeProperties[] = mergeSharedFields(declaredProperties);

/** The canvas subtitle: the operation's own name ("Collect Input"), not its internal value. */
function operationNames(): Record<string, string> {
	const names: Record<string, string> = {};
	const resources = (properties[0].options ?? []) as Array<{ name: string; value: string }>;
	const resourceName = (value: string) => resources.find((r) => r.value === value)?.name ?? value;
	for (const property of properties) {
		if (property.name !== 'operation') continue;
		for (const resource of (property.displayOptions?.show?.resource ?? []) as string[]) {
			for (const option of (property.options ?? []) as Array<{ name: string; value: string }>) {
				// Media operations name themselves ("Collect Input"); others read with their resource ("Call: Create").
				names[`${resource}:${option.value}`] =
					resource === 'media' ? option.name : `${resourceName(resource)}: ${option.name}`;
			}
		}
	}
	return names;
}

export const subtitle = `={{ (${JSON.stringify(operationNames())})[$parameter["resource"] + ":" + $parameter["operation"]] || $parameter["operation"] }}`;
