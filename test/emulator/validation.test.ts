import { startEmulator, type Emulator } from '../../emulator';
import { signedRequest } from './receiver';

const V = 'api-version=2026-03-12';
const CALLBACK = 'http://127.0.0.1:9/cb';
const PHONE = {
	kind: 'phoneNumber',
	rawId: '4:+14255550100',
	phoneNumber: { value: '+14255550100' },
};
const CALLER = { value: '+14255550199' };

describe('emulator request validation', () => {
	let emu: Emulator;
	const call = (method: string, path: string, body?: unknown) =>
		signedRequest(
			emu.url,
			emu.accessKey,
			method,
			path,
			body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
		);

	beforeAll(async () => {
		// Calls stay "connecting" so mid-call actions meet the not-established rule.
		emu = await startEmulator({ connectDelayMs: 60_000, deliverEvents: false });
	});
	afterAll(() => emu.close());

	it.each([
		['targets missing', { callbackUri: CALLBACK }, 'targets', /is required/],
		['targets empty', { targets: [], callbackUri: CALLBACK }, 'targets', /at least one/],
		[
			'non-E.164 number',
			{
				targets: [{ phoneNumber: { value: '4255550100' } }],
				callbackUri: CALLBACK,
				sourceCallerIdNumber: CALLER,
			},
			'targets[0].phoneNumber.value',
			/E\.164/,
		],
		[
			'unknown kind',
			{
				targets: [{ ...PHONE, kind: 'robot' }],
				callbackUri: CALLBACK,
				sourceCallerIdNumber: CALLER,
			},
			'targets[0].kind',
			/must be one of/,
		],
		[
			'kind without its object',
			{ targets: [{ kind: 'communicationUser', rawId: '8:acs:x' }], callbackUri: CALLBACK },
			'targets[0].communicationUser',
			/is required/,
		],
		[
			'kind and object disagree',
			{
				targets: [{ kind: 'phoneNumber', communicationUser: { id: '8:acs:x' } }],
				callbackUri: CALLBACK,
			},
			'targets[0].kind',
			/carries communicationUser/,
		],
		[
			'rawId inconsistent',
			{
				targets: [{ ...PHONE, rawId: '4:+14255550111' }],
				callbackUri: CALLBACK,
				sourceCallerIdNumber: CALLER,
			},
			'targets[0].rawId',
			/does not match/,
		],
		[
			'ACS user id malformed',
			{ targets: [{ communicationUser: { id: 'user-1' } }], callbackUri: CALLBACK },
			'targets[0].communicationUser.id',
			/8:/,
		],
		[
			'callbackUri not absolute',
			{ targets: [PHONE], callbackUri: '/cb', sourceCallerIdNumber: CALLER },
			'callbackUri',
			/absolute/,
		],
		[
			'callbackUri not http(s)',
			{ targets: [PHONE], callbackUri: 'ftp://host/cb', sourceCallerIdNumber: CALLER },
			'callbackUri',
			/ftp/,
		],
		[
			'PSTN without caller id',
			{ targets: [PHONE], callbackUri: CALLBACK },
			'sourceCallerIdNumber',
			/is required/,
		],
		[
			'wrong type',
			{
				targets: [PHONE],
				callbackUri: CALLBACK,
				sourceCallerIdNumber: CALLER,
				operationContext: 42,
			},
			'operationContext',
			/must be a string/,
		],
		['body not an object', [PHONE], 'body', /JSON object/],
	])('create call: %s → 400 naming %s', async (_label, body, field, message) => {
		const res = await call('POST', `/calling/callConnections?${V}`, body);
		expect(res.status).toBe(400);
		expect(res.json.error).toMatchObject({ code: '8523', target: field });
		expect(res.json.error.message).toContain(`'${field}'`);
		expect(res.json.error.message).toMatch(message);
	});

	it('accepts identifiers without kind (inferred from the nested object or the raw id)', async () => {
		const res = await call('POST', `/calling/callConnections?${V}`, {
			targets: [
				{ rawId: '4:+14255550100', phoneNumber: { value: '+14255550100' } },
				{ rawId: '8:acs:res_user' },
			],
			callbackUri: CALLBACK,
			sourceCallerIdNumber: CALLER,
		});
		expect(res.status).toBe(201);
		expect(res.json.targets).toEqual([
			{ kind: 'phoneNumber', rawId: '4:+14255550100', phoneNumber: { value: '+14255550100' } },
			{
				kind: 'communicationUser',
				rawId: '8:acs:res_user',
				communicationUser: { id: '8:acs:res_user' },
			},
		]);
	});

	it('answers 400 for a body that is not JSON and for a missing body', async () => {
		const bad = await call('POST', `/calling/callConnections?${V}`, '{"targets": [');
		expect(bad.status).toBe(400);
		expect(bad.json.error.message).toMatch(/not valid JSON/);
		const none = await call('POST', `/calling/callConnections?${V}`);
		expect(none.status).toBe(400);
		expect(none.json.error.message).toMatch(/body is required/);
	});

	it('answers 404/8522 for an unknown call and 405 for a wrong method', async () => {
		const res = await call('POST', `/calling/callConnections/nope:play?${V}`, {
			playSources: [{ kind: 'file', file: { uri: 'https://a/b.wav' } }],
		});
		expect(res.status).toBe(404);
		expect(res.json.error.code).toBe('8522');
		expect((await call('PUT', `/calling/callConnections?${V}`, {})).status).toBe(405);
	});

	it('answers 400/8501 for a mid-call action before the call is connected, then validates the action body', async () => {
		const created = await call('POST', `/calling/callConnections?${V}`, {
			targets: [PHONE],
			callbackUri: CALLBACK,
			sourceCallerIdNumber: CALLER,
		});
		const id = created.json.callConnectionId as string;
		const play = await call('POST', `/calling/callConnections/${id}:play?${V}`, {
			playSources: [{ kind: 'file', file: { uri: 'https://a/b.wav' } }],
		});
		expect(play.status).toBe(400);
		expect(play.json.error).toMatchObject({
			code: '8501',
			message: expect.stringMatching(/connecting/),
		});
		// A call that is connecting can still be read and hung up.
		expect(
			(await call('GET', `/calling/callConnections/${id}?${V}`)).json.callConnectionState,
		).toBe('connecting');
		expect((await call('DELETE', `/calling/callConnections/${id}?${V}`)).status).toBe(204);
		expect((await call('GET', `/calling/callConnections/${id}?${V}`)).status).toBe(404);
	});
});

describe('emulator request validation of mid-call actions', () => {
	let emu: Emulator;
	let id: string;
	const call = (method: string, path: string, body?: unknown) =>
		signedRequest(
			emu.url,
			emu.accessKey,
			method,
			path,
			body === undefined ? undefined : JSON.stringify(body),
		);

	beforeAll(async () => {
		emu = await startEmulator({ connectDelayMs: 0 });
		const created = await call('POST', `/calling/callConnections?${V}`, {
			targets: [PHONE],
			callbackUri: CALLBACK,
			sourceCallerIdNumber: CALLER,
		});
		id = created.json.callConnectionId;
		await emu.waitForEvent('CallConnected', { callConnectionId: id });
	});
	afterAll(() => emu.close());

	it.each([
		[':play', { playSources: [] }, 'playSources'],
		[':play', { playSources: [{ kind: 'video' }] }, 'playSources[0].kind'],
		[':play', { playSources: [{ kind: 'file', file: {} }] }, 'playSources[0].file.uri'],
		[
			':play',
			{ playSources: [{ kind: 'file', file: { uri: 'https://a/b.wav' } }], playOptions: {} },
			'playOptions.loop',
		],
		[
			':play',
			{
				playSources: [{ kind: 'text', text: { text: 'hi' } }],
				playTo: [{ phoneNumber: { value: '+19995550100' } }],
			},
			'playTo[0]',
		],
		[
			':recognize',
			{ recognizeInputType: 'dtmf', recognizeOptions: {} },
			'recognizeOptions.targetParticipant',
		],
		[
			':recognize',
			{ recognizeInputType: 'keys', recognizeOptions: { targetParticipant: PHONE } },
			'recognizeInputType',
		],
		[
			':recognize',
			{
				recognizeInputType: 'dtmf',
				recognizeOptions: { targetParticipant: PHONE, dtmfOptions: { stopTones: ['hash'] } },
			},
			'recognizeOptions.dtmfOptions.stopTones[0]',
		],
		[
			':recognize',
			{
				recognizeInputType: 'dtmf',
				recognizeOptions: { targetParticipant: PHONE, initialSilenceTimeoutInSeconds: 301 },
			},
			'recognizeOptions.initialSilenceTimeoutInSeconds',
		],
		[
			':recognize',
			{ recognizeInputType: 'choices', recognizeOptions: { targetParticipant: PHONE } },
			'recognizeOptions.choices',
		],
		[':sendDtmfTones', { tones: [], targetParticipant: PHONE }, 'tones'],
		[':transferToParticipant', {}, 'targetParticipant'],
		[
			'/participants:add',
			{ participantToAdd: PHONE, invitationTimeoutInSeconds: 500 },
			'invitationTimeoutInSeconds',
		],
		['/participants:mute', { targetParticipants: [PHONE, PHONE] }, 'targetParticipants'],
		['/participants:cancelAddParticipant', {}, 'invitationId'],
	])('%s with %j → 400 naming %s', async (action, body, field) => {
		const res = await call('POST', `/calling/callConnections/${id}${action}?${V}`, body);
		expect(res.status).toBe(400);
		expect(res.json.error.target).toBe(field);
		expect(res.json.error.message).toContain(`'${field}'`);
	});

	it('rejects recording requests with bad locators or formats', async () => {
		const noLocator = await call('POST', `/calling/recordings?${V}`, {});
		expect(noLocator.json.error.target).toBe('callLocator');
		const unknown = await call('POST', `/calling/recordings?${V}`, {
			callLocator: { kind: 'serverCallLocator', serverCallId: 'nope' },
		});
		expect(unknown.status).toBe(404);
		const format = await call('POST', `/calling/recordings?${V}`, {
			callConnectionId: id,
			recordingContentType: 'audioVideo',
			recordingFormatType: 'wav',
		});
		expect(format.json.error.target).toBe('recordingFormatType');
	});

	it('answers 404 for participants and recordings that do not exist', async () => {
		expect(
			(
				await call(
					'GET',
					`/calling/callConnections/${id}/participants/${encodeURIComponent('4:+19995550100')}?${V}`,
				)
			).status,
		).toBe(404);
		expect(
			(
				await call(
					'GET',
					`/calling/callConnections/${id}/participants/${encodeURIComponent('4:+14255550100')}?${V}`,
				)
			).status,
		).toBe(200);
		expect(
			(
				await call('POST', `/calling/callConnections/${id}/participants:remove?${V}`, {
					participantToRemove: { rawId: '8:acs:nobody' },
				})
			).status,
		).toBe(404);
		expect((await call('GET', `/calling/recordings/nope?${V}`)).status).toBe(404);
	});
});
