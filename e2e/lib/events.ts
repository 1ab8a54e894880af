/** A call event as ACS posts it to a callback URL (a CloudEvent), for runs that post their own. */
import { randomUUID } from 'node:crypto';

export function callEvent(
	callConnectionId: string,
	data: Record<string, unknown>,
	type = 'Microsoft.Communication.CallConnected',
): Record<string, unknown> {
	return {
		id: randomUUID(),
		source: `calling/callConnections/${callConnectionId}`,
		type,
		specversion: '1.0',
		time: new Date().toISOString(),
		datacontenttype: 'application/json',
		subject: `calling/callConnections/${callConnectionId}`,
		data: { callConnectionId, correlationId: randomUUID(), ...data },
	};
}
