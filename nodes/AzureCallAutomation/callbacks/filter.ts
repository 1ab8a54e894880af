/** The trigger's event filter: types, call connection ids and operation context, each empty for all. */
import type { ReceivedEvent } from './body';
import { canonicalType, PREFIX } from './eventTypes';

export interface EventFilter {
	/** Full type names; empty = all. */
	types: Set<string>;
	/** Call connection ids; empty = all. */
	callConnectionIds: Set<string>;
	/** Exact operationContext; empty = all. */
	operationContext: string;
}

export function buildFilter(
	types: string[],
	callConnectionIds: string,
	operationContext: string,
): EventFilter {
	return {
		types: new Set(types.map((t) => canonicalType(t.includes('.') ? t : PREFIX + t))),
		callConnectionIds: new Set(
			callConnectionIds
				.split(',')
				.map((s) => s.trim())
				.filter(Boolean),
		),
		operationContext: operationContext.trim(),
	};
}

export function matches(filter: EventFilter, event: ReceivedEvent): boolean {
	if (filter.types.size > 0 && !filter.types.has(canonicalType(event.type))) return false;
	if (
		filter.callConnectionIds.size > 0 &&
		!filter.callConnectionIds.has(String(event.data.callConnectionId ?? ''))
	) {
		return false;
	}
	if (filter.operationContext && event.data.operationContext !== filter.operationContext)
		return false;
	return true;
}
