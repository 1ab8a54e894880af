/**
 * Scripted caller: the remote party of a call follows a list of turns, one consumed per recognize, so a
 * conversation runs hands-free. It only feeds the emulator's existing "callee" actions (saySpeech, pressKeys,
 * recognizeTimeout, remote hang-up), so every event it causes is the one ACS sends for that action.
 * Also records what the caller heard (plays and recognize prompts).
 */
import { AcsError, notFound } from './errors';
import { disconnectCall } from './calls';
import type { EmulatorContext } from './context';
import { pressKeys, recognizeTimeout, saySpeech, speechNotRecognized } from './media';
import type { CallRecord, IdentifierModel, PlayOperation, RecognizeOperation } from './types';

export type CallerTurn =
	| { say: string; confidence?: number; duringPrompt?: boolean; thenHangUp?: boolean }
	| { keys: string }
	| { silence: true }
	| { unrecognized: true }
	| { hangUp: 'whileListening' | 'duringPrompt' };

export type WhenDone = 'silence' | 'hangUp';

export interface CallerScript {
	turns: CallerTurn[];
	/** What the caller does once the turns run out (default `silence`). */
	whenDone?: WhenDone;
}

export interface ScriptCallerInput extends CallerScript {
	/** Every later call to (Create Call) or from (incoming call) this E.164 number. */
	number?: string;
	/** This call only (replaces its script). */
	callConnectionId?: string;
}

export interface Heard {
	at: string;
	via: 'play' | 'recognize';
	kind: 'text' | 'ssml' | 'file';
	text?: string;
	ssml?: string;
	url?: string;
	voiceName?: string;
	operationContext?: string;
	/** Cut by the caller talking over it (recognize with `interruptPrompt: true` only). */
	interrupted: boolean;
}

export interface CallerState {
	turns: CallerTurn[];
	next: number;
	whenDone: WhenDone;
}

const DEFAULT_CONFIDENCE = 0.9;
const HANG_UP_REASON = 'remote party hung up';
const TURN_KEYS = ['say', 'keys', 'silence', 'unrecognized', 'hangUp'] as const;

function bad(message: string): AcsError {
	return new AcsError(400, 'BadRequest', message);
}

function isObject(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** "+14255550100" or "4:+14255550100" → "+14255550100". */
export function normalizeNumber(value: unknown, field = 'number'): string {
	if (typeof value !== 'string') throw bad(`'${field}' must be an E.164 phone number such as "+14255550100".`);
	const n = value.trim().replace(/^4:/, '');
	if (!/^\+\d{6,15}$/.test(n)) throw bad(`'${field}' must be an E.164 phone number such as "+14255550100", got "${value}".`);
	return n;
}

function parseTurn(raw: unknown, path: string): CallerTurn {
	if (!isObject(raw)) throw bad(`'${path}' must be an object such as {"say":"hello"}.`);
	const kinds = TURN_KEYS.filter((k) => raw[k] !== undefined);
	if (kinds.length !== 1) {
		throw bad(`'${path}' must have exactly one of ${TURN_KEYS.join(', ')} (got ${kinds.length ? kinds.join(', ') : 'none'}).`);
	}
	const allowed: Record<(typeof TURN_KEYS)[number], string[]> = {
		say: ['say', 'confidence', 'duringPrompt', 'thenHangUp'],
		keys: ['keys'],
		silence: ['silence'],
		unrecognized: ['unrecognized'],
		hangUp: ['hangUp'],
	};
	const extra = Object.keys(raw).filter((k) => !allowed[kinds[0]].includes(k));
	if (extra.length) throw bad(`'${path}' has unknown field(s) ${extra.join(', ')} for a ${kinds[0]} turn.`);
	switch (kinds[0]) {
		case 'say': {
			if (typeof raw.say !== 'string' || raw.say.trim() === '') throw bad(`'${path}.say' must be a non-empty string.`);
			const c = raw.confidence;
			if (c !== undefined && (typeof c !== 'number' || !(c >= 0 && c <= 1))) throw bad(`'${path}.confidence' must be a number from 0 to 1.`);
			for (const flag of ['duringPrompt', 'thenHangUp'] as const) {
				if (raw[flag] !== undefined && typeof raw[flag] !== 'boolean') throw bad(`'${path}.${flag}' must be true or false.`);
			}
			return {
				say: raw.say,
				...(c !== undefined ? { confidence: c as number } : {}),
				...(raw.duringPrompt ? { duringPrompt: true } : {}),
				...(raw.thenHangUp ? { thenHangUp: true } : {}),
			};
		}
		case 'keys':
			if (typeof raw.keys !== 'string' || !/^[0-9*#A-Da-d]+$/.test(raw.keys)) throw bad(`'${path}.keys' must be keys such as "1#" (0-9, *, #, A-D).`);
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
	if (!Array.isArray(raw.turns)) throw bad(`'${path}.turns' must be an array of turns such as [{"say":"hello"}].`);
	const whenDone = raw.whenDone ?? 'silence';
	if (whenDone !== 'silence' && whenDone !== 'hangUp') throw bad(`'${path}.whenDone' must be "silence" or "hangUp".`);
	return { turns: raw.turns.map((t, i) => parseTurn(t, `${path}.turns[${i}]`)), whenDone };
}

function newState(script: Required<CallerScript>): CallerState {
	return { turns: script.turns.map((t) => ({ ...t })), next: 0, whenDone: script.whenDone };
}

/** Checks a scriptCaller input without applying it (startEmulator checks its `callers` option before listening). */
export function checkScriptInput(input: ScriptCallerInput): { number?: string; callConnectionId?: string; script: Required<CallerScript> } {
	if (!isObject(input)) throw bad('Send {"number":"+14255550100","turns":[{"say":"hello"}]}.');
	if ((input.number === undefined) === (input.callConnectionId === undefined)) {
		throw bad('Give exactly one of number (every later call to or from it) or callConnectionId (that call only).');
	}
	const script = parseScript(input);
	if (input.callConnectionId !== undefined) return { callConnectionId: String(input.callConnectionId), script };
	return { number: normalizeNumber(input.number), script };
}

/** Registers a script for a number (every later call) or for one call (`emu.scriptCaller`, `POST /__emulator/callers`). */
export function scriptCaller(ctx: EmulatorContext, input: ScriptCallerInput): void {
	const { number, callConnectionId, script } = checkScriptInput(input);
	if (callConnectionId !== undefined) setCallScript(ctx, callConnectionId, script);
	else ctx.store.callers.set(number as string, script);
}

/** Gives one call a script; a recognize already open is answered by its first turn. */
export function setCallScript(ctx: EmulatorContext, callConnectionId: string, raw: unknown): void {
	const call = ctx.store.getCall(callConnectionId);
	call.caller = newState(parseScript(raw));
	const op = call.recognize;
	if (op && !op.scripted && call.state === 'connected' && isRemoteParty(call, op.target)) runTurn(ctx, call, op);
}

/** At call creation: the script of the remote party's number, if any (an explicit script wins). */
export function attachCaller(ctx: EmulatorContext, call: CallRecord, remote: IdentifierModel[], explicit?: Required<CallerScript>): void {
	if (explicit) {
		call.caller = newState(explicit);
		return;
	}
	for (const p of remote) {
		const script = p.phoneNumber ? ctx.store.callers.get(p.phoneNumber.value) : undefined;
		if (script) {
			call.caller = newState(script);
			return;
		}
	}
}

export function heardOf(ctx: EmulatorContext, callConnectionId: string): Heard[] {
	const call = ctx.store.calls.get(callConnectionId) ?? [...ctx.store.ended].reverse().find((c) => c.callConnectionId === callConnectionId);
	if (!call) throw notFound(`Call connection ${callConnectionId} was not found (it never existed).`);
	return call.heard.map((h) => ({ ...h }));
}

/** Wire PlaySource → Heard (the request was validated already). */
function heardFrom(source: unknown, via: Heard['via'], operationContext: string | undefined): Heard {
	const s = source as { kind: string; text?: { text: string; voiceName?: string }; ssml?: { ssmlText: string }; file?: { uri: string } };
	const kind = s.kind.toLowerCase() as Heard['kind'];
	const base = { at: new Date().toISOString(), via, kind, operationContext, interrupted: false };
	if (kind === 'text') return { ...base, text: s.text?.text, voiceName: s.text?.voiceName };
	if (kind === 'ssml') return { ...base, ssml: s.ssml?.ssmlText };
	return { ...base, url: s.file?.uri };
}

function takeTurn(state: CallerState): CallerTurn {
	const turn = state.turns[state.next];
	if (turn) {
		state.next++;
		return turn;
	}
	return state.whenDone === 'hangUp' ? { hangUp: 'whileListening' } : { silence: true };
}

function hangUp(ctx: EmulatorContext, call: CallRecord): void {
	// What ACS sends when the other party leaves a two-party call: CallDisconnected (pending media just stops).
	disconnectCall(ctx, call, HANG_UP_REASON);
}

/** The remote party: the number called, or the caller of an answered call (any participant when neither is known). */
function isRemoteParty(call: CallRecord, who: IdentifierModel): boolean {
	return call.targets.length === 0 || call.targets.some((t) => t.rawId === who.rawId);
}

/** A play starts: record it if the remote party hears it; a pending `hangUp: duringPrompt` turn hangs up while it is spoken. */
export function onPlayStarted(ctx: EmulatorContext, call: CallRecord, op: PlayOperation): void {
	if (op.playTo.length > 0 && !op.playTo.some((p) => isRemoteParty(call, p))) return;
	for (const s of op.sources) call.heard.push(heardFrom(s, 'play', op.operationContext));
	const state = call.caller;
	const turn = state?.turns[state.next];
	if (state && turn && 'hangUp' in turn && turn.hangUp === 'duringPrompt') {
		state.next++;
		ctx.schedule(call, Math.floor(ctx.options.playDurationMs / 2), () => hangUp(ctx, call));
	}
}

/** A recognize on the remote party opens: record its prompts (played to its target); the caller's next turn answers it. */
export function onRecognizeStarted(ctx: EmulatorContext, call: CallRecord, op: RecognizeOperation): void {
	if (!isRemoteParty(call, op.target)) return;
	op.heardFrom = call.heard.length;
	for (const s of op.prompts) call.heard.push(heardFrom(s, 'recognize', op.operationContext));
	if (call.caller) runTurn(ctx, call, op);
}

function runTurn(ctx: EmulatorContext, call: CallRecord, op: RecognizeOperation): void {
	const state = call.caller as CallerState;
	op.scripted = true;
	const turn = takeTurn(state);
	const { playDurationMs, recognizeDelayMs } = ctx.options;
	const promptMs = playDurationMs * op.prompts.length;
	const midPrompt = Math.floor(playDurationMs / 2);
	const pending = (): boolean => call.recognize === op && call.state === 'connected';
	const at = (ms: number, fn: () => void): void => ctx.schedule(call, ms, () => pending() && fn());
	const id = call.callConnectionId;

	if ('hangUp' in turn) {
		at(turn.hangUp === 'duringPrompt' && op.prompts.length ? midPrompt : promptMs + recognizeDelayMs, () => hangUp(ctx, call));
		return;
	}
	if ('silence' in turn) return at(promptMs + recognizeDelayMs, () => recognizeTimeout(ctx, id));
	if ('unrecognized' in turn) return at(promptMs + recognizeDelayMs, () => speechNotRecognized(ctx, id));
	if ('keys' in turn) {
		return at(promptMs + recognizeDelayMs, () => {
			pressKeys(ctx, id, turn.keys);
			// Keys that neither fill maxTonesToCollect nor hit a stop tone (or a speech-only recognize): the timeout.
			if (pending()) recognizeTimeout(ctx, id);
		});
	}
	const confidence = turn.confidence ?? DEFAULT_CONFIDENCE;
	const speak = (): void => {
		if (!saySpeech(ctx, id, turn.say, confidence) && pending()) recognizeTimeout(ctx, id);
		if (turn.thenHangUp) ctx.schedule(call, recognizeDelayMs, () => hangUp(ctx, call));
	};
	// Barge-in: speech over the prompt stops it only when the recognize allows it (and listens for speech).
	const bargeIn = turn.duringPrompt && op.interruptPrompt && op.prompts.length > 0 && op.inputType !== 'dtmf';
	if (!bargeIn) return at(promptMs + recognizeDelayMs, speak);
	const prompts = call.heard.slice(op.heardFrom, op.heardFrom + op.prompts.length);
	at(midPrompt, () => {
		prompts[0].interrupted = true;
		// Prompts after the one cut were never played.
		const unplayed = new Set(prompts.slice(1));
		call.heard = call.heard.filter((h) => !unplayed.has(h));
		ctx.schedule(call, recognizeDelayMs, () => pending() && speak());
	});
}
