/** Phone keys in media fields: the key options of Collect Input and the keys typed for Send DTMF. */
import type { IExecuteFunctions, INodePropertyOptions } from 'n8n-workflow';

import { fail } from '../../helpers/params';
import { TONE_BY_KEY, toneOfKey } from '../../helpers/tones';

/** One option per phone key, labelled with the key itself ("#", "*", "0"…). */
export const TONE_OPTIONS: INodePropertyOptions[] = Object.entries(TONE_BY_KEY)
	.map(([key, value]) => ({ name: key, value }))
	.sort((a, b) => a.name.localeCompare(b.name));

/** "12#*" (spaces and commas allowed) → ['one', 'two', 'pound', 'asterisk']. */
export function parseTones(
	ctx: IExecuteFunctions,
	value: unknown,
	itemIndex: number,
	label: string,
	max: number,
): string[] {
	const text = String(value ?? '').replace(/[\s,]/g, '');
	if (text === '')
		fail(
			ctx,
			itemIndex,
			`${label} is empty`,
			'Enter the keys to press, e.g. 12#* (digits 0-9, A-D, # and *).',
		);
	const tones = [...text].map((ch) => {
		const tone = toneOfKey(ch);
		if (!tone) {
			fail(
				ctx,
				itemIndex,
				`${label} contains "${ch}", which is not a phone key`,
				'Use only the digits 0-9, the letters A-D, # and *.',
			);
		}
		return tone;
	});
	if (tones.length > max)
		fail(ctx, itemIndex, `${label} has ${tones.length} keys; at most ${max} can be sent at once`);
	return tones;
}
