/** Custom calling context (SIP User-to-User and X- headers, VoIP headers) for Add Participant and Transfer. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { fail } from '../helpers/params';
import { hasControlCharacter } from '../../../acs/pathSegment';

export const customCallingContextField: INodeProperties = {
	displayName: 'Custom Calling Context',
	name: 'customCallingContext',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	default: {},
	placeholder: 'Add Header',
	description:
		'Headers sent with the invitation: SIP headers reach phone targets (e.g. a contact centre), VoIP headers reach ACS and Teams users',
	options: [
		{
			displayName: 'Header',
			name: 'headers',
			values: [
				{
					displayName: 'Kind',
					name: 'kind',
					type: 'options',
					options: [
						{ name: 'SIP User-to-User (UUI)', value: 'sipUui' },
						{ name: 'SIP X-MS-Custom- Header', value: 'sipCustom' },
						{ name: 'SIP X- Header', value: 'sipX' },
						{ name: 'VoIP Header', value: 'voip' },
					],
					default: 'sipCustom',
				},
				{
					displayName: 'Name',
					name: 'key',
					type: 'string',
					default: '',
					placeholder: 'e.g. CaseId',
					description:
						'Letters, digits and hyphens; the prefix (X-MS-Custom- or X-) is added for SIP headers. Not used for UUI.',
				},
				{
					displayName: 'Value',
					name: 'value',
					type: 'string',
					default: '',
				},
			],
		},
	],
};

const HEADER_NAME = /^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/;
const MAX_VALUE = 1024;

/** The request's customCallingContext as the SDK builds it; header names and values checked (they become SIP headers). */
export function customCallingContext(
	ctx: IExecuteFunctions,
	raw: unknown,
	itemIndex: number,
): IDataObject {
	const sipHeaders: IDataObject = {};
	const voipHeaders: IDataObject = {};
	const headers = ((raw as IDataObject | undefined)?.headers ?? []) as IDataObject[];
	for (const header of headers) {
		const kind = String(header.kind ?? 'sipCustom');
		const key = String(header.key ?? '').trim();
		const value = String(header.value ?? '');
		if (hasControlCharacter(value) || value.length > MAX_VALUE) {
			fail(
				ctx,
				itemIndex,
				`Custom Calling Context: the value of ${key || 'User-to-User'} must be at most ${MAX_VALUE} characters without line breaks or control characters`,
			);
		}
		if (kind === 'sipUui') {
			sipHeaders['User-To-User'] = value;
			continue;
		}
		if (!HEADER_NAME.test(key)) {
			fail(
				ctx,
				itemIndex,
				`Custom Calling Context: header name "${key}" must be letters, digits and hyphens (at most 64)`,
			);
		}
		if (kind === 'voip') voipHeaders[key] = value;
		else sipHeaders[`${kind === 'sipX' ? 'X-' : 'X-MS-Custom-'}${key}`] = value;
	}
	return { voipHeaders, sipHeaders };
}
