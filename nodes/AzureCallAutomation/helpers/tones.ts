/** DTMF tones: the phone keys and the name ACS gives each, the one table read in both directions. */

/** Tone names as ACS sends and receives them, keyed by the key a caller presses. */
export const TONE_BY_KEY: Readonly<Record<string, string>> = {
	'0': 'zero',
	'1': 'one',
	'2': 'two',
	'3': 'three',
	'4': 'four',
	'5': 'five',
	'6': 'six',
	'7': 'seven',
	'8': 'eight',
	'9': 'nine',
	A: 'a',
	B: 'b',
	C: 'c',
	D: 'd',
	'#': 'pound',
	'*': 'asterisk',
};

// A hook flash can be reported by a caller's phone but never sent: read ("!"), not offered as a key.
const KEY_BY_TONE = new Map<string, string>([
	...Object.entries(TONE_BY_KEY).map(([key, tone]) => [tone, key] as [string, string]),
	['flash', '!'],
]);

/** Key ("1", "#", "a") → tone name ("one", "pound", "a"); undefined for anything else. */
export function toneOfKey(key: string): string | undefined {
	const upper = key.toUpperCase();
	return Object.prototype.hasOwnProperty.call(TONE_BY_KEY, upper) ? TONE_BY_KEY[upper] : undefined;
}

/** Tone name ("one", "pound") → key ("1", "#"); unknown names pass through. */
export function keyOfTone(tone: unknown): string {
	if (typeof tone !== 'string') return '';
	return KEY_BY_TONE.get(tone.toLowerCase()) ?? tone;
}
