/** What a play or a prompt plays: audio files, text or SSML, as the SDK builds play sources. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { absoluteUrl, compact, fail, optionalString } from '../../helpers/params';

/** The neural voice used when none is chosen (Play Text, Collect Input's spoken prompt). */
export const DEFAULT_VOICE = 'en-US-NancyNeural';

export function fileSource(uri: string, playSourceCacheId?: string): IDataObject {
	return compact({ kind: 'file', file: { uri }, playSourceCacheId });
}

export function textSource(text: IDataObject, playSourceCacheId?: string): IDataObject {
	return compact({ kind: 'text', text: compact(text), playSourceCacheId });
}

export function ssmlSource(ssml: IDataObject, playSourceCacheId?: string): IDataObject {
	return compact({ kind: 'ssml', ssml: compact(ssml), playSourceCacheId });
}

/** One or more audio file URLs (comma or new line separated, or an array from an expression). */
export function audioUrls(
	ctx: IExecuteFunctions,
	value: unknown,
	itemIndex: number,
	label: string,
): string[] {
	const parts = (Array.isArray(value) ? value : String(value ?? '').split(/[,\n]/))
		.map((part) => String(part ?? '').trim())
		.filter((part) => part !== '');
	if (parts.length === 0)
		fail(
			ctx,
			itemIndex,
			`${label} is empty`,
			'Enter the URL of a WAV file, e.g. https://example.com/audio/welcome.wav.',
		);
	if (parts.length > 10)
		fail(
			ctx,
			itemIndex,
			`${label} has ${parts.length} URLs; at most 10 can be played in one action`,
		);
	return parts.map((part, n) =>
		absoluteUrl(ctx, part, itemIndex, parts.length > 1 ? `${label} #${n + 1}` : label),
	);
}

export function playSourceCacheId(
	ctx: IExecuteFunctions,
	itemIndex: number,
	sourceCount: number,
): string | undefined {
	const extra = ctx.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const id = optionalString(extra.playSourceCacheId);
	if (id !== undefined && sourceCount > 1) {
		fail(
			ctx,
			itemIndex,
			'Play Source Cache ID works with one audio URL only',
			'Remove the cache ID or play one URL per action.',
		);
	}
	return id;
}
