/** Shapes shared by the participant operations' output items. */
import type { IDataObject } from 'n8n-workflow';

import { inferKind } from '../../helpers/identifiers';
import { encodeId } from '../../transport';

/** One CallParticipant as an item: the fields people map on top, the full identifier kept. */
export function participantItem(callConnectionId: string, participant: IDataObject): IDataObject {
	const identifier = (participant.identifier ?? {}) as IDataObject;
	const rawId = typeof identifier.rawId === 'string' ? identifier.rawId : '';
	const phone = identifier.phoneNumber as IDataObject | undefined;
	return {
		callConnectionId,
		rawId,
		kind: (identifier.kind as string | undefined) ?? inferKind(rawId),
		phoneNumber: typeof phone?.value === 'string' ? phone.value : null,
		isMuted: participant.isMuted === true,
		isOnHold: participant.isOnHold === true,
		identifier,
	};
}

export const participantPath = (callConnectionId: string): string =>
	`/calling/callConnections/${encodeId(callConnectionId)}/participants`;
