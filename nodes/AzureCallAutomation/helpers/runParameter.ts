/**
 * Node parameters that cannot differ between the items of a run, read once per run.
 *
 * n8n's getNodeParameter copies the node, builds the expression context and validates the value on every
 * call, for every item. A parameter holding no expression (no string starting with `=`, at any depth) has
 * the same value for every item, so its first successful read serves the rest of the run; a parameter
 * with an expression anywhere is read for each item, as before. Values are handed out as copies, as
 * getNodeParameter does, so a caller changing one cannot affect the next item.
 */
import type { IExecuteFunctions, INodeParameters, NodeParameterValueType } from 'n8n-workflow';

const ABSENT = Symbol('absent');

interface RunCache {
	parameters: INodeParameters;
	values: Map<string, unknown>;
}

const runs = new WeakMap<IExecuteFunctions, RunCache>();

function hasExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(hasExpression);
	if (value !== null && typeof value === 'object') return Object.values(value).some(hasExpression);
	return false;
}

/** The raw value at a dotted path (`requestOptions.concurrency`), or ABSENT. */
function rawAt(parameters: INodeParameters, path: string): unknown {
	let value: unknown = parameters;
	for (const key of path.split('.')) {
		if (value === null || typeof value !== 'object' || !Object.prototype.hasOwnProperty.call(value, key)) return ABSENT;
		value = (value as Record<string, unknown>)[key];
	}
	return value;
}

function copy<T>(value: T): T {
	return value !== null && typeof value === 'object' ? (structuredClone(value) as T) : value;
}

/** `ctx.getNodeParameter(name, itemIndex, fallback)`, read once per run when it holds no expression. */
export function runParameter(ctx: IExecuteFunctions, name: string, itemIndex: number, fallback?: unknown): NodeParameterValueType | object {
	let run = runs.get(ctx);
	if (run === undefined) {
		run = { parameters: ctx.getNode().parameters, values: new Map() };
		runs.set(ctx, run);
	}
	const cached = run.values.get(name);
	if (cached === ABSENT && fallback !== undefined) return fallback as NodeParameterValueType;
	if (cached !== ABSENT && (cached !== undefined || run.values.has(name))) return copy(cached) as NodeParameterValueType;
	const raw = rawAt(run.parameters, name);
	const value = ctx.getNodeParameter(name, itemIndex, fallback);
	// Absent: every item gets its own fallback. Present without expressions: every item gets this value.
	if (raw === ABSENT) run.values.set(name, ABSENT);
	else if (!hasExpression(raw)) run.values.set(name, copy(value));
	return value;
}
