import {
	createIdentifierFromRawId,
	getIdentifierRawId,
	serializeCommunicationIdentifier,
} from '@azure/communication-common';

import {
	normalizePhoneNumber,
	parseIdentifier,
	rawIdOf,
	withoutKind,
	type IdentifierModel,
} from '../../acs/identifiers';
import { RAW_IDS } from '../harness/rawIds';

describe('identifiers', () => {
	it('normalises pasted phone numbers to E.164', () => {
		expect(normalizePhoneNumber('+1 (425) 555-0100')).toBe('+14255550100');
		expect(normalizePhoneNumber('0044 20 7946 0958')).toBe('+442079460958');
	});

	it.each(['4255550100', '+0123456789', '+1', '+1234567890123456', 'call me', ''])(
		'rejects %j as not E.164, saying how to fix it',
		(value) => {
			expect(() => normalizePhoneNumber(value, 'Target')).toThrow(/Target .*(E\.164|empty)/);
		},
	);

	it('builds the wire model the SDK sends for each kind', () => {
		expect(parseIdentifier('+14255550100')).toEqual({
			kind: 'phoneNumber',
			rawId: '4:+14255550100',
			phoneNumber: { value: '+14255550100', isAnonymous: false },
		});
		expect(parseIdentifier('4:+14255550100').rawId).toBe('4:+14255550100');
		expect(parseIdentifier('8:acs:res_user')).toEqual({
			kind: 'communicationUser',
			rawId: '8:acs:res_user',
			communicationUser: { id: '8:acs:res_user' },
		});
		expect(parseIdentifier('8:orgid:abc')).toEqual({
			kind: 'microsoftTeamsUser',
			rawId: '8:orgid:abc',
			microsoftTeamsUser: { userId: 'abc', isAnonymous: false, cloud: 'public' },
		});
		expect(parseIdentifier('abc', 'microsoftTeamsUser').rawId).toBe('8:orgid:abc');
		expect(parseIdentifier('28:gcch:app', 'auto').microsoftTeamsApp).toEqual({
			appId: 'app',
			cloud: 'gcch',
		});
		expect(parseIdentifier('custom-id', 'unknown')).toEqual({
			kind: 'unknown',
			rawId: 'custom-id',
		});
		expect(withoutKind(parseIdentifier('+14255550100'))).not.toHaveProperty('kind');
	});

	it('explains unknown or mistyped ids', () => {
		expect(() => parseIdentifier('custom-id', 'auto', 'Target 2')).toThrow(/Target 2 .*Raw ID/);
		expect(() => parseIdentifier('+1425', 'communicationUser', 'Target')).toThrow(/8:acs:/);
		expect(() => parseIdentifier('  ', 'auto', 'Target')).toThrow(/empty/);
	});

	it.each(RAW_IDS)("reads %s exactly as the SDK's createIdentifierFromRawId", (rawId) => {
		const sdk = JSON.parse(
			JSON.stringify(serializeCommunicationIdentifier(createIdentifierFromRawId(rawId))),
		) as object;
		expect(withoutKind(parseIdentifier(rawId))).toEqual(sdk);
		expect(parseIdentifier(rawId).kind).toBe(createIdentifierFromRawId(rawId).kind);
	});

	it.each(RAW_IDS)('reads %s typed as "Raw ID" as the SDK reads the raw id', (rawId) => {
		const sdk = JSON.parse(
			JSON.stringify(serializeCommunicationIdentifier(createIdentifierFromRawId(rawId))),
		) as object;
		expect(withoutKind(parseIdentifier(rawId, 'unknown'))).toEqual(sdk);
	});

	it.each(RAW_IDS.filter((rawId) => createIdentifierFromRawId(rawId).kind !== 'unknown'))(
		"rebuilds the raw id of %s from its fields alone as the SDK's getIdentifierRawId",
		(rawId) => {
			const fieldsOnly: Partial<IdentifierModel> = { ...parseIdentifier(rawId) };
			delete fieldsOnly.rawId;
			expect(rawIdOf(fieldsOnly)).toBe(getIdentifierRawId(createIdentifierFromRawId(rawId)));
			expect(rawIdOf(parseIdentifier(rawId))).toBe(rawId);
		},
	);

	it('takes a string as a raw id and has no raw id for anything else', () => {
		expect(rawIdOf('4:+1')).toBe('4:+1');
		expect(rawIdOf(5)).toBeUndefined();
		expect(rawIdOf({ kind: 'unknown' })).toBeUndefined();
		expect(rawIdOf({ microsoftTeamsUser: { userId: 'u' } })).toBe('8:orgid:u');
	});

	it('takes an anonymous caller as typed or as its raw id', () => {
		expect(parseIdentifier('anonymous')).toEqual(parseIdentifier('4:anonymous'));
		expect(parseIdentifier('anonymous', 'phoneNumber').phoneNumber).toEqual({
			value: 'anonymous',
			isAnonymous: true,
		});
	});

	it('refuses a Teams extension id that is not one, and an asserted id without a number', () => {
		expect(() => parseIdentifier('8:acs:res_user', 'teamsExtensionUser', 'Target')).toThrow(
			/Teams extension/,
		);
		expect(() => parseIdentifier('4:12345_x', 'auto', 'Target')).toThrow(/E\.164/);
	});
});
