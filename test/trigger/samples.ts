/** Events shaped as ACS and Event Grid send them, for the trigger's tests. */
import { randomUUID } from 'node:crypto';
import type { IDataObject } from 'n8n-workflow';

export const P = 'Microsoft.Communication.';

export function callEvent(
	name: string,
	callConnectionId: string,
	data: IDataObject = {},
): IDataObject {
	const path = `calling/callConnections/${callConnectionId}`;
	return {
		id: randomUUID(),
		source: path,
		type: P + name,
		specversion: '1.0',
		time: new Date().toISOString(),
		datacontenttype: 'application/json',
		subject: path,
		data: {
			callConnectionId,
			serverCallId: `server-${callConnectionId}`,
			correlationId: `corr-${callConnectionId}`,
			resultInformation: { code: 200, subCode: 0, message: 'ok' },
			...data,
		},
	};
}

export const TOPIC =
	'/subscriptions/sub/resourceGroups/rg/providers/Microsoft.Communication/communicationServices/acs';
export const incomingData = {
	to: { kind: 'phoneNumber', rawId: '4:+18005550100', phoneNumber: { value: '+18005550100' } },
	from: { kind: 'PhoneNumber', rawId: '4:+14255550123', phoneNumber: { value: '+14255550123' } },
	serverCallId: 'server-incoming',
	callerDisplayName: '',
	incomingCallContext: 'opaque.context',
	correlationId: 'corr-incoming',
};
export const recordingData = {
	recordingStorageInfo: {
		recordingChunks: [
			{
				documentId: 'doc-1',
				index: 0,
				endReason: 'SessionEnded',
				contentLocation: 'https://storage.example/recording/content',
				metadataLocation: 'https://storage.example/recording/metadata',
				deleteLocation: 'https://storage.example/recording/delete',
			},
		],
	},
	recordingStartTime: '2026-11-24T12:00:00Z',
	recordingDurationMs: 12000,
	sessionEndReason: 'CallEnded',
};

export function eventGridEvent(name: string, data: IDataObject, subject = ''): IDataObject {
	return {
		id: randomUUID(),
		topic: TOPIC,
		subject,
		data,
		eventType: P + name,
		eventTime: new Date().toISOString(),
		metadataVersion: '1',
		dataVersion: '1.0',
	};
}

export function cloudEventGrid(name: string, data: IDataObject, subject = ''): IDataObject {
	return {
		id: randomUUID(),
		source: TOPIC,
		type: P + name,
		subject,
		time: new Date().toISOString(),
		specversion: '1.0',
		data,
	};
}
