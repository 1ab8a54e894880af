/** Resource and operation names, as the node's selectors store them. */
export type AzureCallAutomationType = {
	call: 'create' | 'get' | 'hangUp' | 'answer' | 'reject' | 'redirect' | 'transfer';
	media:
		| 'playAudio'
		| 'playText'
		| 'cancelAll'
		| 'recognize'
		| 'sendDtmf'
		| 'startContinuousDtmf'
		| 'stopContinuousDtmf'
		| 'hold'
		| 'unhold';
	participant: 'add' | 'remove' | 'list' | 'get' | 'mute' | 'cancelAdd';
	recording: 'start' | 'getState' | 'pause' | 'resume' | 'stop';
};

export type Resource = keyof AzureCallAutomationType;
