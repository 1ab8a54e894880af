/** Parameters without expressions are read once per run; any expression keeps the per-item read. */
import type { IExecuteFunctions, INodeParameters } from 'n8n-workflow';

import { runParameter } from '../../nodes/AzureCallAutomation/helpers/runParameter';

function fakeContext(parameters: INodeParameters) {
	const reads: string[] = [];
	const ctx = {
		getNode: () => ({ parameters: structuredClone(parameters) }),
		getInputData: () => [
			{ json: { to: '+14255550100' } },
			{ json: { to: 42 } },
			{ json: { to: { nested: true } } },
		],
		getNodeParameter: (name: string, itemIndex: number, fallback?: unknown) => {
			reads.push(`${name}@${itemIndex}`);
			let value: unknown = parameters;
			for (const key of name.split('.'))
				value = (value as Record<string, unknown> | undefined)?.[key];
			if (value === undefined) return fallback;
			// Stands in for n8n's expression engine: "={{ n }}" gives the item index.
			if (typeof value === 'string' && value.startsWith('='))
				return `${value.slice(1)}#${itemIndex}`;
			return structuredClone(value);
		},
	} as unknown as IExecuteFunctions;
	return { ctx, reads };
}

describe('runParameter', () => {
	it('reads a parameter without expressions once per run and hands out copies', () => {
		const { ctx, reads } = fakeContext({
			callbackUrl: 'https://x.example/cb',
			extra: { a: 'b', list: ['c'] },
		});
		expect([0, 1, 2].map((i) => runParameter(ctx, 'callbackUrl', i, ''))).toEqual(
			Array(3).fill('https://x.example/cb'),
		);
		const first = runParameter(ctx, 'extra', 0, {}) as { a: string };
		first.a = 'changed';
		expect(runParameter(ctx, 'extra', 1, {})).toEqual({ a: 'b', list: ['c'] });
		expect(reads).toEqual(['callbackUrl@0', 'extra@0']);
	});

	it('reads a parameter with an expression anywhere in it for every item', () => {
		const { ctx, reads } = fakeContext({
			targets: '={{ $json.to.trim() }}',
			extra: { a: 'b', nested: { c: '={{ 1 }}' } },
		});
		expect([0, 1].map((i) => runParameter(ctx, 'targets', i, ''))).toEqual([
			'{{ $json.to.trim() }}#0',
			'{{ $json.to.trim() }}#1',
		]);
		runParameter(ctx, 'extra', 0, {});
		runParameter(ctx, 'extra', 1, {});
		expect(reads).toEqual(['targets@0', 'targets@1', 'extra@0', 'extra@1']);
	});

	it('reads a plain item path from the item, and leaves other values to n8n', () => {
		const { ctx, reads } = fakeContext({ targets: '={{ $json.to }}' });
		expect([0, 1, 2].map((i) => runParameter(ctx, 'targets', i, ''))).toEqual([
			'+14255550100',
			42,
			'{{ $json.to }}#2',
		]);
		expect(reads).toEqual(['targets@2']);
	});

	it('copies an own "__proto__" key as a key, never as a prototype', () => {
		const { ctx } = fakeContext({
			extra: JSON.parse('{"__proto__": {"polluted": true}, "a": [1, {"b": 2}]}') as INodeParameters,
		});
		runParameter(ctx, 'extra', 0, {});
		const second = runParameter(ctx, 'extra', 1, {}) as Record<string, unknown>;
		expect(Object.getPrototypeOf(second)).toBe(Object.prototype);
		expect(Object.keys(second)).toEqual(['__proto__', 'a']);
		expect((second as { polluted?: boolean }).polluted).toBeUndefined();
		expect(second.a).toEqual([1, { b: 2 }]);
	});

	it("gives an absent parameter each call's own fallback, reading it once", () => {
		const { ctx, reads } = fakeContext({ requestOptions: {} });
		expect(runParameter(ctx, 'requestOptions.repeatabilityRequestId', 0, '')).toBe('');
		expect(runParameter(ctx, 'requestOptions.repeatabilityRequestId', 1, '')).toBe('');
		expect(reads).toEqual(['requestOptions.repeatabilityRequestId@0']);
	});

	it('keeps nothing from a failed read', () => {
		let calls = 0;
		const ctx = {
			getNode: () => ({ parameters: { p: 'x' } }),
			getNodeParameter: () => {
				calls++;
				if (calls === 1) throw new Error('bad');
				return 'x';
			},
		} as unknown as IExecuteFunctions;
		expect(() => runParameter(ctx, 'p', 0, '')).toThrow('bad');
		expect(runParameter(ctx, 'p', 1, '')).toBe('x');
		expect(calls).toBe(2);
	});
});
