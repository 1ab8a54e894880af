/**
 * Media: play (a per-call queue, like the service), cancel all, recognize, continuous DTMF, send DTMF, hold/unhold,
 * and the "callee" side: pressKeys / speech / silence timeout.
 */
import { randomUUID } from 'node:crypto';
import { AcsError, invalidField, notFound } from './errors';
import type { ApiRequest, ApiResult, EmulatorContext } from './context';
import { callbackFor, emitParticipantsUpdated } from './calls';
import { onPlayStarted, onRecognizeStarted } from './caller';
import { OK, type ResultInformation } from './events';
import {
	TONES,
	type CallRecord,
	type IdentifierModel,
	type PlayOperation,
	type RecognizeOperation,
	type Tone,
} from './types';
import { Fields, tonesFromKeys } from './validation';

const MAX_CONTEXT = 5000;
const CANCELED: ResultInformation = {
	code: 400,
	subCode: 8508,
	message: 'Action failed, the operation was canceled.',
};
const NON_WAV = /\.(mp3|mp4|m4a|aac|ogg|oga|opus|flac|wma|webm)$/i;

interface PlaySourceInfo {
	kind: 'file' | 'text' | 'ssml';
	uri?: string;
}

/** PlaySource: `{kind, file{uri}|text{text,…}|ssml{ssmlText}, playSourceCacheId?}`. */
export function readPlaySource(f: Fields): PlaySourceInfo {
	const kind = f.enumOf('kind', ['file', 'text', 'ssml'] as const, true) as PlaySourceInfo['kind'];
	f.string('playSourceCacheId');
	if (kind === 'file') {
		const file = f.object('file', true) as Fields;
		return { kind, uri: file.uri('uri', true) };
	}
	if (kind === 'text') {
		const text = f.object('text', true) as Fields;
		text.requiredString('text');
		text.string('sourceLocale');
		text.enumOf('voiceKind', ['male', 'female']);
		text.string('voiceName');
		text.string('customVoiceEndpointId');
		return { kind };
	}
	const ssml = f.object('ssml', true) as Fields;
	ssml.requiredString('ssmlText');
	ssml.string('customVoiceEndpointId');
	return { kind };
}

function participantOf(call: CallRecord, target: IdentifierModel, field: string): void {
	if (!call.participants.has(target.rawId)) {
		throw invalidField(field, `${target.rawId} is not a participant of the call`);
	}
}

/** Why a play would fail once it runs (undefined = it plays). */
function playFailure(
	ctx: EmulatorContext,
	call: CallRecord,
	sources: PlaySourceInfo[],
): Record<string, unknown> | undefined {
	for (let i = 0; i < sources.length; i++) {
		const s = sources[i];
		if (s.kind === 'file' && s.uri && NON_WAV.test(new URL(s.uri).pathname)) {
			return {
				failedPlaySourceIndex: i,
				resultInformation: {
					code: 400,
					subCode: 8535,
					message: 'Action failed, file format is invalid (use WAV, mono, 16-bit PCM, 16 kHz).',
				},
			};
		}
		if (
			s.kind !== 'file' &&
			ctx.options.requireCognitiveServicesForTts &&
			!call.cognitiveServicesEndpoint
		) {
			return {
				failedPlaySourceIndex: i,
				resultInformation: {
					code: 401,
					subCode: 8565,
					message:
						'Action failed, text-to-speech needs Azure AI services linked to the call (callIntelligenceOptions.cognitiveServicesEndpoint when creating or answering it).',
				},
			};
		}
	}
	return undefined;
}

function startNextPlay(ctx: EmulatorContext, call: CallRecord): void {
	const op = call.plays[0];
	if (!op || op.started) return;
	op.started = true;
	ctx.events.emitCallEvent(call, 'PlayStarted', op.callbackUri, {
		operationContext: op.operationContext,
		resultInformation: OK,
	});
	onPlayStarted(ctx, call, op);
	if (op.loop) return;
	op.timer = setTimeout(() => {
		call.timers.delete(op.timer as NodeJS.Timeout);
		if (call.plays[0] !== op) return;
		call.plays.shift();
		ctx.events.emitCallEvent(call, 'PlayCompleted', op.callbackUri, {
			operationContext: op.operationContext,
			resultInformation: { code: 200, subCode: 0, message: 'Action completed successfully.' },
		});
		startNextPlay(ctx, call);
	}, ctx.options.playDurationMs);
	call.timers.add(op.timer);
}

/** Cancels every queued/running play and the pending recognize (PlayCanceled / RecognizeCanceled with their own contexts). */
function cancelMedia(ctx: EmulatorContext, call: CallRecord): void {
	const plays = call.plays;
	call.plays = [];
	for (const op of plays) {
		if (op.timer) {
			clearTimeout(op.timer);
			call.timers.delete(op.timer);
		}
		ctx.events.emitCallEvent(call, 'PlayCanceled', op.callbackUri, {
			operationContext: op.operationContext,
			resultInformation: CANCELED,
		});
	}
	const rec = call.recognize;
	if (rec) {
		if (rec.timer) clearTimeout(rec.timer);
		call.recognize = undefined;
		ctx.events.emitCallEvent(call, 'RecognizeCanceled', rec.callbackUri, {
			operationContext: rec.operationContext,
			resultInformation: CANCELED,
		});
	}
}

export function play(ctx: EmulatorContext, r: ApiRequest): ApiResult {
	const call = ctx.store.connectedCall(r.params[0]);
	const b = Fields.body(r.json);
	const sources = (b.objects('playSources', { required: true, min: 1, max: 10 }) as Fields[]).map(
		readPlaySource,
	);
	const playTo = b.identifiers('playTo') ?? [];
	playTo.forEach((t, i) => participantOf(call, t, `playTo[${i}]`));
	const interrupt = b.boolean('interruptCallMediaOperation') ?? false;
	const loop = b.object('playOptions')?.boolean('loop', true) ?? false;
	const operationContext = b.string('operationContext', { maxLength: MAX_CONTEXT });
	const operationCallbackUri = b.uri('operationCallbackUri');
	const url = callbackFor(call, operationCallbackUri);
	const failure = playFailure(ctx, call, sources);
	if (failure) {
		ctx.schedule(call, 0, () =>
			ctx.events.emitCallEvent(call, 'PlayFailed', url, { operationContext, ...failure }),
		);
		return { status: 202 };
	}
	if (interrupt) cancelMedia(ctx, call);
	const op: PlayOperation = {
		id: randomUUID(),
		kind: 'play',
		operationContext,
		callbackUri: url,
		sources: (r.json as { playSources: unknown[] }).playSources,
		playTo,
		loop,
		started: false,
	};
	call.plays.push(op);
	startNextPlay(ctx, call);
	return { status: 202 };
}

export function cancelAllMediaOperations(ctx: EmulatorContext, r: ApiRequest): ApiResult {
	cancelMedia(ctx, ctx.store.connectedCall(r.params[0]));
	return { status: 202 };
}

export function recognize(ctx: EmulatorContext, r: ApiRequest): ApiResult {
	const call = ctx.store.connectedCall(r.params[0]);
	const b = Fields.body(r.json);
	const inputType = b.enumOf(
		'recognizeInputType',
		['dtmf', 'speech', 'speechOrDtmf', 'choices'] as const,
		true,
	) as RecognizeOperation['inputType'];
	const prompt = b.object('playPrompt');
	if (prompt) readPlaySource(prompt);
	const promptList = b.objects('playPrompts', { max: 10 });
	promptList?.forEach(readPlaySource);
	const body = r.json as { playPrompt?: unknown; playPrompts?: unknown[] };
	const prompts = [
		...(prompt ? [body.playPrompt] : []),
		...(promptList ? (body.playPrompts as unknown[]) : []),
	];
	const interrupt = b.boolean('interruptCallMediaOperation') ?? false;
	const operationContext = b.string('operationContext', { maxLength: MAX_CONTEXT });
	const operationCallbackUri = b.uri('operationCallbackUri');
	const o = b.object('recognizeOptions', true) as Fields;
	const target = o.identifier('targetParticipant', true) as IdentifierModel;
	participantOf(call, target, 'recognizeOptions.targetParticipant');
	const interruptPrompt = o.boolean('interruptPrompt') ?? false;
	o.integer('initialSilenceTimeoutInSeconds', { min: 0, max: 300 });
	o.string('speechLanguage');
	o.string('speechRecognitionModelEndpointId');
	const dtmf = o.object('dtmfOptions');
	dtmf?.integer('interToneTimeoutInSeconds', { min: 1, max: 60 });
	const maxTonesToCollect = dtmf?.integer('maxTonesToCollect', { min: 1, max: 100 }) ?? 1;
	const stopTones = dtmf?.tones('stopTones') ?? [];
	const choices = (
		o.objects('choices', {
			required: inputType === 'choices',
			min: inputType === 'choices' ? 1 : 0,
		}) ?? []
	).map((c) => ({
		label: c.requiredString('label'),
		phrases: (c.array('phrases', { required: true, min: 1 }) ?? []).map(({ value, path }) => {
			if (typeof value !== 'string' || value.trim() === '')
				throw invalidField(path, 'must be a non-empty string');
			return value;
		}),
		tone: c.enumOf('tone', TONES),
	}));
	o.object('speechOptions')?.integer('endSilenceTimeoutInMs', { min: 0 });
	if (call.recognize && !interrupt) {
		throw new AcsError(
			400,
			'8500',
			'Action is invalid: another recognize operation is already running on this call (cancel it first or set interruptCallMediaOperation).',
		);
	}
	if (interrupt) cancelMedia(ctx, call);
	const op: RecognizeOperation = {
		id: randomUUID(),
		kind: 'recognize',
		inputType,
		operationContext,
		callbackUri: callbackFor(call, operationCallbackUri),
		target,
		maxTonesToCollect,
		stopTones,
		choices,
		collected: [],
		prompts,
		interruptPrompt,
		heardFrom: call.heard.length,
	};
	call.recognize = op;
	onRecognizeStarted(ctx, call, op);
	if (ctx.options.recognizeTones && !call.caller) {
		const keys = ctx.options.recognizeTones;
		ctx.schedule(call, ctx.options.recognizeDelayMs, () => {
			if (call.recognize === op) pressKeys(ctx, call.callConnectionId, keys);
		});
	}
	return { status: 202 };
}

function finishRecognize(
	ctx: EmulatorContext,
	call: CallRecord,
	name: 'RecognizeCompleted' | 'RecognizeFailed',
	data: Record<string, unknown>,
): void {
	const op = call.recognize as RecognizeOperation;
	call.recognize = undefined;
	if (op.timer) clearTimeout(op.timer);
	ctx.events.emitCallEvent(call, name, op.callbackUri, {
		operationContext: op.operationContext,
		...data,
	});
}

export interface KeyPressResult {
	tones: Tone[];
	recognizeCompleted: boolean;
	continuousDtmfEvents: number;
}

/** The callee presses keys: feeds continuous DTMF recognition and a pending recognize. */
export function pressKeys(
	ctx: EmulatorContext,
	callConnectionId: string,
	keys: string | string[],
): KeyPressResult {
	const call = ctx.store.connectedCall(callConnectionId);
	const tones = tonesFromKeys(keys);
	const result: KeyPressResult = { tones, recognizeCompleted: false, continuousDtmfEvents: 0 };
	for (const tone of tones) {
		for (const c of call.continuousDtmf.values()) {
			ctx.events.emitCallEvent(call, 'ContinuousDtmfRecognitionToneReceived', c.callbackUri, {
				operationContext: c.operationContext,
				tone,
				sequenceId: ++call.dtmfSequenceId,
				resultInformation: OK,
			});
			result.continuousDtmfEvents++;
		}
		const op = call.recognize;
		if (!op || op.inputType === 'speech') continue;
		if (op.inputType === 'choices') {
			const choice = op.choices.find((c) => c.tone === tone);
			if (choice) {
				finishRecognize(ctx, call, 'RecognizeCompleted', {
					recognitionType: 'choices',
					choiceResult: { label: choice.label, recognizedPhrase: choice.phrases[0] },
					resultInformation: {
						code: 200,
						subCode: 8545,
						message: 'Action completed, recognized speech option matched.',
					},
				});
			} else {
				finishRecognize(ctx, call, 'RecognizeFailed', {
					resultInformation: {
						code: 400,
						subCode: 8547,
						message: 'Action failed, recognized option did not match any choice.',
					},
				});
			}
			result.recognizeCompleted = true;
			continue;
		}
		if (op.stopTones.includes(tone)) {
			finishRecognize(ctx, call, 'RecognizeCompleted', {
				recognitionType: 'dtmf',
				dtmfResult: { tones: op.collected },
				resultInformation: {
					code: 200,
					subCode: 8514,
					message: 'Action completed, stop tone detected.',
				},
			});
			result.recognizeCompleted = true;
			continue;
		}
		op.collected.push(tone);
		if (op.collected.length >= op.maxTonesToCollect) {
			finishRecognize(ctx, call, 'RecognizeCompleted', {
				recognitionType: 'dtmf',
				dtmfResult: { tones: op.collected },
				resultInformation: {
					code: 200,
					subCode: 8531,
					message: 'Action completed, max digits received.',
				},
			});
			result.recognizeCompleted = true;
		}
	}
	return result;
}

/** The callee speaks: completes a speech/speechOrDtmf recognize, or matches a choice by phrase. */
export function saySpeech(
	ctx: EmulatorContext,
	callConnectionId: string,
	text: string,
	confidence = 0.95,
): boolean {
	const call = ctx.store.connectedCall(callConnectionId);
	const op = call.recognize;
	if (!op || op.inputType === 'dtmf') return false;
	if (op.inputType === 'choices') {
		const said = text.trim().toLowerCase();
		const choice = op.choices.find(
			(c) => c.label.toLowerCase() === said || c.phrases.some((p) => p.toLowerCase() === said),
		);
		if (!choice) {
			finishRecognize(ctx, call, 'RecognizeFailed', {
				resultInformation: {
					code: 400,
					subCode: 8547,
					message: 'Action failed, speech option not matched.',
				},
			});
			return true;
		}
		finishRecognize(ctx, call, 'RecognizeCompleted', {
			recognitionType: 'choices',
			choiceResult: { label: choice.label, recognizedPhrase: text, confidence },
			resultInformation: {
				code: 200,
				subCode: 8545,
				message: 'Action completed, recognized speech option matched.',
			},
		});
		return true;
	}
	finishRecognize(ctx, call, 'RecognizeCompleted', {
		recognitionType: 'speech',
		speechResult: { speech: text, confidence },
		resultInformation: {
			code: 200,
			subCode: 8569,
			message: 'Action completed, speech recognized.',
		},
	});
	return true;
}

/** The callee speaks but nothing intelligible: RecognizeFailed 400/8563. */
export function speechNotRecognized(ctx: EmulatorContext, callConnectionId: string): boolean {
	const call = ctx.store.connectedCall(callConnectionId);
	if (!call.recognize) return false;
	finishRecognize(ctx, call, 'RecognizeFailed', {
		resultInformation: {
			code: 400,
			subCode: 8563,
			message: 'Action failed, speech could not be recognized.',
		},
	});
	return true;
}

/** The callee stays silent: RecognizeFailed 400/8510 (or 8532 after some digits). */
export function recognizeTimeout(ctx: EmulatorContext, callConnectionId: string): boolean {
	const call = ctx.store.connectedCall(callConnectionId);
	const op = call.recognize;
	if (!op) return false;
	const partial = op.collected.length > 0;
	finishRecognize(ctx, call, 'RecognizeFailed', {
		resultInformation: partial
			? { code: 400, subCode: 8532, message: 'Action failed, inter-digit silence timeout reached.' }
			: { code: 400, subCode: 8510, message: 'Action failed, initial silence timeout reached.' },
	});
	return true;
}

function readTargetOperation(
	call: CallRecord,
	r: ApiRequest,
): { target: IdentifierModel; operationContext?: string; url: string; b: Fields } {
	const b = Fields.body(r.json);
	const target = b.identifier('targetParticipant', true) as IdentifierModel;
	participantOf(call, target, 'targetParticipant');
	const operationContext = b.string('operationContext', { maxLength: MAX_CONTEXT });
	const url = callbackFor(call, b.uri('operationCallbackUri'));
	return { target, operationContext, url, b };
}

export function startContinuousDtmf(ctx: EmulatorContext, r: ApiRequest): ApiResult {
	const call = ctx.store.connectedCall(r.params[0]);
	const { target, operationContext, url } = readTargetOperation(call, r);
	call.continuousDtmf.set(target.rawId, { target, operationContext, callbackUri: url });
	return { status: 200 };
}

export function stopContinuousDtmf(ctx: EmulatorContext, r: ApiRequest): ApiResult {
	const call = ctx.store.connectedCall(r.params[0]);
	const { target, operationContext, url } = readTargetOperation(call, r);
	call.continuousDtmf.delete(target.rawId);
	ctx.events.emitCallEvent(call, 'ContinuousDtmfRecognitionStopped', url, {
		operationContext,
		resultInformation: OK,
	});
	return { status: 200 };
}

export function sendDtmfTones(ctx: EmulatorContext, r: ApiRequest): ApiResult {
	const call = ctx.store.connectedCall(r.params[0]);
	const { operationContext, url, b } = readTargetOperation(call, r);
	b.tones('tones', { required: true, min: 1, max: 18 });
	ctx.schedule(call, 0, () =>
		ctx.events.emitCallEvent(call, 'SendDtmfTonesCompleted', url, {
			operationContext,
			resultInformation: OK,
		}),
	);
	return { status: 202, body: { operationContext } };
}

function setHold(ctx: EmulatorContext, r: ApiRequest, onHold: boolean): ApiResult {
	const call = ctx.store.connectedCall(r.params[0]);
	const { target, b } = readTargetOperation(call, r);
	if (onHold) {
		const music = b.object('playSourceInfo');
		if (music) readPlaySource(music);
	}
	const participant = call.participants.get(target.rawId);
	if (!participant) throw notFound(`Participant ${target.rawId} was not found in the call.`);
	if (participant.isOnHold !== onHold) {
		participant.isOnHold = onHold;
		emitParticipantsUpdated(ctx, call);
	}
	return { status: 200 };
}

export const hold = (ctx: EmulatorContext, r: ApiRequest): ApiResult => setHold(ctx, r, true);
export const unhold = (ctx: EmulatorContext, r: ApiRequest): ApiResult => setHold(ctx, r, false);
