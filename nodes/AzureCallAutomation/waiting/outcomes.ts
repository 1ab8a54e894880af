/** For each operation that can wait: the events that end it well, and those that end it badly. */
export interface OutcomeSpec {
	success: string[];
	failure: string[];
}

export const OUTCOMES: Record<string, OutcomeSpec> = {
	'call.create': { success: ['CallConnected'], failure: ['CreateCallFailed', 'CallDisconnected'] },
	'call.answer': { success: ['CallConnected'], failure: ['AnswerFailed', 'CallDisconnected'] },
	'call.transfer': { success: ['CallTransferAccepted'], failure: ['CallTransferFailed'] },
	'media.playAudio': { success: ['PlayCompleted'], failure: ['PlayFailed', 'PlayCanceled'] },
	'media.playText': { success: ['PlayCompleted'], failure: ['PlayFailed', 'PlayCanceled'] },
	'media.recognize': {
		success: ['RecognizeCompleted'],
		failure: ['RecognizeFailed', 'RecognizeCanceled'],
	},
	'media.sendDtmf': { success: ['SendDtmfTonesCompleted'], failure: ['SendDtmfTonesFailed'] },
	'participant.add': { success: ['AddParticipantSucceeded'], failure: ['AddParticipantFailed'] },
	'participant.remove': {
		success: ['RemoveParticipantSucceeded'],
		failure: ['RemoveParticipantFailed'],
	},
	'participant.cancelAdd': {
		success: ['CancelAddParticipantSucceeded'],
		failure: ['CancelAddParticipantFailed'],
	},
};

/** Operations by resource, for the fields' displayOptions. */
export const WAITABLE: Record<string, string[]> = {};
for (const key of Object.keys(OUTCOMES)) {
	const [resource, operation] = key.split('.');
	(WAITABLE[resource] ??= []).push(operation);
}

export function outcomeSpec(resource: string, operation: string): OutcomeSpec | undefined {
	return Object.prototype.hasOwnProperty.call(OUTCOMES, `${resource}.${operation}`)
		? OUTCOMES[`${resource}.${operation}`]
		: undefined;
}
