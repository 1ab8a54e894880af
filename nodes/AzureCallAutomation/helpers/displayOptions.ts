import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

/**
 * Adds `displayOptions` to each field of an operation (merging `show` with any the field has).
 * Our own copy: `updateDisplayOptions` is not exported by every n8n-workflow 1.x.
 */
export function showFor(
	show: NonNullable<IDisplayOptions['show']>,
	fields: INodeProperties[],
): INodeProperties[] {
	return fields.map((field) => ({
		...field,
		displayOptions: {
			...field.displayOptions,
			show: { ...show, ...field.displayOptions?.show },
		},
	}));
}
