/** Collect Input's Additional Fields (timeouts, barge-in, speech settings, stop keys) and the recognizeOptions they become. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import {
	additionalFieldsCollection,
	operationCallbackUrlField,
	operationContextField,
} from '../../descriptions/common';
import type { IdentifierModel } from '../../../../acs/identifiers';
import { boundedInteger, compact, fail, optionalString } from '../../helpers/params';
import { TONE_OPTIONS } from './tones';

export const WITH_DTMF = ['dtmf', 'speechOrDtmf'];
export const WITH_SPEECH = ['speech', 'speechOrDtmf', 'choices'];
export const SPEECH = ['speech', 'speechOrDtmf'];
/**
 * How long a pause ends the caller's turn. Every turn waits at least this long after the caller stops,
 * so it is the largest fixed cost of a spoken turn: 1000 ms (Microsoft's OpenAI voice sample) keeps a
 * conversation lively; the SDK's 2000 ms suits callers who pause mid-sentence (reading out a number).
 */
export const DEFAULT_END_SILENCE_MS = 1000;

export const recognizeOptionsCollection = additionalFieldsCollection([
	{
		displayName: 'End Silence Timeout (Ms)',
		name: 'endSilenceTimeoutInMs',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 60000 },
		default: DEFAULT_END_SILENCE_MS,
		description:
			'Pause, in milliseconds, that ends what the caller says. Shorter answers sooner but may cut off a caller who pauses mid-sentence; 2000 suits reading out numbers.',
		displayOptions: { show: { '/inputType': SPEECH } },
	},
	{
		displayName: 'Initial Silence Timeout (Seconds)',
		name: 'initialSilenceTimeoutInSeconds',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 300 },
		default: 5,
		description:
			'How long to wait for the caller to start; then RecognizeFailed arrives (code 8510)',
	},
	{
		displayName: 'Inter-Key Timeout (Seconds)',
		name: 'interToneTimeoutInSeconds',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 60 },
		default: 2,
		description: 'How long to wait between two key presses before ending collection',
		displayOptions: { show: { '/inputType': WITH_DTMF } },
	},
	{
		displayName: 'Interrupt Current Media',
		name: 'interruptCallMediaOperation',
		type: 'boolean',
		default: false,
		description: 'Whether to stop any audio or input collection already running on the call first',
	},
	{
		displayName: 'Interrupt Prompt',
		name: 'interruptPrompt',
		type: 'boolean',
		default: true,
		description:
			'Whether the caller can cut the prompt short by pressing a key or speaking (barge-in). When not added: on for Speech and Speech or Key Presses, off otherwise.',
	},
	operationCallbackUrlField,
	{
		...operationContextField,
		description:
			'Your own label, echoed back in RecognizeCompleted / RecognizeFailed so the trigger can tell which question was answered. Empty: a random ID is used and returned in the output.',
	},
	{
		displayName: 'Speech Language',
		name: 'speechLanguage',
		type: 'string',
		default: '',
		placeholder: 'e.g. en-US',
		description: 'Language the caller speaks',
		displayOptions: { show: { '/inputType': WITH_SPEECH } },
	},
	{
		displayName: 'Speech Model Endpoint ID',
		name: 'speechRecognitionModelEndpointId',
		type: 'string',
		default: '',
		description: 'Endpoint ID of a custom Azure AI speech model',
		displayOptions: { show: { '/inputType': WITH_SPEECH } },
	},
	{
		displayName: 'Stop Keys',
		name: 'stopTones',
		type: 'multiOptions',
		options: TONE_OPTIONS,
		default: [],
		description:
			'Keys that end collection early (e.g. # after an account number); they are not included in the result',
		displayOptions: { show: { '/inputType': WITH_DTMF } },
	},
]);

function choicesOf(ctx: IExecuteFunctions, itemIndex: number): IDataObject[] {
	const raw = ctx.getNodeParameter('choices', itemIndex, {}) as { choice?: IDataObject[] };
	const list = raw.choice ?? [];
	if (list.length === 0)
		fail(
			ctx,
			itemIndex,
			'Choices is empty',
			'Add at least one choice with a label and the phrases that select it.',
		);
	return list.map((c, n) => {
		const label = optionalString(c.label);
		if (label === undefined) fail(ctx, itemIndex, `Choices #${n + 1}: Label is empty`);
		const phrases = (Array.isArray(c.phrases) ? c.phrases : String(c.phrases ?? '').split(','))
			.map((p) => String(p).trim())
			.filter((p) => p !== '');
		if (phrases.length === 0)
			fail(
				ctx,
				itemIndex,
				`Choices #${n + 1} ("${label}"): Phrases is empty`,
				'Enter the words a caller may say, separated by commas.',
			);
		return compact({ label, phrases, tone: optionalString(c.tone) });
	});
}

/** recognizeOptions as the SDK sends them: its defaults explicit, speech and DTMF options only for their input types. */
export function recognizeOptionsOf(
	ctx: IExecuteFunctions,
	itemIndex: number,
	inputType: string,
	extra: IDataObject,
	target: IdentifierModel,
): IDataObject {
	const dtmf = WITH_DTMF.includes(inputType);
	const speech = SPEECH.includes(inputType);
	const stopTones = ((extra.stopTones as string[] | undefined) ?? []).filter((t) => t !== '');
	return compact({
		// Barge-in by default for speech: a caller who answers over the prompt is heard, as on a human line.
		interruptPrompt:
			extra.interruptPrompt === undefined
				? speech
					? true
					: undefined
				: extra.interruptPrompt === true,
		// The SDK's defaults, sent explicitly as it does.
		initialSilenceTimeoutInSeconds:
			boundedInteger(
				ctx,
				extra.initialSilenceTimeoutInSeconds,
				itemIndex,
				'Initial Silence Timeout (Seconds)',
				1,
				300,
			) ?? 5,
		targetParticipant: target,
		speechLanguage: inputType === 'dtmf' ? undefined : optionalString(extra.speechLanguage),
		speechRecognitionModelEndpointId:
			inputType === 'dtmf' ? undefined : optionalString(extra.speechRecognitionModelEndpointId),
		dtmfOptions: dtmf
			? compact({
					interToneTimeoutInSeconds:
						boundedInteger(
							ctx,
							extra.interToneTimeoutInSeconds,
							itemIndex,
							'Inter-Key Timeout (Seconds)',
							1,
							60,
						) ?? 2,
					maxTonesToCollect: boundedInteger(
						ctx,
						ctx.getNodeParameter('maxTonesToCollect', itemIndex, 1),
						itemIndex,
						'Max Keys to Collect',
						1,
						100,
					),
					stopTones: stopTones.length > 0 ? stopTones : undefined,
				})
			: undefined,
		speechOptions: speech
			? {
					endSilenceTimeoutInMs:
						boundedInteger(
							ctx,
							extra.endSilenceTimeoutInMs,
							itemIndex,
							'End Silence Timeout (Ms)',
							1,
							60000,
						) ?? DEFAULT_END_SILENCE_MS,
				}
			: undefined,
		choices: inputType === 'choices' ? choicesOf(ctx, itemIndex) : undefined,
	} as IDataObject);
}
