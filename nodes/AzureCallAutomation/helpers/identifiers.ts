/**
 * Communication identifiers as ACS puts them on the wire (CommunicationIdentifierModel),
 * built from what a user types: "+14255550100", "8:acs:…", "8:orgid:…", "28:orgid:…" or any raw id.
 */
export type IdentifierKind =
	| 'phoneNumber'
	| 'communicationUser'
	| 'microsoftTeamsUser'
	| 'microsoftTeamsApp'
	| 'unknown';

/** What the user picked in a "Type" dropdown; `auto` infers it from the text. */
export type IdentifierInputType = 'auto' | IdentifierKind;

export interface PhoneNumberModel {
	value: string;
	isAnonymous?: boolean;
	assertedId?: string;
}

export interface IdentifierModel {
	kind?: IdentifierKind;
	rawId: string;
	communicationUser?: { id: string };
	phoneNumber?: PhoneNumberModel;
	microsoftTeamsUser?: { userId: string; isAnonymous: boolean; cloud: string };
	microsoftTeamsApp?: { appId: string; cloud: string };
}

export class IdentifierError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'IdentifierError';
	}
}

const E164 = /^\+[1-9]\d{6,14}$/;
// Separators people paste from CRMs and spreadsheets; stripped before checking E.164.
const PHONE_SEPARATORS = /[\s\-().\u00a0]/g;

/** Returns the number in E.164 form or throws an error that says how to fix it. */
export function normalizePhoneNumber(input: unknown, label = 'Phone number'): string {
	const text = typeof input === 'number' ? String(input) : typeof input === 'string' ? input : '';
	const compact = text.replace(PHONE_SEPARATORS, '');
	if (compact === '') {
		throw new IdentifierError(`${label} is empty. Enter a number in E.164 format, e.g. +14255550100.`);
	}
	const withPlus = compact.startsWith('00') ? `+${compact.slice(2)}` : compact;
	if (!E164.test(withPlus)) {
		const hint = withPlus.startsWith('+')
			? 'it must be "+" followed by 7 to 15 digits (country code first)'
			: 'it must start with "+" and the country code';
		throw new IdentifierError(
			`${label} "${text}" is not an E.164 phone number: ${hint}, e.g. +14255550100.`,
		);
	}
	return withPlus;
}

const TEAMS_USER_PREFIXES: Array<[string, string, boolean]> = [
	['8:orgid:', 'public', false],
	['8:gcch:', 'gcch', false],
	['8:dod:', 'dod', false],
	['8:teamsvisitor:', 'public', true],
];
const TEAMS_APP_PREFIXES: Array<[string, string]> = [
	['28:orgid:', 'public'],
	['28:gcch:', 'gcch'],
	['28:dod:', 'dod'],
];
const ACS_USER_PREFIXES = ['8:acs:', '8:gcch-acs:', '8:dod-acs:', '8:spool:'];

function phoneModel(value: string): IdentifierModel {
	return { kind: 'phoneNumber', rawId: `4:${value}`, phoneNumber: { value, isAnonymous: false } };
}

/** Infers the identifier kind of a raw id or phone number, as communication-common does. */
export function inferKind(text: string): IdentifierKind {
	if (text.startsWith('4:') || text.startsWith('+') || /^[\d\s\-().]+$/.test(text)) return 'phoneNumber';
	if (ACS_USER_PREFIXES.some((p) => text.startsWith(p))) return 'communicationUser';
	if (TEAMS_USER_PREFIXES.some(([p]) => text.startsWith(p))) return 'microsoftTeamsUser';
	if (TEAMS_APP_PREFIXES.some(([p]) => text.startsWith(p))) return 'microsoftTeamsApp';
	return 'unknown';
}

/**
 * Builds the wire model for one participant. `label` names the field in errors.
 * Teams ids may be given bare (a GUID) when the type is chosen explicitly.
 */
export function parseIdentifier(
	input: unknown,
	type: IdentifierInputType = 'auto',
	label = 'Participant',
): IdentifierModel {
	const text = typeof input === 'string' ? input.trim() : typeof input === 'number' ? String(input) : '';
	if (text === '') {
		throw new IdentifierError(
			`${label} is empty. Enter a phone number (+14255550100) or an ACS user id (8:acs:…).`,
		);
	}
	const kind = type === 'auto' ? inferKind(text) : type;
	switch (kind) {
		case 'phoneNumber':
			return phoneModel(normalizePhoneNumber(text.startsWith('4:') ? text.slice(2) : text, label));
		case 'communicationUser':
			if (!ACS_USER_PREFIXES.some((p) => text.startsWith(p))) {
				throw new IdentifierError(
					`${label} "${text}" is not an ACS user id: it should start with "8:acs:" (create users with the ACS Identity API).`,
				);
			}
			return { kind, rawId: text, communicationUser: { id: text } };
		case 'microsoftTeamsUser': {
			const prefix = TEAMS_USER_PREFIXES.find(([p]) => text.startsWith(p));
			const [rawPrefix, cloud, isAnonymous] = prefix ?? ['8:orgid:', 'public', false];
			const userId = prefix ? text.slice(rawPrefix.length) : text;
			if (userId === '') throw new IdentifierError(`${label} "${text}" has no Teams user id.`);
			return { kind, rawId: `${rawPrefix}${userId}`, microsoftTeamsUser: { userId, isAnonymous, cloud } };
		}
		case 'microsoftTeamsApp': {
			const prefix = TEAMS_APP_PREFIXES.find(([p]) => text.startsWith(p));
			const [rawPrefix, cloud] = prefix ?? ['28:orgid:', 'public'];
			const appId = prefix ? text.slice(rawPrefix.length) : text;
			if (appId === '') throw new IdentifierError(`${label} "${text}" has no Teams app id.`);
			return { kind, rawId: `${rawPrefix}${appId}`, microsoftTeamsApp: { appId, cloud } };
		}
		default:
			if (type === 'auto') {
				throw new IdentifierError(
					`${label} "${text}" is neither a phone number (+14255550100) nor a known id (8:acs:…, 8:orgid:…, 28:orgid:…). Choose the type "Raw ID" to send it as is.`,
				);
			}
			return { kind: 'unknown', rawId: text };
	}
}

/** Some request fields (playTo, targetParticipant…) are sent by the SDK without `kind`. */
export function withoutKind(model: IdentifierModel): IdentifierModel {
	const { kind: _kind, ...rest } = model;
	return rest;
}

/** `sourceCallerIdNumber` is a bare PhoneNumberModel. */
export function phoneNumberModel(input: unknown, label: string): PhoneNumberModel {
	return { value: normalizePhoneNumber(input, label), isAnonymous: false };
}
