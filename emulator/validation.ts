/**
 * Strict request-body validation in the service's style: unknown properties are ignored, everything the
 * service checks (required fields, types, enums, identifiers, E.164 numbers, callback URIs) answers
 * 400/8523 naming the field by its JSON path (e.g. `targets[0].phoneNumber.value`).
 */
import { invalidField } from './errors';
import { TONES, type IdentifierModel, type PhoneNumberModel, type Tone } from './types';

type Json = Record<string, unknown>;

const E164 = /^\+[1-9]\d{6,14}$/;

function describe(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'an array';
	return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

function isObject(value: unknown): value is Json {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function join(path: string, name: string): string {
	return path ? `${path}.${name}` : name;
}

/** Reads fields from one JSON object, throwing 400s that name the full path. */
export class Fields {
	constructor(
		readonly value: Json,
		readonly path = '',
	) {}

	static body(body: unknown): Fields {
		if (!isObject(body)) throw invalidField('body', `must be a JSON object, got ${describe(body)}`);
		return new Fields(body);
	}

	private raw(name: string, required: boolean): unknown {
		const v = this.value[name];
		if ((v === undefined || v === null) && required)
			throw invalidField(join(this.path, name), 'is required');
		return v === null ? undefined : v;
	}

	string(
		name: string,
		opts: { required?: boolean; maxLength?: number; nonEmpty?: boolean } = {},
	): string | undefined {
		const v = this.raw(name, !!opts.required);
		if (v === undefined) return undefined;
		const field = join(this.path, name);
		if (typeof v !== 'string') throw invalidField(field, `must be a string, got ${describe(v)}`);
		if ((opts.nonEmpty || opts.required) && v.trim() === '')
			throw invalidField(field, 'must not be empty');
		if (opts.maxLength !== undefined && v.length > opts.maxLength) {
			throw invalidField(field, `must be at most ${opts.maxLength} characters`);
		}
		return v;
	}

	requiredString(name: string, maxLength?: number): string {
		return this.string(name, { required: true, maxLength }) as string;
	}

	boolean(name: string, required = false): boolean | undefined {
		const v = this.raw(name, required);
		if (v === undefined) return undefined;
		if (typeof v !== 'boolean')
			throw invalidField(join(this.path, name), `must be true or false, got ${describe(v)}`);
		return v;
	}

	integer(
		name: string,
		opts: { required?: boolean; min?: number; max?: number } = {},
	): number | undefined {
		const v = this.raw(name, !!opts.required);
		if (v === undefined) return undefined;
		const field = join(this.path, name);
		if (typeof v !== 'number' || !Number.isInteger(v))
			throw invalidField(field, `must be an integer, got ${describe(v)}`);
		if (opts.min !== undefined && v < opts.min)
			throw invalidField(field, `must be at least ${opts.min}`);
		if (opts.max !== undefined && v > opts.max)
			throw invalidField(field, `must be at most ${opts.max}`);
		return v;
	}

	/** Enum values compare case-insensitively (like the service); the canonical spelling is returned. */
	enumOf<T extends string>(name: string, allowed: readonly T[], required = false): T | undefined {
		const v = this.raw(name, required);
		if (v === undefined) return undefined;
		return enumValue(v, allowed, join(this.path, name));
	}

	object(name: string, required = false): Fields | undefined {
		const v = this.raw(name, required);
		if (v === undefined) return undefined;
		const field = join(this.path, name);
		if (!isObject(v)) throw invalidField(field, `must be a JSON object, got ${describe(v)}`);
		return new Fields(v, field);
	}

	array(
		name: string,
		opts: { required?: boolean; min?: number; max?: number } = {},
	): Array<{ value: unknown; path: string }> | undefined {
		const v = this.raw(name, !!opts.required);
		if (v === undefined) return undefined;
		const field = join(this.path, name);
		if (!Array.isArray(v)) throw invalidField(field, `must be an array, got ${describe(v)}`);
		if (opts.min !== undefined && v.length < opts.min) {
			throw invalidField(
				field,
				opts.min === 1
					? 'must contain at least one item'
					: `must contain at least ${opts.min} items`,
			);
		}
		if (opts.max !== undefined && v.length > opts.max)
			throw invalidField(field, `must contain at most ${opts.max} item(s)`);
		return v.map((value, i) => ({ value, path: `${field}[${i}]` }));
	}

	objects(
		name: string,
		opts: { required?: boolean; min?: number; max?: number } = {},
	): Fields[] | undefined {
		return this.array(name, opts)?.map(({ value, path }) => {
			if (!isObject(value))
				throw invalidField(path, `must be a JSON object, got ${describe(value)}`);
			return new Fields(value, path);
		});
	}

	/** Absolute http(s) URI, as callbackUri / operationCallbackUri / file uris must be. */
	uri(name: string, required = false): string | undefined {
		const v = this.string(name, { required });
		if (v === undefined) return undefined;
		return checkUri(v, join(this.path, name));
	}

	identifier(name: string, required = false): IdentifierModel | undefined {
		const v = this.raw(name, required);
		if (v === undefined) return undefined;
		return parseIdentifier(v, join(this.path, name));
	}

	identifiers(
		name: string,
		opts: { required?: boolean; min?: number; max?: number } = {},
	): IdentifierModel[] | undefined {
		return this.array(name, opts)?.map(({ value, path }) => parseIdentifier(value, path));
	}

	phoneNumber(name: string, required = false): PhoneNumberModel | undefined {
		const f = this.object(name, required);
		return f ? parsePhoneModel(f) : undefined;
	}

	communicationUser(name: string, required = false): { id: string } | undefined {
		const f = this.object(name, required);
		if (!f) return undefined;
		const id = f.requiredString('id');
		if (!id.startsWith('8:'))
			throw invalidField(
				join(f.path, 'id'),
				`must be an ACS user id like "8:acs:<resource>_<user>", got "${id}"`,
			);
		return { id };
	}

	tones(
		name: string,
		opts: { required?: boolean; min?: number; max?: number } = {},
	): Tone[] | undefined {
		return this.array(name, opts)?.map(({ value, path }) => enumValue(value, TONES, path));
	}

	stringMap(name: string): Record<string, string> | undefined {
		const f = this.object(name);
		if (!f) return undefined;
		for (const [k, v] of Object.entries(f.value)) {
			if (typeof v !== 'string')
				throw invalidField(join(f.path, k), `must be a string, got ${describe(v)}`);
		}
		return f.value as Record<string, string>;
	}
}

export function enumValue<T extends string>(v: unknown, allowed: readonly T[], field: string): T {
	if (typeof v === 'string') {
		const lower = v.toLowerCase();
		const hit = allowed.find((a) => a.toLowerCase() === lower);
		if (hit) return hit;
	}
	throw invalidField(field, `must be one of ${allowed.join(', ')}; got ${describe(v)}`);
}

export function checkUri(v: string, field: string): string {
	let url: URL;
	try {
		url = new URL(v);
	} catch {
		throw invalidField(field, `must be an absolute https URI, got "${v}"`);
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw invalidField(
			field,
			`must be an http(s) URI, got scheme "${url.protocol.replace(':', '')}"`,
		);
	}
	return v;
}

/** `anonymous` (withheld caller id) and `+E164_<assertedId>` are phone numbers too, as raw ids `4:anonymous`, `4:+1…_x`. */
function parsePhoneModel(f: Fields): PhoneNumberModel {
	const value = f.requiredString('value');
	const isAnonymous = f.boolean('isAnonymous');
	const underscore = value.lastIndexOf('_');
	const number = underscore > 0 ? value.slice(0, underscore) : value;
	if (value === 'anonymous') {
		if (isAnonymous === false)
			throw invalidField(
				join(f.path, 'isAnonymous'),
				'must be true for the anonymous phone number',
			);
	} else if (!E164.test(number)) {
		throw invalidField(
			join(f.path, 'value'),
			`must be an E.164 phone number like +14255550100, got "${value}"`,
		);
	}
	const model: PhoneNumberModel = { value };
	if (isAnonymous !== undefined || value === 'anonymous') model.isAnonymous = isAnonymous ?? true;
	const assertedId = f.string('assertedId');
	if (assertedId !== undefined && (underscore <= 0 || value.slice(underscore + 1) !== assertedId)) {
		throw invalidField(
			join(f.path, 'assertedId'),
			`"${assertedId}" is not the suffix of the number "${value}"`,
		);
	}
	if (assertedId !== undefined) model.assertedId = assertedId;
	return model;
}

export const IDENTIFIER_KINDS = [
	'communicationUser',
	'phoneNumber',
	'microsoftTeamsUser',
	'microsoftTeamsApp',
	'teamsExtensionUser',
	'unknown',
] as const;
type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];
const NESTED: Array<Exclude<IdentifierKind, 'unknown'>> = [
	'communicationUser',
	'phoneNumber',
	'microsoftTeamsUser',
	'microsoftTeamsApp',
	'teamsExtensionUser',
];
const CLOUDS = ['public', 'dod', 'gcch'] as const;
const TEAMS_USER_PREFIX: Record<string, string> = {
	public: '8:orgid:',
	gcch: '8:gcch:',
	dod: '8:dod:',
};
const TEAMS_APP_PREFIX: Record<string, string> = {
	public: '28:orgid:',
	gcch: '28:gcch:',
	dod: '28:dod:',
};
const ACS_PREFIX: Record<string, string> = {
	public: '8:acs:',
	gcch: '8:gcch-acs:',
	dod: '8:dod-acs:',
};
/** `8:acs:<resource>_<tenant>_<user>` (and its sovereign-cloud forms): a Teams extension user. */
const TEAMS_EXTENSION = /^8:(acs|gcch-acs|dod-acs):([^:_]*)_([^:_]*)_([^:_]*)$/;

/** Kind from a raw id prefix, as communication-common's createIdentifierFromRawId does. */
export function kindFromRawId(rawId: string): IdentifierKind {
	if (rawId.startsWith('4:')) return 'phoneNumber';
	if (TEAMS_EXTENSION.test(rawId)) return 'teamsExtensionUser';
	if (/^8:(acs|gcch-acs|dod-acs|spool):/.test(rawId)) return 'communicationUser';
	if (/^8:(orgid|gcch|dod|teamsvisitor):/.test(rawId)) return 'microsoftTeamsUser';
	if (/^28:(orgid|gcch|dod):/.test(rawId)) return 'microsoftTeamsApp';
	return 'unknown';
}

/**
 * CommunicationIdentifierModel. `kind` may be absent (the SDK omits it in playTo, recognize and DTMF
 * targets): it is inferred from the nested object, else from the rawId. Returns the full model with kind and rawId.
 */
export function parseIdentifier(v: unknown, path: string): IdentifierModel {
	if (!isObject(v))
		throw invalidField(path, `must be a communication identifier object, got ${describe(v)}`);
	const f = new Fields(v, path);
	const givenKind = f.enumOf('kind', IDENTIFIER_KINDS);
	const rawId = f.string('rawId', { nonEmpty: true });
	const present = NESTED.filter((k) => v[k] !== undefined && v[k] !== null);
	if (present.length > 1) {
		throw invalidField(
			path,
			`must set exactly one of ${NESTED.join(', ')}; found ${present.join(' and ')}`,
		);
	}
	const kind: IdentifierKind =
		givenKind ?? present[0] ?? (rawId ? kindFromRawId(rawId) : 'unknown');
	if (kind === 'unknown') {
		if (!rawId)
			throw invalidField(
				join(path, 'rawId'),
				'is required when the identifier has no kind-specific object',
			);
		if (present.length)
			throw invalidField(join(path, 'kind'), `is "unknown" but ${present[0]} is set`);
		return { kind, rawId };
	}
	if (present.length && present[0] !== kind) {
		throw invalidField(join(path, 'kind'), `is "${kind}" but the identifier carries ${present[0]}`);
	}
	// Only a rawId (no kind, no nested object): build the nested object from it, as the service does.
	const nested =
		!givenKind && !present.length && rawId
			? new Fields(nestedFromRawId(kind, rawId), join(path, 'rawId'))
			: (f.object(kind, true) as Fields);
	let model: IdentifierModel;
	let expectedRawId: string | undefined;
	switch (kind) {
		case 'phoneNumber': {
			const phone = parsePhoneModel(nested);
			model = { kind, rawId: '', phoneNumber: phone };
			expectedRawId = `4:${phone.value}`;
			if (rawId && (rawId === expectedRawId || rawId.startsWith(`${expectedRawId}_`)))
				expectedRawId = rawId;
			break;
		}
		case 'communicationUser': {
			const id = nested.requiredString('id');
			if (!id.startsWith('8:'))
				throw invalidField(
					join(nested.path, 'id'),
					`must be an ACS user id starting with "8:", got "${id}"`,
				);
			model = { kind, rawId: '', communicationUser: { id } };
			expectedRawId = id;
			break;
		}
		case 'microsoftTeamsUser': {
			const userId = nested.requiredString('userId');
			const isAnonymous = nested.boolean('isAnonymous') ?? false;
			const cloud = nested.enumOf('cloud', CLOUDS) ?? 'public';
			model = { kind, rawId: '', microsoftTeamsUser: { userId, isAnonymous, cloud } };
			expectedRawId = isAnonymous
				? `8:teamsvisitor:${userId}`
				: `${TEAMS_USER_PREFIX[cloud]}${userId}`;
			break;
		}
		case 'microsoftTeamsApp': {
			const appId = nested.requiredString('appId');
			const cloud = nested.enumOf('cloud', CLOUDS) ?? 'public';
			model = { kind, rawId: '', microsoftTeamsApp: { appId, cloud } };
			expectedRawId = `${TEAMS_APP_PREFIX[cloud]}${appId}`;
			break;
		}
		case 'teamsExtensionUser': {
			const userId = nested.requiredString('userId');
			const tenantId = nested.requiredString('tenantId');
			const resourceId = nested.requiredString('resourceId');
			const cloud = nested.enumOf('cloud', CLOUDS) ?? 'public';
			model = { kind, rawId: '', teamsExtensionUser: { userId, tenantId, resourceId, cloud } };
			expectedRawId = `${ACS_PREFIX[cloud]}${resourceId}_${tenantId}_${userId}`;
			break;
		}
	}
	if (rawId && expectedRawId && rawId !== expectedRawId) {
		throw invalidField(
			join(path, 'rawId'),
			`"${rawId}" does not match the ${kind} identifier (expected "${expectedRawId}")`,
		);
	}
	model.rawId = rawId ?? (expectedRawId as string);
	return model;
}

function nestedFromRawId(kind: Exclude<IdentifierKind, 'unknown'>, rawId: string): Json {
	const rest = rawId.slice(rawId.indexOf(':', rawId.indexOf(':') + 1) + 1);
	switch (kind) {
		case 'phoneNumber': {
			const value = rawId.slice(2);
			const underscore = value === 'anonymous' ? -1 : value.lastIndexOf('_');
			return {
				value,
				isAnonymous: value === 'anonymous',
				...(underscore > 0 ? { assertedId: value.slice(underscore + 1) } : {}),
			};
		}
		case 'teamsExtensionUser': {
			const m = TEAMS_EXTENSION.exec(rawId) as RegExpExecArray;
			const cloud = m[1] === 'gcch-acs' ? 'gcch' : m[1] === 'dod-acs' ? 'dod' : 'public';
			return { resourceId: m[2], tenantId: m[3], userId: m[4], cloud };
		}
		case 'communicationUser':
			return { id: rawId };
		case 'microsoftTeamsUser': {
			const prefix = rawId.slice(0, rawId.indexOf(':', 2) + 1);
			const cloud = prefix === '8:gcch:' ? 'gcch' : prefix === '8:dod:' ? 'dod' : 'public';
			return { userId: rest, isAnonymous: prefix === '8:teamsvisitor:', cloud };
		}
		case 'microsoftTeamsApp':
			return {
				appId: rest,
				cloud: rawId.startsWith('28:gcch:')
					? 'gcch'
					: rawId.startsWith('28:dod:')
						? 'dod'
						: 'public',
			};
		default:
			return {};
	}
}

/** Tones typed on a keypad ("12#*") or given as Tone names. */
export function tonesFromKeys(keys: string | string[]): Tone[] {
	if (Array.isArray(keys)) return keys.map((k, i) => enumValue(k, TONES, `tones[${i}]`));
	const map: Record<string, Tone> = { '#': 'pound', '*': 'asterisk' };
	return [...keys.replace(/[\s,]/g, '')].map((ch, i) => {
		if (/\d/.test(ch)) return TONES[Number(ch)];
		const tone = map[ch] ?? (/[a-d]/i.test(ch) ? (ch.toLowerCase() as Tone) : undefined);
		if (!tone) throw invalidField(`tones[${i}]`, `"${ch}" is not a DTMF key (0-9, *, #, A-D)`);
		return tone;
	});
}
