/**
 * Communication identifiers as ACS puts them on the wire (CommunicationIdentifierModel),
 * built from what a user types: "+14255550100", "8:acs:…", "8:orgid:…", "28:orgid:…" or any raw id.
 * Raw ids are read exactly as communication-common's createIdentifierFromRawId reads them.
 */
export type IdentifierKind =
	| 'phoneNumber'
	| 'communicationUser'
	| 'microsoftTeamsUser'
	| 'microsoftTeamsApp'
	| 'teamsExtensionUser'
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
	teamsExtensionUser?: { userId: string; tenantId: string; resourceId: string; cloud: string };
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
		throw new IdentifierError(
			`${label} is empty. Enter a number in E.164 format, e.g. +14255550100.`,
		);
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
/** ACS user prefixes by cloud; `<resource>_<tenant>_<user>` after one of the first three is a Teams extension user. */
const ACS_USER_PREFIXES: Array<[string, string]> = [
	['8:acs:', 'public'],
	['8:gcch-acs:', 'gcch'],
	['8:dod-acs:', 'dod'],
	['8:spool:', 'public'],
];
export const ANONYMOUS = 'anonymous';

function phoneModel(value: string): IdentifierModel {
	return { kind: 'phoneNumber', rawId: `4:${value}`, phoneNumber: { value, isAnonymous: false } };
}

/** `4:…` as the SDK reads it: `4:anonymous` (withheld caller id) and `4:+1…_<assertedId>` kept verbatim. */
function phoneFromRawId(rest: string, label: string): IdentifierModel {
	if (rest === ANONYMOUS) {
		return {
			kind: 'phoneNumber',
			rawId: `4:${ANONYMOUS}`,
			phoneNumber: { value: ANONYMOUS, isAnonymous: true },
		};
	}
	const underscore = rest.lastIndexOf('_');
	if (underscore <= 0 || underscore === rest.length - 1)
		return phoneModel(normalizePhoneNumber(rest, label));
	const number = rest.slice(0, underscore);
	if (!E164.test(number)) {
		throw new IdentifierError(
			`${label} "4:${rest}" must hold an E.164 number (e.g. +14255550100) before "_<asserted id>".`,
		);
	}
	return {
		kind: 'phoneNumber',
		rawId: `4:${rest}`,
		phoneNumber: { value: rest, isAnonymous: false, assertedId: rest.slice(underscore + 1) },
	};
}

/** `prefix:suffix` with exactly two colons, as createIdentifierFromRawId splits it; undefined otherwise. */
function splitRawId(text: string): [prefix: string, suffix: string] | undefined {
	const segments = text.split(':');
	return segments.length === 3 ? [`${segments[0]}:${segments[1]}:`, segments[2]] : undefined;
}

function acsUserModel(text: string, prefix: string, suffix: string): IdentifierModel {
	const cloud = ACS_USER_PREFIXES.find(([p]) => p === prefix)?.[1] ?? 'public';
	const parts = suffix.split('_');
	if (prefix !== '8:spool:' && parts.length === 3) {
		const [resourceId, tenantId, userId] = parts;
		return {
			kind: 'teamsExtensionUser',
			rawId: text,
			teamsExtensionUser: { userId, tenantId, resourceId, cloud },
		};
	}
	return { kind: 'communicationUser', rawId: text, communicationUser: { id: text } };
}

/** Infers the identifier kind of a raw id or phone number, as communication-common does. */
export function inferKind(text: string): IdentifierKind {
	if (
		text.startsWith('4:') ||
		text.startsWith('+') ||
		text === ANONYMOUS ||
		/^[\d\s\-().]+$/.test(text)
	)
		return 'phoneNumber';
	const split = splitRawId(text);
	if (split === undefined) return 'unknown';
	const [prefix, suffix] = split;
	if (ACS_USER_PREFIXES.some(([p]) => p === prefix))
		return acsUserModel(text, prefix, suffix).kind as IdentifierKind;
	if (TEAMS_USER_PREFIXES.some(([p]) => p === prefix)) return 'microsoftTeamsUser';
	if (TEAMS_APP_PREFIXES.some(([p]) => p === prefix)) return 'microsoftTeamsApp';
	return 'unknown';
}

/** A raw id such as "8:foo:bar" or "99:x": sent as an unknown identifier, as the SDK does. */
const RAW_ID = /^\d+:\S/;

/**
 * Builds the wire model for one participant. `label` names the field in errors.
 * Teams ids may be given bare (a GUID) when the type is chosen explicitly.
 */
export function parseIdentifier(
	input: unknown,
	type: IdentifierInputType = 'auto',
	label = 'Participant',
): IdentifierModel {
	const text =
		typeof input === 'string' ? input.trim() : typeof input === 'number' ? String(input) : '';
	if (text === '') {
		throw new IdentifierError(
			`${label} is empty. Enter a phone number (+14255550100) or an ACS user id (8:acs:…).`,
		);
	}
	const kind = type === 'auto' ? inferKind(text) : type;
	const split = splitRawId(text);
	switch (kind) {
		case 'phoneNumber':
			if (text.startsWith('4:')) return phoneFromRawId(text.slice(2), label);
			return text === ANONYMOUS
				? phoneFromRawId(ANONYMOUS, label)
				: phoneModel(normalizePhoneNumber(text, label));
		case 'communicationUser':
		case 'teamsExtensionUser': {
			if (
				split === undefined ||
				!ACS_USER_PREFIXES.some(([p]) => p === split[0]) ||
				split[1] === ''
			) {
				throw new IdentifierError(
					`${label} "${text}" is not an ACS user id: it should start with "8:acs:" (create users with the ACS Identity API).`,
				);
			}
			const model = acsUserModel(text, split[0], split[1]);
			if (type === 'teamsExtensionUser' && model.kind !== 'teamsExtensionUser') {
				throw new IdentifierError(
					`${label} "${text}" is not a Teams extension user id ("8:acs:<resource>_<tenant>_<user>").`,
				);
			}
			// An explicit "ACS User" is sent as one, as the SDK sends { communicationUserId }.
			return type === 'communicationUser'
				? { kind: 'communicationUser', rawId: text, communicationUser: { id: text } }
				: model;
		}
		case 'microsoftTeamsUser': {
			const prefix = split && TEAMS_USER_PREFIXES.find(([p]) => p === split[0]);
			const [rawPrefix, cloud, isAnonymous] = prefix ?? ['8:orgid:', 'public', false];
			const userId = prefix && split ? split[1] : text;
			if (userId === '') throw new IdentifierError(`${label} "${text}" has no Teams user id.`);
			return {
				kind,
				rawId: `${rawPrefix}${userId}`,
				microsoftTeamsUser: { userId, isAnonymous, cloud },
			};
		}
		case 'microsoftTeamsApp': {
			const prefix = split && TEAMS_APP_PREFIXES.find(([p]) => p === split[0]);
			const [rawPrefix, cloud] = prefix ?? ['28:orgid:', 'public'];
			const appId = prefix && split ? split[1] : text;
			if (appId === '') throw new IdentifierError(`${label} "${text}" has no Teams app id.`);
			return { kind, rawId: `${rawPrefix}${appId}`, microsoftTeamsApp: { appId, cloud } };
		}
		default:
			// A raw id given as "Raw ID" is read as the SDK's createIdentifierFromRawId reads it, so
			// "4:anonymous" or "8:acs:…" from Get Many go out as the kind they are; other ids as is.
			if (type === 'unknown' && inferKind(text) !== 'unknown' && RAW_ID.test(text))
				return parseIdentifier(text, 'auto', label);
			if (type === 'auto' && !RAW_ID.test(text)) {
				throw new IdentifierError(
					`${label} "${text}" is neither a phone number (+14255550100) nor a known id (8:acs:…, 8:orgid:…, 28:orgid:…). Choose the type "Raw ID" to send it as is.`,
				);
			}
			return { kind: 'unknown', rawId: text };
	}
}

/** Some request fields (playTo, targetParticipant…) are sent by the SDK without `kind`. */
export function withoutKind(model: IdentifierModel): IdentifierModel {
	const rest: Partial<IdentifierModel> = { ...model };
	delete rest.kind;
	return rest as IdentifierModel;
}

/** `sourceCallerIdNumber` is a bare PhoneNumberModel. */
export function phoneNumberModel(input: unknown, label: string): PhoneNumberModel {
	return { value: normalizePhoneNumber(input, label), isAnonymous: false };
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const text = (value: unknown): string | undefined =>
	typeof value === 'string' ? value : undefined;

/**
 * The raw id of a CommunicationIdentifierModel as it arrives in events and responses (a string is
 * taken as a raw id): its `rawId`, else built from its kind's fields as communication-common's
 * getIdentifierRawId builds it. Undefined when there is nothing to build it from.
 */
export function rawIdOf(identifier: unknown): string | undefined {
	if (typeof identifier === 'string') return identifier;
	if (!isObject(identifier)) return undefined;
	if (text(identifier.rawId)) return identifier.rawId as string;
	const {
		phoneNumber: phone,
		communicationUser: user,
		microsoftTeamsUser: teams,
		microsoftTeamsApp: app,
		teamsExtensionUser: extension,
	} = identifier;
	if (isObject(phone) && text(phone.value) !== undefined) return `4:${phone.value}`;
	if (isObject(user) && text(user.id) !== undefined) return user.id as string;
	if (isObject(teams) && text(teams.userId) !== undefined) {
		const prefix = TEAMS_USER_PREFIXES.find(([, cloud, anonymous]) =>
			teams.isAnonymous === true ? anonymous : !anonymous && cloud === teams.cloud,
		);
		return `${prefix?.[0] ?? '8:orgid:'}${teams.userId}`;
	}
	if (isObject(app) && text(app.appId) !== undefined) {
		return `${TEAMS_APP_PREFIXES.find(([, cloud]) => cloud === app.cloud)?.[0] ?? '28:orgid:'}${app.appId}`;
	}
	if (
		isObject(extension) &&
		[extension.userId, extension.tenantId, extension.resourceId].every((v) => text(v) !== undefined)
	) {
		const prefix =
			ACS_USER_PREFIXES.find(([p, cloud]) => p !== '8:spool:' && cloud === extension.cloud)?.[0] ??
			'8:acs:';
		return `${prefix}${extension.resourceId}_${extension.tenantId}_${extension.userId}`;
	}
	return undefined;
}
