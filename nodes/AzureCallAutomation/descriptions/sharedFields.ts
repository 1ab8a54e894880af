/**
 * Fields that are the same for many operations, given to n8n once.
 *
 * Each operation file declares its own fields, so the node lists Call Connection ID 24 times, one per
 * operation. n8n resolves every top-level field of a node each time it builds a workflow (several times
 * for every resumed execution, and on every edit in the editor), and that costs more than linearly in
 * the number of fields. Here each set of fields that differ only in the operations they are shown for
 * becomes one field shown for all of them, wherever that leaves every operation with exactly the fields it
 * had, in the same order. The operation selectors move to the top (only one of them is ever shown, so no
 * operation sees a change). Anything that would change what an operation shows stays as declared.
 */
import type { INodeProperties } from 'n8n-workflow';

type Pair = readonly [resource: string, operation: string];

/** Shown for listed resources and operations, and nothing else. */
function operationShow(
	p: INodeProperties,
): { resource: string[]; operation: string[] } | undefined {
	const options = p.displayOptions;
	if (!options?.show || options.hide || Object.keys(options).length !== 1) return undefined;
	const { resource, operation, ...rest } = options.show;
	if (Object.keys(rest).length > 0 || !Array.isArray(resource) || !Array.isArray(operation))
		return undefined;
	return { resource: resource.map(String), operation: operation.map(String) };
}

/** Every (resource, operation) the node offers, from its operation selectors. */
function pairsOf(properties: INodeProperties[]): Pair[] {
	const pairs: Pair[] = [];
	for (const p of properties) {
		if (p.name !== 'operation') continue;
		for (const resource of (p.displayOptions?.show?.resource ?? []) as string[])
			for (const option of (p.options ?? []) as Array<{ value: string }>)
				pairs.push([resource, String(option.value)]);
	}
	return pairs;
}

/** Whether a field may show for the pair (its other conditions, if any, are the same before and after). */
function mayShow(p: INodeProperties, [resource, operation]: Pair): boolean {
	const show = p.displayOptions?.show;
	if (show?.resource && !(show.resource as unknown[]).includes(resource)) return false;
	if (show?.operation && !(show.operation as unknown[]).includes(operation)) return false;
	return true;
}

/** The field as JSON, without its conditions when it is shown by operation alone. */
function definitionText(p: INodeProperties): string {
	const drop = operationShow(p) !== undefined;
	return JSON.stringify(p, function (this: unknown, key, value: unknown) {
		return drop && this === p && key === 'displayOptions' ? undefined : value;
	});
}

/** Per pair, the fields that may show, in order, each as the number of its definition. */
function layout(
	properties: INodeProperties[],
	pairs: Pair[],
	definition: (p: INodeProperties) => number,
): string[] {
	return pairs.map((pair) =>
		properties
			.filter((p) => mayShow(p, pair))
			.map(definition)
			.join(','),
	);
}

export function mergeSharedFields(declared: INodeProperties[]): INodeProperties[] {
	const pairs = pairsOf(declared);
	// A number per distinct definition: a field shown by operation alone without its operations (a merged
	// field keeps its group's), any other field whole. Computed once per field.
	// (Fields made by the same helper serialise alike; any that do not are simply not merged.)
	const ids = new Map<string, number>();
	const known = new Map<INodeProperties, number>();
	const definition = (p: INodeProperties): number => {
		let id = known.get(p);
		if (id === undefined) {
			const text = definitionText(p);
			id = ids.get(text);
			if (id === undefined) ids.set(text, (id = ids.size));
			known.set(p, id);
		}
		return id;
	};
	const target = layout(declared, pairs, definition);
	const same = (list: INodeProperties[]) =>
		layout(list, pairs, definition).every((text, i) => text === target[i]);

	// The operation selectors first, right after the resource selector.
	const selectors = declared.filter((p) => p.name === 'operation');
	let list = [
		...declared.filter((p) => p.name === 'resource'),
		...selectors,
		...declared.filter((p) => p.name !== 'resource' && p.name !== 'operation'),
	];
	if (!same(list)) list = declared.slice();

	// Groups of fields alike but for their operations, in the order their first member is declared.
	const groups = new Map<number, INodeProperties[]>();
	for (const p of list) {
		if (!operationShow(p)) continue;
		const id = definition(p);
		groups.set(id, [...(groups.get(id) ?? []), p]);
	}
	for (const group of groups.values()) {
		if (group.length < 2) continue;
		const shows = group.map((p) => operationShow(p) as { resource: string[]; operation: string[] });
		const resource = [...new Set(shows.flatMap((s) => s.resource))];
		const operation = [...new Set(shows.flatMap((s) => s.operation))];
		const merged: INodeProperties = {
			...group[0],
			displayOptions: { show: { resource, operation } },
		};
		known.set(merged, definition(group[0]));
		const members = new Set(group);
		const trial = list.flatMap((p) => (p === group[0] ? [merged] : members.has(p) ? [] : [p]));
		// Kept only where no operation gains, loses or reorders a field (an operation name that two resources
		// share, such as Get, could otherwise show a field where it was not declared).
		if (same(trial)) list = trial;
	}
	return list;
}
