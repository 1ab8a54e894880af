/** The data-plane route table (GA Call Automation API). Success codes are exactly the ones the SDK accepts. */
import type { Handler } from './context';
import * as calls from './calls';
import * as media from './media';
import * as participants from './participants';
import * as recordings from './recordings';
import * as streaming from './streaming';

export interface Route {
	name: string;
	method: 'GET' | 'POST' | 'DELETE';
	pattern: RegExp;
	/** Whether the route takes a JSON body (others ignore whatever is sent). */
	json: boolean;
	handler: Handler;
}

const CC = '/calling/callConnections';
const ID = '([^/:]+)';

function route(
	name: string,
	method: Route['method'],
	pattern: string,
	json: boolean,
	handler: Handler,
): Route {
	return { name, method, pattern: new RegExp(`^${pattern}$`), json, handler };
}

export const ROUTES: Route[] = [
	route('createCall', 'POST', CC, true, calls.createCall),
	route('answerCall', 'POST', `${CC}:answer`, true, calls.answerCall),
	route('redirectCall', 'POST', `${CC}:redirect`, true, calls.redirectCall),
	route('rejectCall', 'POST', `${CC}:reject`, true, calls.rejectCall),
	route('connect', 'POST', `${CC}:connect`, true, calls.connectCall),
	route('getCall', 'GET', `${CC}/${ID}`, false, calls.getCall),
	route('hangUp', 'DELETE', `${CC}/${ID}`, false, calls.hangUp),
	route('terminate', 'POST', `${CC}/${ID}:terminate`, false, calls.terminate),
	route('transferToParticipant', 'POST', `${CC}/${ID}:transferToParticipant`, true, calls.transfer),
	route('play', 'POST', `${CC}/${ID}:play`, true, media.play),
	route(
		'cancelAllMediaOperations',
		'POST',
		`${CC}/${ID}:cancelAllMediaOperations`,
		false,
		media.cancelAllMediaOperations,
	),
	route('recognize', 'POST', `${CC}/${ID}:recognize`, true, media.recognize),
	route(
		'startContinuousDtmfRecognition',
		'POST',
		`${CC}/${ID}:startContinuousDtmfRecognition`,
		true,
		media.startContinuousDtmf,
	),
	route(
		'stopContinuousDtmfRecognition',
		'POST',
		`${CC}/${ID}:stopContinuousDtmfRecognition`,
		true,
		media.stopContinuousDtmf,
	),
	route('sendDtmfTones', 'POST', `${CC}/${ID}:sendDtmfTones`, true, media.sendDtmfTones),
	route('hold', 'POST', `${CC}/${ID}:hold`, true, media.hold),
	route('unhold', 'POST', `${CC}/${ID}:unhold`, true, media.unhold),
	route(
		'startTranscription',
		'POST',
		`${CC}/${ID}:startTranscription`,
		true,
		streaming.startTranscription,
	),
	route(
		'stopTranscription',
		'POST',
		`${CC}/${ID}:stopTranscription`,
		true,
		streaming.stopTranscription,
	),
	route(
		'updateTranscription',
		'POST',
		`${CC}/${ID}:updateTranscription`,
		true,
		streaming.updateTranscription,
	),
	route(
		'startMediaStreaming',
		'POST',
		`${CC}/${ID}:startMediaStreaming`,
		true,
		streaming.startMediaStreaming,
	),
	route(
		'stopMediaStreaming',
		'POST',
		`${CC}/${ID}:stopMediaStreaming`,
		true,
		streaming.stopMediaStreaming,
	),
	route(
		'listParticipants',
		'GET',
		`${CC}/${ID}/participants`,
		false,
		participants.listParticipants,
	),
	route(
		'getParticipant',
		'GET',
		`${CC}/${ID}/participants/([^/]+)`,
		false,
		participants.getParticipant,
	),
	route('addParticipant', 'POST', `${CC}/${ID}/participants:add`, true, participants.add),
	route('removeParticipant', 'POST', `${CC}/${ID}/participants:remove`, true, participants.remove),
	route('muteParticipants', 'POST', `${CC}/${ID}/participants:mute`, true, participants.mute),
	route(
		'moveParticipants',
		'POST',
		`${CC}/${ID}/participants:moveHere`,
		true,
		participants.moveHere,
	),
	route(
		'cancelAddParticipant',
		'POST',
		`${CC}/${ID}/participants:cancelAddParticipant`,
		true,
		participants.cancelAddParticipant,
	),
	route('startRecording', 'POST', '/calling/recordings', true, recordings.startRecording),
	route('getRecording', 'GET', `/calling/recordings/${ID}`, false, recordings.getRecording),
	route('stopRecording', 'DELETE', `/calling/recordings/${ID}`, false, recordings.stopRecording),
	route(
		'pauseRecording',
		'POST',
		`/calling/recordings/${ID}:pause`,
		false,
		recordings.pauseRecording,
	),
	route(
		'resumeRecording',
		'POST',
		`/calling/recordings/${ID}:resume`,
		false,
		recordings.resumeRecording,
	),
];

/** Finds the route for a path ('%3A' already turned into ':'); `methodMismatch` when only the method is wrong. */
export function matchRoute(
	method: string,
	path: string,
): { route?: Route; params: string[]; methodMismatch: boolean } {
	let methodMismatch = false;
	for (const r of ROUTES) {
		const m = r.pattern.exec(path);
		if (!m) continue;
		if (r.method !== method) {
			methodMismatch = true;
			continue;
		}
		return { route: r, params: m.slice(1).map(safeDecode), methodMismatch: false };
	}
	return { params: [], methodMismatch };
}

function safeDecode(segment: string): string {
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment;
	}
}
