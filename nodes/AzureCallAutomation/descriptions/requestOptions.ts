import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

/** Items Sent at Once: the default, and the most a run may have in flight. */
export const DEFAULT_CONCURRENCY = 16;
export const MAX_CONCURRENCY = 256;

/** Operations whose request carries Repeatability-Request-ID (as the SDK sends them): a re-run can reuse it. */
const REPEATABLE_OPERATIONS = [
	'create',
	'answer',
	'connect',
	'redirect',
	'reject',
	'transfer',
	'hangUp',
	'add',
	'remove',
	'mute',
	'cancelAdd',
	'move',
	'sendDtmf',
	'start',
];

/** Node-wide settings shown under every operation. */
export const requestOptionsField: INodeProperties = {
	displayName: 'Request Options',
	name: 'requestOptions',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Items Sent at Once',
			name: 'concurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY },
			default: DEFAULT_CONCURRENCY,
			description:
				'Most input items sent to ACS in parallel. When ACS throttles (429/503) the node halves how many it sends at once and grows back on success, so this is a ceiling.',
		},
		{
			displayName: 'Max Requests per Second',
			name: 'maxRequestsPerSecond',
			type: 'number',
			typeOptions: { minValue: 0, numberPrecision: 2 },
			default: 0,
			description:
				'Ceiling on requests this node starts per second, retries included (for Create Call: calls placed per second). 0 = no ceiling. ACS publishes no Call Automation rate table and limits differ per resource; by default a number can have 2 concurrent outbound PSTN calls.',
		},
		{
			displayName: 'Repeatability First Sent',
			name: 'repeatabilityFirstSent',
			type: 'string',
			default: '',
			placeholder: 'e.g. {{ $json.repeatabilityFirstSent }}',
			displayOptions: { show: { '/operation': REPEATABLE_OPERATIONS } },
			description:
				'With Repeatability Request ID: when the earlier attempt was first sent (HTTP date, e.g. "Tue, 03 Jun 2025 10:15:00 GMT"), from its error item',
		},
		{
			displayName: 'Repeatability Request ID',
			name: 'repeatabilityRequestId',
			type: 'string',
			default: '',
			placeholder: 'e.g. {{ $json.repeatabilityRequestId }}',
			displayOptions: { show: { '/operation': REPEATABLE_OPERATIONS } },
			description:
				'To re-run an item whose outcome was unknown without doing it twice: the repeatabilityRequestId of its error item. Within 5 minutes of First Sent ACS returns the original result if it was carried out, and carries it out once if not.',
		},
		{
			displayName: 'Retry Budget (Seconds)',
			name: 'retryBudget',
			type: 'number',
			typeOptions: { minValue: 0, numberPrecision: 1 },
			// DEFAULT_RETRY_BUDGET_MS; a literal, as n8n's lint wants.
			default: 120,
			description:
				'How long one request keeps being retried while ACS throttles (429), is unavailable (503) or the connection fails. Then the item fails, with outcome "unknown" if an attempt may have been carried out.',
		},
		{
			displayName: 'Slow Down When Throttled',
			name: 'adaptiveConcurrency',
			type: 'boolean',
			default: true,
			description:
				'Whether to send fewer items at once when ACS throttles and more again as requests succeed. Off: always Items Sent at Once. A Retry-After from ACS pauses all sending either way.',
		},
	],
};

/** Items Sent at Once, as the run uses it: a whole number from 1 to MAX_CONCURRENCY. */
export function itemsAtOnce(ctx: IExecuteFunctions): number {
	const requested = Number(
		ctx.getNodeParameter('requestOptions.concurrency', 0, DEFAULT_CONCURRENCY),
	);
	return Math.max(
		1,
		Math.min(
			MAX_CONCURRENCY,
			Number.isFinite(requested) ? Math.floor(requested) : DEFAULT_CONCURRENCY,
		),
	);
}
