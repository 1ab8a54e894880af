/**
 * The item-path fast path of runParameter answers exactly what n8n's own engine answers, in both lines:
 * seeded random items and expressions (dot and bracket steps, odd spacing, near misses), each value read
 * both ways in one node run.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';

import { itemPath, runParameter } from '../../nodes/AzureCallAutomation/helpers/runParameter';
import { engineLabel, runNode } from '../harness/engine';
import { prng } from '../../emulator/prng';

class ReadBothWays implements INodeType {
	description = {
		displayName: 'Read Both Ways',
		name: 'readBothWays',
		group: ['transform'],
		version: 1,
		description: 'probe',
		defaults: { name: 'Read Both Ways' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [{ displayName: 'Value', name: 'value', type: 'string', default: '' }],
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		let n8nReads = 0;
		// runParameter sees a context whose getNodeParameter is counted, to tell the fast path from n8n's.
		const counted = new Proxy(this, {
			get: (target, key) => {
				if (key === 'getNodeParameter') {
					return (...args: Parameters<IExecuteFunctions['getNodeParameter']>) => {
						n8nReads++;
						return target.getNodeParameter(...args);
					};
				}
				const value = Reflect.get(target, key) as unknown;
				return typeof value === 'function'
					? (value as (...a: unknown[]) => unknown).bind(target)
					: value;
			},
		});
		const read = (fn: () => unknown): IDataObject => {
			try {
				return { value: fn() as IDataObject[string] };
			} catch (error) {
				return { error: (error as Error).message };
			}
		};
		return [
			this.getInputData().map((_, i) => {
				const before = n8nReads;
				const fast = read(() => runParameter(counted, 'value', i, ''));
				const direct = read(() => this.getNodeParameter('value', i, ''));
				return {
					json: { fast, direct, tookFastPath: n8nReads === before },
					pairedItem: { item: i },
				};
			}),
		];
	}
}

const KEYS = [
	'to',
	'phone',
	'a',
	'b c',
	'first name',
	'n',
	'x_1',
	'$d',
	'é',
	'constructor',
	'length',
];
type Gen = () => number;
const pick = <T>(r: Gen, list: readonly T[]): T => list[Math.floor(r() * list.length)];

function randomValue(r: Gen, depth: number): unknown {
	const kind = Math.floor(r() * (depth > 1 ? 7 : 9));
	switch (kind) {
		case 0:
			return pick(r, [
				'+14255550123',
				'',
				' spaced ',
				'={{ 1 + 1 }}',
				'{{ $json.to }}',
				'émoji 📞',
				'null',
				'0',
			]);
		case 1:
			return pick(r, [0, 1, -7, 3.25, 1e21, 2 ** 53 + 2, -0.5]);
		case 2:
			return r() < 0.5;
		case 3:
			return null;
		case 4:
			return [1, 'two'];
		case 5:
		case 6:
			return `s${Math.floor(r() * 1000)}`;
		default:
			return randomObject(r, depth + 1);
	}
}

function randomObject(r: Gen, depth: number): IDataObject {
	const out: IDataObject = {};
	// Top-level items carry most keys, so most paths lead somewhere.
	if (depth === 0)
		for (const key of KEYS) if (r() < 0.7) out[key] = randomValue(r, depth) as IDataObject[string];
	const count = 1 + Math.floor(r() * 4);
	for (let i = 0; i < count; i++) out[pick(r, KEYS)] = randomValue(r, depth) as IDataObject[string];
	return out;
}

function step(r: Gen, key: string): string {
	const sp = () => pick(r, ['', ' ', '  ']);
	if (/^[A-Za-z_$][\w$]*$/.test(key) && r() < 0.6) return `.${key}`;
	return r() < 0.5 ? `[${sp()}'${key}'${sp()}]` : `[${sp()}"${key}"${sp()}]`;
}

function randomExpression(r: Gen): string {
	const steps = Array.from({ length: r() < 0.6 ? 1 : 2 + Math.floor(r() * 2) }, () =>
		step(r, pick(r, KEYS)),
	).join('');
	const sp = () => pick(r, ['', ' ', '\t']);
	const form = Math.floor(r() * 10);
	// Mostly paths the fast path takes; the rest are near misses that must stay with n8n.
	if (form < 7) return `={{${sp()}$json${steps}${sp()}}}`;
	if (form === 7) return `={{ $json${steps}.toString() }}`;
	if (form === 8) return `=+{{ $json${steps} }}`;
	return `={{ $json${steps} }} `;
}

describe(`runParameter's item-path fast path (${engineLabel})`, () => {
	it('recognises only plain paths into $json', () => {
		expect(itemPath('={{ $json.to }}')).toEqual(['to']);
		expect(itemPath("={{$json['first name'].x}}")).toEqual(['first name', 'x']);
		expect(itemPath('={{ $json[ "a" ][\'b c\'] }}')).toEqual(['a', 'b c']);
		for (const raw of [
			'{{ $json.to }}',
			'={{ $json }}',
			'={{ $json.to }} ',
			'={{ $json.to + 1 }}',
			'={{ $json.__proto__ }}',
			'={{ $json.constructor }}',
			"={{ $json['a\\'b'] }}",
			'={{ $json.to }}\n',
		]) {
			expect(itemPath(raw)).toBeUndefined();
		}
	});

	it('answers what n8n answers for 400 random items and expressions', async () => {
		const r = prng(20261130);
		let fastCases = 0;
		for (let round = 0; round < 40; round++) {
			const expression = randomExpression(r);
			const items = Array.from({ length: 10 }, () => randomObject(r, 0));
			const { outputs, error } = await runNode({
				type: 'readBothWays',
				nodeType: new ReadBothWays(),
				parameters: { value: expression },
				items,
			});
			expect(error).toBeUndefined();
			for (const [i, out] of outputs[0].entries()) {
				const { fast, direct, tookFastPath } = out.json as {
					fast: IDataObject;
					direct: IDataObject;
					tookFastPath: boolean;
				};
				const context = `${expression} on ${JSON.stringify(items[i])}`;
				expect({ context, ...fast }).toEqual({ context, ...direct });
				if (tookFastPath) {
					fastCases++;
					expect(itemPath(expression)).toBeDefined();
					expect(['string', 'number', 'boolean']).toContain(typeof fast.value);
				}
			}
		}
		// The fast path was really exercised, not only the fallback.
		expect(fastCases).toBeGreaterThan(40);
	});
});
