/**
 * Scripted caller: the remote party of a call follows a list of turns, one consumed per recognize, so a
 * conversation runs hands-free. It only feeds the emulator's existing "callee" actions (saySpeech, pressKeys,
 * recognizeTimeout, remote hang-up), so every event it causes is the one ACS sends for that action.
 * Also records what the caller heard (plays and recognize prompts). Those actions come through the
 * context (`ctx.remote`), so this module imports neither calls.ts nor media.ts, which call into it.
 */
import { checkScriptInput, parseScript } from './callerScript';
import { notFound } from './errors';
import type { EmulatorContext } from './context';
import type {
	CallerScript,
	CallerTurn,
	CallRecord,
	Heard,
	IdentifierModel,
	PlayOperation,
	RecognizeOperation,
	ScriptCallerInput,
	CallerState,
} from './types';

export type {
	CallerScript,
	CallerState,
	CallerTurn,
	Heard,
	ScriptCallerInput,
	WhenDone,
} from './types';
export { checkScriptInput, normalizeNumber, parseScript } from './callerScript';

const DEFAULT_CONFIDENCE = 0.9;
const HANG_UP_REASON = 'remote party hung up';
function newState(script: Required<CallerScript>): CallerState {
	return { turns: script.turns.map((t) => ({ ...t })), next: 0, whenDone: script.whenDone };
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
	if (op && !op.scripted && call.state === 'connected' && isRemoteParty(call, op.target))
		runTurn(ctx, call, op);
}

/** At call creation: the script of the remote party's number, if any (an explicit script wins). */
export function attachCaller(
	ctx: EmulatorContext,
	call: CallRecord,
	remote: IdentifierModel[],
	explicit?: Required<CallerScript>,
): void {
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
	const call =
		ctx.store.calls.get(callConnectionId) ??
		[...ctx.store.ended].reverse().find((c) => c.callConnectionId === callConnectionId);
	if (!call)
		throw notFound(`Call connection ${callConnectionId} was not found (it never existed).`);
	return call.heard.map((h) => ({ ...h }));
}

/** Wire PlaySource → Heard (the request was validated already). */
function heardFrom(
	source: unknown,
	via: Heard['via'],
	operationContext: string | undefined,
): Heard {
	const s = source as {
		kind: string;
		text?: { text: string; voiceName?: string };
		ssml?: { ssmlText: string };
		file?: { uri: string };
	};
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
	ctx.remote.hangUp(call, HANG_UP_REASON);
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
export function onRecognizeStarted(
	ctx: EmulatorContext,
	call: CallRecord,
	op: RecognizeOperation,
): void {
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
		at(
			turn.hangUp === 'duringPrompt' && op.prompts.length ? midPrompt : promptMs + recognizeDelayMs,
			() => hangUp(ctx, call),
		);
		return;
	}
	if ('silence' in turn)
		return at(promptMs + recognizeDelayMs, () => ctx.remote.recognizeTimeout(id));
	if ('unrecognized' in turn)
		return at(promptMs + recognizeDelayMs, () => ctx.remote.speechNotRecognized(id));
	if ('keys' in turn) {
		return at(promptMs + recognizeDelayMs, () => {
			ctx.remote.pressKeys(id, turn.keys);
			// Keys that neither fill maxTonesToCollect nor hit a stop tone (or a speech-only recognize): the timeout.
			if (pending()) ctx.remote.recognizeTimeout(id);
		});
	}
	const confidence = turn.confidence ?? DEFAULT_CONFIDENCE;
	const speak = (): void => {
		if (!ctx.remote.saySpeech(id, turn.say, confidence) && pending())
			ctx.remote.recognizeTimeout(id);
		if (turn.thenHangUp) ctx.schedule(call, recognizeDelayMs, () => hangUp(ctx, call));
	};
	// Barge-in: speech over the prompt stops it only when the recognize allows it (and listens for speech).
	const bargeIn =
		turn.duringPrompt && op.interruptPrompt && op.prompts.length > 0 && op.inputType !== 'dtmf';
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
