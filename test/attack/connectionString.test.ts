/**
 * No error about a connection string holds any part of its access key: thousands of malformed strings
 * built around a real-looking base64 key (seeded, so a failure replays), through the parser and the
 * credential's authenticate.
 */
import type { IHttpRequestOptions } from 'n8n-workflow';

import { AzureCommunicationServicesApi } from '../../credentials/AzureCommunicationServicesApi.credentials';
import { parseConnectionString } from '../../acs/connectionString';
import { prng } from '../../emulator/prng';

const CASES = 4000;
const WINDOW = 8;

/** Every 8-char window of the key, lower-cased: URL parsing lower-cases a host made of key text. */
function windows(key: string): string[] {
	const out: string[] = [];
	for (let i = 0; i + WINDOW <= key.length; i++) out.push(key.slice(i, i + WINDOW).toLowerCase());
	return out;
}

function leaked(text: string, keyWindows: string[]): string | undefined {
	const lower = text.toLowerCase();
	return keyWindows.find((w) => lower.includes(w));
}

const ENDPOINT = 'https://contoso.westeurope.communication.azure.com/';

/** Malformed (and a few valid) connection strings around `key`. */
function malformed(key: string, rnd: () => number): string {
	const pick = <T>(list: T[]): T => list[Math.floor(rnd() * list.length)];
	const cut = () => {
		const a = Math.floor(rnd() * (key.length - WINDOW));
		return key.slice(a, a + WINDOW + Math.floor(rnd() * (key.length - a - WINDOW + 1)));
	};
	const spaced = () => key.replace(/(.{4})/g, (m) => (rnd() < 0.3 ? `${m} ` : m));
	const junk = () =>
		pick([';', '=', ' ', '\n', '\t', '\u0000', '"', "'", '%', '::', '//', '\\', '?', '#', '@']);
	const keyLike = () =>
		pick([
			key,
			cut(),
			spaced(),
			`${key}${junk()}`,
			key.toLowerCase(),
			key.replace(/=/g, ''),
			`${cut()}*!`,
		]);
	const endpointLike = () =>
		pick([
			ENDPOINT,
			keyLike(),
			`https://${keyLike()}`,
			`${cut()
				.replace(/[^A-Za-z0-9+]/g, 'x')
				.replace(/^[^A-Za-z]/, 'k')}:${keyLike()}`,
			`ftp://${keyLike()}/`,
			`https://user:${keyLike()}@contoso.communication.azure.com/`,
			`${ENDPOINT}?key=${keyLike()}`,
			`${ENDPOINT}#${keyLike()}`,
			`http//${keyLike()}`,
			'',
		]);
	const shapes: Array<() => string> = [
		() => `endpoint=${keyLike()};accesskey=${ENDPOINT}`,
		() => `accesskey=${ENDPOINT};endpoint=${keyLike()}`,
		() => `endpoint=${endpointLike()};accesskey=${keyLike()}`,
		() => `endpoint=${endpointLike()}`,
		() => `accesskey=${keyLike()}`,
		() => keyLike(),
		() => `${keyLike()};${keyLike()}`,
		() => `endpoint${junk()}${endpointLike()}${junk()}accesskey${junk()}${keyLike()}`,
		() => `${keyLike()}=endpoint;${ENDPOINT}=accesskey`,
		() => `endpoint=${ENDPOINT};accesskey=${keyLike()};extra=${keyLike()}`,
		() => `endpoint=${ENDPOINT};accesskey=${key.slice(0, Math.floor(rnd() * key.length))}`,
		() => `endpoint=${ENDPOINT};accesskey=`,
		() => `=${keyLike()};endpoint=${ENDPOINT}`,
	];
	let text = pick(shapes)();
	// Sometimes shred it further: a random character dropped or doubled.
	if (rnd() < 0.3 && text.length > 0) {
		const at = Math.floor(rnd() * text.length);
		text =
			rnd() < 0.5
				? text.slice(0, at) + text.slice(at + 1)
				: text.slice(0, at) + junk() + text.slice(at);
	}
	return text;
}

describe('connection string errors never hold the access key', () => {
	it(`parser and credential: ${CASES} seeded malformed strings`, async () => {
		const rnd = prng(0x5eed);
		const credential = new AzureCommunicationServicesApi();
		let thrown = 0;
		for (let n = 0; n < CASES; n++) {
			const key = Buffer.from(Array.from({ length: 32 }, () => Math.floor(rnd() * 256))).toString(
				'base64',
			);
			const keyWindows = windows(key);
			const text = malformed(key, rnd);
			const messages: string[] = [];
			try {
				parseConnectionString(text);
			} catch (error) {
				messages.push(
					String((error as Error).message),
					String((error as Error).stack),
					JSON.stringify(error),
				);
			}
			try {
				await credential.authenticate({ connectionString: text }, {
					url: '/calling/recordings/x',
					method: 'GET',
				} as IHttpRequestOptions);
			} catch (error) {
				messages.push(
					String((error as Error).message),
					String((error as Error).stack),
					JSON.stringify(error),
				);
			}
			if (messages.length > 0) thrown++;
			for (const message of messages) {
				const hit = leaked(message, keyWindows);
				if (hit !== undefined)
					throw new Error(
						`case ${n}: ${JSON.stringify(text)} gave an error holding "${hit}": ${message}`,
					);
			}
		}
		// Most cases are malformed: the assertions above ran on thousands of errors.
		expect(thrown).toBeGreaterThan(CASES / 2);
	});

	it.each([
		[
			'swapped',
			(key: string) => `endpoint=${key};accesskey=https://contoso.communication.azure.com/`,
		],
		[
			'key as a scheme',
			(key: string) => `endpoint=k${key.replace(/[^A-Za-z0-9]/g, '')}:x;accesskey=${key}`,
		],
		['key in an http// typo', (key: string) => `endpoint=http//${key};accesskey=${key}`],
	])('%s: refused without the key', (_name, build) => {
		const key = Buffer.from('attack-connection-string-secret-0123456789').toString('base64');
		let message = '';
		try {
			parseConnectionString(build(key));
		} catch (error) {
			message = (error as Error).message;
		}
		expect(message).toMatch(/endpoint/i);
		expect(leaked(message, windows(key))).toBeUndefined();
	});
});
