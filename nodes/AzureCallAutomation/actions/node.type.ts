/** Resource and operation names, as the node's selectors store them. */
export type AzureCallAutomationType = {
	call: 'create' | 'get' | 'hangUp' | 'answer' | 'reject' | 'redirect' | 'transfer' | 'connect';
	media:
		| 'playAudio'
		| 'playText'
		| 'cancelAll'
		| 'recognize'
		| 'sendDtmf'
		| 'startContinuousDtmf'
		| 'stopContinuousDtmf'
		| 'hold'
		| 'unhold'
		| 'startTranscription'
		| 'stopTranscription'
		| 'updateTranscription'
		| 'startMediaStreaming'
		| 'stopMediaStreaming';
	participant: 'add' | 'remove' | 'list' | 'get' | 'mute' | 'cancelAdd' | 'move';
	recording: 'start' | 'getState' | 'pause' | 'resume' | 'stop' | 'download' | 'delete';
};

export type Resource = keyof AzureCallAutomationType;
