import { recordingUrlOrProblem } from '../../nodes/AzureCallAutomation/helpers/recordingUrl';

function checkRecordingUrl(text: string, endpoint: string, label: string): URL {
	const result = recordingUrlOrProblem(text, endpoint, label);
	if (typeof result === 'string') throw new Error(result);
	return result;
}

const ACS = 'https://contoso.communication.azure.com/';
const EMULATOR = 'http://127.0.0.1:8089/';

describe('recording URLs a signed request may go to', () => {
	it.each([
		'https://us-storage.asm.skype.com/v1/objects/0-eus-d2-abc/content/audio',
		'https://storage.asm.skype.com/v1/objects/0-eus-d2-abc/content/acsmetadata',
		'https://x.asyncgw.teams.microsoft.com/v1/objects/abc',
		'https://x.ams.gov.teams.microsoft.us/v1/objects/abc',
		'https://STORAGE.ASM.SKYPE.COM/v1/objects/abc?sv=1',
	])('accepts ACS recording storage %s', (url) => {
		expect(checkRecordingUrl(url, ACS, 'Content Location').href).toBe(new URL(url).href);
	});

	it.each([
		['plain http', 'http://storage.asm.skype.com/v1/objects/abc'],
		['another host', 'https://attacker.example.com/v1/objects/abc'],
		['a look-alike suffix', 'https://storage.asm.skype.com.attacker.example/v1/objects/abc'],
		['a bare suffix', 'https://asm.skype.com/v1/objects/abc'],
		['a non-default port', 'https://storage.asm.skype.com:8443/v1/objects/abc'],
		['user info', 'https://user:pw@storage.asm.skype.com/v1/objects/abc'],
		[
			'the ACS endpoint itself',
			'https://contoso.communication.azure.com/calling/callConnections/x:terminate',
		],
		[
			'a loopback address while the credential is not the emulator',
			'http://127.0.0.1:8089/v1/objects/abc',
		],
		['a dot segment', 'https://storage.asm.skype.com/v1/objects/%2e%2e/content/audio'],
		[
			'a double-encoded dot segment',
			'https://storage.asm.skype.com/v1/objects/%252e%252e/content/audio',
		],
		[
			'an encoded line break',
			'https://storage.asm.skype.com/v1/objects/a%0d%0aX-Evil:1/content/audio',
		],
		['a line break', 'https://storage.asm.skype.com/v1/objects/abc\r\n'],
		['no URL at all', 'not a url'],
	])('refuses %s', (_what, url) => {
		expect(() => checkRecordingUrl(url, ACS, 'Content Location')).toThrow(/Content Location/);
	});

	it("accepts the emulator's own origin only when the credential points at it, and never its /calling/ routes", () => {
		expect(
			checkRecordingUrl('http://127.0.0.1:8089/v1/objects/abc/content/audio', EMULATOR, 'X').host,
		).toBe('127.0.0.1:8089');
		expect(() => checkRecordingUrl('http://127.0.0.1:8090/v1/objects/abc', EMULATOR, 'X')).toThrow(
			/refused/,
		);
		expect(() => checkRecordingUrl('http://localhost:8089/v1/objects/abc', EMULATOR, 'X')).toThrow(
			/refused/,
		);
		expect(() =>
			checkRecordingUrl('http://127.0.0.1:8089/calling/recordings/abc', EMULATOR, 'X'),
		).toThrow(/refused/);
		expect(() =>
			checkRecordingUrl('http://127.0.0.1:8089/%63alling/recordings/abc', EMULATOR, 'X'),
		).toThrow();
	});
});
