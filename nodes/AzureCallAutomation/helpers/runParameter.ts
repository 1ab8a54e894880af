/**
 * Node parameters that cannot differ between the items of a run, read once per run.
 *
 * n8n's getNodeParameter copies the node, builds the expression context and validates the value on every
 * call, for every item. A parameter holding no expression (no string starting with `=`, at any depth) has
 * the same value for every item, so its first successful read serves the rest of the run; a parameter
 * with an expression anywhere is read for each item, as before. Values are handed out as copies, as
 * getNodeParameter does, so a caller changing one cannot affect the next item.
 *
 * A parameter that is only a path into the item (`={{ $json.phone }}`, `={{ $json['first name'] }}`, what
 * dragging a field into it writes) is read straight from the item's JSON when the path leads to a string,
 * number or boolean: n8n's engine answers the same value there, and building its expression context costs
 * more than the request itself for a bulk Create Call. Anything else, or a path that does not lead to such
 * a value, goes to n8n.
 */
import type { IExecuteFunctions, INodeParameters, NodeParameterValueType } from 'n8n-workflow';

import { runOf } from './run';

const ABSENT = Symbol('absent');

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
		if (
			value === null ||
			typeof value !== 'object' ||
			!Object.prototype.hasOwnProperty.call(value, key)
		)
			return ABSENT;
		value = (value as Record<string, unknown>)[key];
	}
	return value;
}

/** A deep copy; parameter values are plain JSON-like data, which is copied by hand (structuredClone costs more). */
function copy<T>(value: T): T {
	if (value === null || typeof value !== 'object') return value;
	if (Array.isArray(value)) return value.map(copy) as T;
	// A plain object of any realm (its prototype is an Object.prototype, or null); anything else is cloned.
	const proto = Object.getPrototypeOf(value) as object | null;
	if (
		proto !== null &&
		(Object.getPrototypeOf(proto) !== null ||
			Object.prototype.toString.call(value) !== '[object Object]')
	) {
		return structuredClone(value);
	}
	const out: Record<string, unknown> = {};
	for (const key of Object.keys(value)) {
		const item = copy((value as Record<string, unknown>)[key]);
		// An own "__proto__" key (JSON can carry one) stays a key, never a prototype.
		if (key === '__proto__')
			Object.defineProperty(out, key, {
				value: item,
				enumerable: true,
				writable: true,
				configurable: true,
			});
		else out[key] = item;
	}
	return out as T;
}

const NAME = String.raw`[A-Za-z_$][\w$]*`;
const STEP = String.raw`\.${NAME}|\[\s*'[^'\\\n]*'\s*\]|\[\s*"[^"\\\n]*"\s*\]`;
const ITEM_PATH = new RegExp(String.raw`^=\{\{\s*\$json((?:${STEP})+)\s*\}\}$`);
const STEPS = new RegExp(STEP, 'g');
const UNSAFE_KEYS = new Set(['__proto__', 'prototype', 'constructor']);

/** `={{ $json.a['b c'] }}` → ['a', 'b c']; undefined for anything else. */
export function itemPath(raw: string): string[] | undefined {
	const match = ITEM_PATH.exec(raw);
	if (!match) return undefined;
	const path = (match[1].match(STEPS) ?? []).map((step) =>
		step.startsWith('.') ? step.slice(1) : step.trim().slice(1, -1).trim().slice(1, -1),
	);
	// Names n8n's expression sandbox treats specially stay with n8n.
	return path.some((key) => UNSAFE_KEYS.has(key)) ? undefined : path;
}

/** The item's own value at `path` when it is a string, finite number or boolean; otherwise ABSENT. */
function fromItem(ctx: IExecuteFunctions, path: string[], itemIndex: number): unknown {
	let value: unknown = ctx.getInputData()[itemIndex]?.json;
	for (const key of path) {
		if (
			value === null ||
			typeof value !== 'object' ||
			Array.isArray(value) ||
			!Object.prototype.hasOwnProperty.call(value, key)
		)
			return ABSENT;
		value = (value as Record<string, unknown>)[key];
	}
	return typeof value === 'string' ||
		typeof value === 'boolean' ||
		(typeof value === 'number' && Number.isFinite(value))
		? value
		: ABSENT;
}

/** `ctx.getNodeParameter(name, itemIndex, fallback)`, read once per run when it holds no expression. */
export function runParameter(
	ctx: IExecuteFunctions,
	name: string,
	itemIndex: number,
	fallback?: unknown,
): NodeParameterValueType | object {
	const nodeRun = runOf(ctx);
	let run = nodeRun.parameters;
	if (run === undefined) {
		run = { raw: ctx.getNode().parameters, values: new Map(), paths: new Map() };
		nodeRun.parameters = run;
	}
	const cached = run.values.get(name);
	if (cached === ABSENT && fallback !== undefined) return fallback as NodeParameterValueType;
	if (cached !== ABSENT && (cached !== undefined || run.values.has(name)))
		return copy(cached) as NodeParameterValueType;
	const raw = rawAt(run.raw, name);
	let path = run.paths.get(name);
	if (path === undefined) {
		path = (typeof raw === 'string' && itemPath(raw)) || null;
		run.paths.set(name, path);
	}
	if (path !== null) {
		const direct = fromItem(ctx, path, itemIndex);
		if (direct !== ABSENT) return direct as NodeParameterValueType;
	}
	const value = ctx.getNodeParameter(name, itemIndex, fallback);
	// Absent: every item gets its own fallback. Present without expressions: every item gets this value.
	if (raw === ABSENT) run.values.set(name, ABSENT);
	else if (!hasExpression(raw)) run.values.set(name, copy(value));
	return value;
}
