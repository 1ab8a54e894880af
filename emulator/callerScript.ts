/** A scripted caller's turns read from JSON (HTTP bodies, env, options), with messages that name the bad field. */
import { AcsError } from './errors';
import type { CallerScript, CallerTurn, ScriptCallerInput } from './types';

const TURN_KEYS = ['say', 'keys', 'silence', 'unrecognized', 'hangUp'] as const;

function bad(message: string): AcsError {
	return new AcsError(400, 'BadRequest', message);
}

function isObject(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** "+14255550100" or "4:+14255550100" → "+14255550100". */
export function normalizeNumber(value: unknown, field = 'number'): string {
	if (typeof value !== 'string')
		throw bad(`'${field}' must be an E.164 phone number such as "+14255550100".`);
	const n = value.trim().replace(/^4:/, '');
	if (!/^\+\d{6,15}$/.test(n))
		throw bad(`'${field}' must be an E.164 phone number such as "+14255550100", got "${value}".`);
	return n;
}

function parseTurn(raw: unknown, path: string): CallerTurn {
	if (!isObject(raw)) throw bad(`'${path}' must be an object such as {"say":"hello"}.`);
	const kinds = TURN_KEYS.filter((k) => raw[k] !== undefined);
	if (kinds.length !== 1) {
		throw bad(
			`'${path}' must have exactly one of ${TURN_KEYS.join(', ')} (got ${kinds.length ? kinds.join(', ') : 'none'}).`,
		);
	}
	const allowed: Record<(typeof TURN_KEYS)[number], string[]> = {
		say: ['say', 'confidence', 'duringPrompt', 'thenHangUp'],
		keys: ['keys'],
		silence: ['silence'],
		unrecognized: ['unrecognized'],
		hangUp: ['hangUp'],
	};
	const extra = Object.keys(raw).filter((k) => !allowed[kinds[0]].includes(k));
	if (extra.length)
		throw bad(`'${path}' has unknown field(s) ${extra.join(', ')} for a ${kinds[0]} turn.`);
	switch (kinds[0]) {
		case 'say': {
			if (typeof raw.say !== 'string' || raw.say.trim() === '')
				throw bad(`'${path}.say' must be a non-empty string.`);
			const c = raw.confidence;
			if (c !== undefined && (typeof c !== 'number' || !(c >= 0 && c <= 1)))
				throw bad(`'${path}.confidence' must be a number from 0 to 1.`);
			for (const flag of ['duringPrompt', 'thenHangUp'] as const) {
				if (raw[flag] !== undefined && typeof raw[flag] !== 'boolean')
					throw bad(`'${path}.${flag}' must be true or false.`);
			}
			return {
				say: raw.say,
				...(c !== undefined ? { confidence: c as number } : {}),
				...(raw.duringPrompt ? { duringPrompt: true } : {}),
				...(raw.thenHangUp ? { thenHangUp: true } : {}),
			};
		}
		case 'keys':
			if (typeof raw.keys !== 'string' || !/^[0-9*#A-Da-d]+$/.test(raw.keys))
				throw bad(`'${path}.keys' must be keys such as "1#" (0-9, *, #, A-D).`);
			return { keys: raw.keys };
		case 'silence':
		case 'unrecognized':
			if (raw[kinds[0]] !== true) throw bad(`'${path}.${kinds[0]}' must be true.`);
			return kinds[0] === 'silence' ? { silence: true } : { unrecognized: true };
		default:
			if (raw.hangUp !== 'whileListening' && raw.hangUp !== 'duringPrompt') {
				throw bad(`'${path}.hangUp' must be "whileListening" or "duringPrompt".`);
			}
			return { hangUp: raw.hangUp };
	}
}

/** Validates a script from JSON (HTTP bodies, env) with messages that name the bad field. */
export function parseScript(raw: unknown, path = 'caller'): Required<CallerScript> {
	if (!isObject(raw)) throw bad(`'${path}' must be an object such as {"turns":[{"say":"hello"}]}.`);
	if (!Array.isArray(raw.turns))
		throw bad(`'${path}.turns' must be an array of turns such as [{"say":"hello"}].`);
	const whenDone = raw.whenDone ?? 'silence';
	if (whenDone !== 'silence' && whenDone !== 'hangUp')
		throw bad(`'${path}.whenDone' must be "silence" or "hangUp".`);
	return { turns: raw.turns.map((t, i) => parseTurn(t, `${path}.turns[${i}]`)), whenDone };
}

/** Checks a scriptCaller input without applying it (startEmulator checks its `callers` option before listening). */
export function checkScriptInput(input: ScriptCallerInput): {
	number?: string;
	callConnectionId?: string;
	script: Required<CallerScript>;
} {
	if (!isObject(input)) throw bad('Send {"number":"+14255550100","turns":[{"say":"hello"}]}.');
	if ((input.number === undefined) === (input.callConnectionId === undefined)) {
		throw bad(
			'Give exactly one of number (every later call to or from it) or callConnectionId (that call only).',
		);
	}
	const script = parseScript(input);
	if (input.callConnectionId !== undefined)
		return { callConnectionId: String(input.callConnectionId), script };
	return { number: normalizeNumber(input.number), script };
}
