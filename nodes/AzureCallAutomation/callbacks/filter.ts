/** The trigger's event filter: types, call connection ids, operation context and called numbers, each empty for all. */
import { normalizePhoneNumber } from '../../../acs/identifiers';
import type { ReceivedEvent } from './body';
import { canonicalType, INCOMING_CALL, PREFIX } from './eventTypes';
import { phoneOf } from './normalize';

export interface EventFilter {
	/** Full type names; empty = all. */
	types: Set<string>;
	/** Call connection ids; empty = all. */
	callConnectionIds: Set<string>;
	/** Exact operationContext; empty = all. */
	operationContext: string;
	/** The numbers an incoming call must be to (E.164); empty = any. Filters IncomingCall events only. */
	calledNumbers: Set<string>;
}

const INCOMING = canonicalType(INCOMING_CALL);

/** The number in E.164 form, or undefined when it is none. */
function asE164(value: string): string | undefined {
	try {
		return normalizePhoneNumber(value);
	} catch {
		return undefined;
	}
}

/** `+1 800 555 0100, +18005550101` → E.164 numbers, and the entries that are not one. */
export function parseCalledNumbers(text: string): { numbers: string[]; invalid: string[] } {
	const numbers: string[] = [];
	const invalid: string[] = [];
	for (const entry of text.split(/[,;\n]/).map((s) => s.trim())) {
		if (!entry) continue;
		const number = asE164(entry);
		if (number === undefined) invalid.push(entry);
		else numbers.push(number);
	}
	return { numbers, invalid };
}

export function buildFilter(
	types: string[],
	callConnectionIds: string,
	operationContext: string,
	calledNumbers = '',
): EventFilter {
	const called = parseCalledNumbers(calledNumbers);
	return {
		types: new Set(types.map((t) => canonicalType(t.includes('.') ? t : PREFIX + t))),
		callConnectionIds: new Set(
			callConnectionIds
				.split(',')
				.map((s) => s.trim())
				.filter(Boolean),
		),
		operationContext: operationContext.trim(),
		// An entry that is no number stays in, as it was typed: it matches nothing, and the filter stays on.
		calledNumbers: new Set([...called.numbers, ...called.invalid]),
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
	if (filter.calledNumbers.size > 0 && canonicalType(event.type) === INCOMING) {
		const to = phoneOf(event.data.to);
		if (to === undefined || !filter.calledNumbers.has(asE164(to) ?? to)) return false;
	}
	return true;
}
