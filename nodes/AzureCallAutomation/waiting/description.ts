/** The Wait for Outcome fields, shown on every operation whose result arrives later as an event. */
import type { INodeProperties } from 'n8n-workflow';
import { WAITABLE } from './outcomes';

const resources = Object.keys(WAITABLE);
const operations = [...new Set(Object.values(WAITABLE).flat())];
const show = { resource: resources, operation: operations };

export const DEFAULT_TIME_LIMIT_S = 300;

export const waitFields: INodeProperties[] = [
	{
		displayName: 'Wait for Outcome',
		name: 'waitForOutcome',
		type: 'boolean',
		default: false,
		description:
			'Whether to pause the workflow until ACS reports how this step ended (call answered, audio finished, keys pressed …) and continue with that event, so a whole conversation fits in one workflow',
		displayOptions: { show },
	},
	{
		displayName:
			'The workflow continues with one item: the outcome event\'s fields (as the trigger gives them) plus <code>outcome</code> ("succeeded", "failed", "timedOut" or "callEnded") and <code>succeeded</code>. Branch with an IF on <code>{{ $json.succeeded }}</code>. Needs the ACS Resource ID in the credential, and one item per execution.',
		name: 'waitNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { ...show, waitForOutcome: [true] } },
	},
	{
		displayName: 'Time Limit (Seconds)',
		name: 'waitTimeLimit',
		type: 'number',
		typeOptions: { minValue: 5, maxValue: 86400 },
		default: DEFAULT_TIME_LIMIT_S,
		description: 'How long to wait for the outcome before continuing with outcome "timedOut"',
		displayOptions: { show: { ...show, waitForOutcome: [true] } },
	},
];
