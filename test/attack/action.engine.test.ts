/**
 * Attacks on the action node, run in n8n's engine: ids that would leave their path segment are refused
 * before anything is sent, a nextLink cannot send a signed request elsewhere, no error path exposes the
 * key or the signed headers, and no free-text field reaches a header.
 */
import type { IDataObject } from 'n8n-workflow';

import { startTlsFront, type TlsFront } from '../../bench/tls';
import { startEmulator, type Emulator } from '../../emulator';
import {
	CALLBACK,
	CALLEE,
	CALLER_ID,
	WAV,
	connectedCall,
	outputJson,
	runAction,
	withEmulator,
} from '../harness/action';
import { engineLabel, type RunNodeResult } from '../harness/engine';
import { closedPort, startRawServer, type RawRequest, type RawServer } from './rawServer';

const KEY_TEXT = 'attack-test-secret-key-0123456789';
const KEY = Buffer.from(KEY_TEXT).toString('base64');
const connectionString = (endpoint: string) => `endpoint=${endpoint};accesskey=${KEY}`;

const PHONE = {
	kind: 'phoneNumber',
	rawId: `4:${CALLEE}`,
	phoneNumber: { value: CALLEE, isAnonymous: false },
};
const PARTICIPANT = { identifier: PHONE, isMuted: false, isOnHold: false };
const CALL = {
	callConnectionId: 'raw-call',
	serverCallId: 'raw-server-call',
	callConnectionState: 'connecting',
	targets: [PHONE],
};

/** What a plain ACS would answer: enough for the node to succeed. */
function acsLike(request: RawRequest) {
	const [method, target] = request.requestLine.split(' ');
	const path = target.split('?')[0];
	if (method === 'POST' && path === '/calling/callConnections')
		return { status: 201, body: JSON.stringify(CALL) };
	if (method === 'GET' && path.endsWith('/participants'))
		return { status: 200, body: JSON.stringify({ value: [PARTICIPANT] }) };
	if (method === 'GET') return { status: 200, body: JSON.stringify(CALL) };
	return { status: 202, body: JSON.stringify({ operationContext: 'x' }) };
}

// ---------------------------------------------------------------------------------------------
// 1. Ids stay in their path segment
// ---------------------------------------------------------------------------------------------

const BAD_IDS: Array<[string, RegExp]> = [
	['..', /must not be '\.\.'/],
	['.', /must not be '\.'/],
	['%2E%2E', /must not be '\.\.'/],
	['%2e.', /must not be '\.\.'/],
	['.%2E', /must not be '\.\.'/],
	['%2e', /must not be '\.'/],
	['%252E%252E', /must not be '\.\.'/],
	['%25252e%25252E', /must not be '\.\.'/],
	[' .. ', /must not be '\.\.'/],
	['%20..%20', /must not be '\.\.'/],
	['..%2F..%2Fsms', /path segments/],
	['../sms', /path segments/],
	['a\\..', /path segments/],
	['id\r\nX-Injected: yes', /control characters/],
	['id\nx', /control characters/],
	['id\u0000x', /control characters/],
	['id\u007fx', /control characters/],
	['%0D%0AX-Injected:%20yes', /control characters/],
	['%00', /control characters/],
	['%2520', /is empty/],
];

const PHONE2 = '+14255550111';
type Op = [
	resource: string,
	operation: string,
	field: string,
	label: string,
	parameters: IDataObject,
];
const OPS: Op[] = [
	['call', 'get', 'callConnectionId', 'Call Connection ID', {}],
	['call', 'hangUp', 'callConnectionId', 'Call Connection ID', { forEveryone: false }],
	['call', 'hangUp', 'callConnectionId', 'Call Connection ID', { forEveryone: true }],
	['call', 'transfer', 'callConnectionId', 'Call Connection ID', { target: PHONE2 }],
	['media', 'cancelAll', 'callConnectionId', 'Call Connection ID', {}],
	['media', 'playAudio', 'callConnectionId', 'Call Connection ID', { audioUrl: WAV }],
	[
		'media',
		'playText',
		'callConnectionId',
		'Call Connection ID',
		{ text: 'Hello', voiceName: 'en-US-NancyNeural' },
	],
	[
		'media',
		'recognize',
		'callConnectionId',
		'Call Connection ID',
		{ inputType: 'dtmf', targetParticipant: CALLEE },
	],
	[
		'media',
		'sendDtmf',
		'callConnectionId',
		'Call Connection ID',
		{ tones: '12', targetParticipant: CALLEE },
	],
	[
		'media',
		'startContinuousDtmf',
		'callConnectionId',
		'Call Connection ID',
		{ targetParticipant: CALLEE },
	],
	[
		'media',
		'stopContinuousDtmf',
		'callConnectionId',
		'Call Connection ID',
		{ targetParticipant: CALLEE },
	],
	['media', 'hold', 'callConnectionId', 'Call Connection ID', { targetParticipant: CALLEE }],
	['media', 'unhold', 'callConnectionId', 'Call Connection ID', { targetParticipant: CALLEE }],
	[
		'participant',
		'add',
		'callConnectionId',
		'Call Connection ID',
		{ participant: PHONE2, additionalFields: { sourceCallerIdNumber: CALLER_ID } },
	],
	['participant', 'remove', 'callConnectionId', 'Call Connection ID', { participant: CALLEE }],
	['participant', 'mute', 'callConnectionId', 'Call Connection ID', { participant: CALLEE }],
	['participant', 'cancelAdd', 'callConnectionId', 'Call Connection ID', { invitationId: 'inv-1' }],
	['participant', 'get', 'callConnectionId', 'Call Connection ID', { participant: CALLEE }],
	['participant', 'list', 'callConnectionId', 'Call Connection ID', { returnAll: true }],
	[
		'participant',
		'get',
		'participant',
		'Participant',
		{ callConnectionId: 'call-1', participantType: 'unknown' },
	],
	['recording', 'start', 'callConnectionId', 'Call Connection ID', {}],
	['recording', 'getState', 'recordingId', 'Recording ID', {}],
	['recording', 'pause', 'recordingId', 'Recording ID', {}],
	['recording', 'resume', 'recordingId', 'Recording ID', {}],
	['recording', 'stop', 'recordingId', 'Recording ID', {}],
];

describe(`Attack: ids cannot leave their path segment (${engineLabel})`, () => {
	let emu: Emulator;
	withEmulator({ port: 0 }, (started) => (emu = started));

	const run = async (
		op: Op,
		value: string,
		items: IDataObject[] = [{}],
		continueOnFail = false,
	) => {
		const [resource, operation, field, , parameters] = op;
		return await runAction(emu, {
			parameters: { resource, operation, ...parameters, [field]: value },
			items,
			settings: continueOnFail ? { continueOnFail: true } : undefined,
		});
	};

	it.each(
		OPS.map(
			(op) =>
				[
					`${op[0]} ${op[1]}${op[4].forEveryone === true ? ' (for everyone)' : ''}: ${op[3]}`,
					op,
				] as const,
		),
	)('%s: every bad id is refused by name, nothing sent', async (_name, op) => {
		const label = op[3];
		const before = emu.state().requests.total;
		// One run per id without Continue On Fail: the item's NodeOperationError names the field.
		for (const [bad, reason] of BAD_IDS) {
			const result = await run(op, bad);
			expect(result.error?.name).toBe('NodeOperationError');
			expect(result.error?.message.startsWith(`${label} `)).toBe(true);
			expect(result.error?.message).toMatch(reason);
			expect(result.error?.context?.itemIndex).toBe(0);
		}
		// All of them again as items of one run, mapped by expression, with Continue On Fail.
		const items = BAD_IDS.map(([bad]) => ({ id: bad }));
		const outputs = (await run(op, '={{ $json.id }}', items, true)).outputs[0];
		expect(outputs.map((item) => item.pairedItem)).toEqual(items.map((_, item) => ({ item })));
		outputs.forEach((item, n) => expect(String(item.json.error)).toMatch(BAD_IDS[n][1]));
		expect(emu.state().requests.total).toBe(before);
	});

	it('the refused item is the one named (item 2 of 3); the good items are still sent', async () => {
		const id = await connectedCall(emu);
		const before = emu.state().requests.total;
		const result = await run(OPS[0], '={{ $json.id }}', [{ id }, { id }, { id: '%2e%2E' }]);
		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toBe("Call Connection ID must not be '..'");
		expect(result.error?.context?.itemIndex).toBe(2);
		expect(emu.state().requests.total - before).toBe(2);
		const late = await runAction(emu, {
			parameters: { resource: 'recording', operation: 'getState', recordingId: '={{ $json.id }}' },
			items: [{ id: 'rec-a' }, { id: '..' }, { id: 'rec-b' }],
			settings: { continueOnFail: true },
		});
		expect(late.outputs[0].map((item) => item.json.error)).toEqual([
			expect.stringMatching(/^ACS returned 404/),
			"Recording ID must not be '..'",
			expect.stringMatching(/^ACS returned 404/),
		]);
		expect(emu.state().requests.total - before).toBe(4);
	});
});

describe(`Attack: ids are percent-encoded inside their segment on the wire (${engineLabel})`, () => {
	let raw: RawServer;
	beforeAll(async () => (raw = await startRawServer(acsLike)));
	afterAll(async () => await raw.close());

	it.each([
		[
			'call',
			'get',
			{ callConnectionId: 'a/b?c#d:e%2F..x' },
			'/calling/callConnections/a%2Fb%3Fc%23d%3Ae%252F..x',
		],
		[
			'call',
			'hangUp',
			{ callConnectionId: '..x..', forEveryone: false },
			'/calling/callConnections/..x..',
		],
		['recording', 'stop', { recordingId: 'r/1 2' }, '/calling/recordings/r%2F1%202'],
		[
			'participant',
			'get',
			{ callConnectionId: 'c', participant: '8:acs:a/../b', participantType: 'unknown' },
			null,
		],
		[
			'participant',
			'get',
			{ callConnectionId: 'c', participant: '8:acs:x?y', participantType: 'unknown' },
			'/calling/callConnections/c/participants/8%3Aacs%3Ax%3Fy',
		],
	])('%s %s %j', async (resource, operation, parameters, path) => {
		raw.requests.length = 0;
		const result = await runAction(connectionString(raw.url), {
			parameters: { resource, operation, ...parameters },
		});
		if (path === null) {
			// A raw id holding a '..' segment is refused too, whatever a server would do with %2F.
			expect(result.error?.message).toBe("Participant must not contain '.' or '..' path segments");
			expect(raw.requests).toHaveLength(0);
			return;
		}
		expect(result.error).toBeUndefined();
		expect(raw.requests).toHaveLength(1);
		const target = raw.requests[0].requestLine.split(' ')[1];
		expect(target.split('?')[0]).toBe(path);
	});
});

// ---------------------------------------------------------------------------------------------
// nextLink: only to the endpoint's origin and /calling/ path
// ---------------------------------------------------------------------------------------------

describe(`Attack: a nextLink cannot steer a signed request (${engineLabel})`, () => {
	let acs: RawServer;
	let elsewhere: RawServer;
	let nextLink = '';
	beforeAll(async () => {
		elsewhere = await startRawServer(acsLike);
		acs = await startRawServer((request) =>
			request.requestLine.includes('page=2')
				? { status: 200, body: JSON.stringify({ value: [PARTICIPANT] }) }
				: { status: 200, body: JSON.stringify({ value: [PARTICIPANT], nextLink }) },
		);
	});
	afterAll(async () => {
		await acs.close();
		await elsewhere.close();
	});

	const list = async () =>
		await runAction(connectionString(acs.url), {
			parameters: {
				resource: 'participant',
				operation: 'list',
				callConnectionId: 'c',
				returnAll: true,
			},
		});

	it.each([
		[
			'another host',
			() => `${elsewhere.url}calling/callConnections/c/participants?page=2&api-version=2026-03-12`,
			/Refused to sign a request for 127\.0\.0\.1:\d+/,
		],
		[
			'another scheme',
			() => `${acs.url.replace('http:', 'https:')}calling/callConnections/c/participants?page=2`,
			/Refused to sign/,
		],
		[
			'outside /calling/',
			() => `${acs.url}admin/keys?page=2`,
			/outside the endpoint's \/calling\/ path/,
		],
		[
			'dot segments out of /calling/',
			() => `${acs.url}calling/%2e%2E/admin?page=2`,
			/outside the endpoint's \/calling\/ path/,
		],
		[
			'double-encoded dot segment',
			() => `${acs.url}calling/callConnections/%252e%252e?page=2`,
			/outside the endpoint's \/calling\/ path/,
		],
		[
			'user info',
			() =>
				acs.url.replace('http://', 'http://me:pw@') +
				'calling/callConnections/c/participants?page=2',
			/user info/,
		],
	])('%s: refused, nothing sent there', async (_name, link, message) => {
		nextLink = link();
		acs.requests.length = 0;
		elsewhere.requests.length = 0;
		const result = await list();
		expect(result.error?.message).toMatch(message);
		expect(acs.requests).toHaveLength(1);
		expect(elsewhere.requests).toHaveLength(0);
	});

	it('a nextLink on the endpoint under /calling/ is followed', async () => {
		nextLink = `${acs.url}calling/callConnections/c/participants?page=2&api-version=2026-03-12`;
		acs.requests.length = 0;
		expect(outputJson(await list())).toHaveLength(2);
		expect(acs.requests).toHaveLength(2);
	});
});

// ---------------------------------------------------------------------------------------------
// 3. The key in every error path
// ---------------------------------------------------------------------------------------------

const KEY_WINDOWS = Array.from({ length: KEY.length - 7 }, (_, i) => KEY.slice(i, i + 8));

/** Every string reachable from `value` (own properties, non-enumerable too), bounded. */
function strings(
	value: unknown,
	out: string[] = [],
	seen = new Set<object>(),
	depth = 0,
): string[] {
	if (typeof value === 'string') out.push(value);
	if (typeof value !== 'object' || value === null || seen.has(value) || depth > 8) return out;
	seen.add(value);
	for (const name of Object.getOwnPropertyNames(value)) {
		let child: unknown;
		try {
			child = (value as Record<string, unknown>)[name];
		} catch {
			continue;
		}
		out.push(name);
		strings(child, out, seen, depth + 1);
	}
	return out;
}

function safeJson(value: unknown): string {
	const seen = new Set<object>();
	return JSON.stringify(value, (_k, v: unknown) => {
		if (typeof v === 'object' && v !== null) {
			if (seen.has(v)) return '[circular]';
			seen.add(v);
		}
		return v;
	});
}

/** The secrets found anywhere in what the run left behind. */
function exposed(result: RunNodeResult, signatures: string[]): string[] {
	const error = result.error;
	const texts = [
		safeJson(result.outputs) ?? '',
		safeJson(result.run.data) ?? '',
		safeJson(error) ?? '',
		String(error?.message),
		String(error?.description),
		String(error?.stack),
		...strings(error),
		...strings(result.run.data.resultData.runData),
	];
	const secrets = [
		KEY,
		KEY_TEXT,
		connectionString(''),
		'Signature=',
		'SignedHeaders=',
		...KEY_WINDOWS,
		...signatures,
	];
	return secrets.filter((secret) => texts.some((text) => text.includes(secret)));
}

const signaturesSeen = (server: RawServer) =>
	server.requests
		.map((r) => /Signature=(.+)$/.exec(r.headers.authorization ?? '')?.[1])
		.filter((s): s is string => !!s);

describe(`Attack: no error path exposes the key or the signed headers (${engineLabel})`, () => {
	let html500: RawServer;
	let wrongKeyEmu: Emulator;
	let tls: TlsFront;
	let refusedPort: number;
	beforeAll(async () => {
		html500 = await startRawServer(() => ({
			status: 500,
			contentType: 'text/html',
			body: '<html><body><h1>500 Internal Server Error</h1><p>upstream failed</p></body></html>',
		}));
		// Another key than the credential's: every request is answered 401.
		wrongKeyEmu = await startEmulator({
			port: 0,
			accessKey: Buffer.from('the-emulator-own-key-000').toString('base64'),
		});
		tls = await startTlsFront(html500.port);
		refusedPort = await closedPort();
	});
	afterAll(async () => {
		await tls.close();
		await html500.close();
		await wrongKeyEmu.close();
	});

	// cancelAll is a POST that is not repeatable: a 500 is not retried, so each case is one request.
	// No retry budget: a refused connection fails at once instead of being retried for minutes.
	const cancelAll = {
		resource: 'media',
		operation: 'cancelAll',
		callConnectionId: 'call-1',
		requestOptions: { retryBudget: 0 },
	};
	const cases: Array<[string, () => string, RegExp, () => string[]]> = [
		[
			'HTTP 500 with an HTML body',
			() => html500.url,
			/ACS returned 500/,
			() => signaturesSeen(html500),
		],
		['401 for a wrong key', () => wrongKeyEmu.url, /ACS returned 401/, () => []],
		[
			'connection refused',
			() => `http://127.0.0.1:${refusedPort}/`,
			/refused|ECONNREFUSED/i,
			() => [],
		],
		[
			'TLS to a plain HTTP port',
			() => `https://127.0.0.1:${html500.port}/`,
			/EPROTO|wrong version/,
			() => [],
		],
		['self-signed TLS server', () => tls.url, /self-signed certificate/, () => []],
	];

	describe.each([false, true])('Continue On Fail %s', (continueOnFail) => {
		it.each(cases)('%s', async (_name, endpoint, message, signatures) => {
			html500.requests.length = 0;
			const result = await runAction(connectionString(endpoint()), {
				parameters: cancelAll,
				settings: continueOnFail ? { continueOnFail: true } : undefined,
			});
			if (continueOnFail) {
				expect(result.error).toBeUndefined();
				expect(String(result.outputs[0][0].json.error)).toMatch(message);
			} else {
				expect(result.error?.message).toMatch(message);
			}
			expect(exposed(result, signatures())).toEqual([]);
		});
	});

	it('the 500 case did send a signed request (so its signature was there to leak)', async () => {
		html500.requests.length = 0;
		await runAction(connectionString(html500.url), { parameters: cancelAll });
		expect(signaturesSeen(html500)).toHaveLength(1);
	});
});

// ---------------------------------------------------------------------------------------------
// 4. No free-text field reaches a header
// ---------------------------------------------------------------------------------------------

const INJECT = 'x\r\nX-Injected: yes\r\n\r\nGET /calling/evil HTTP/1.1';
const HEADERS_SENT = new Set([
	'host',
	'accept',
	'accept-encoding',
	'user-agent',
	'connection',
	'content-type',
	'content-length',
	'x-ms-client-request-id',
	'repeatability-request-id',
	'repeatability-first-sent',
	'x-ms-date',
	'x-ms-content-sha256',
	'authorization',
]);

describe(`Attack: CR/LF in free-text fields never makes a header (${engineLabel})`, () => {
	let raw: RawServer;
	beforeAll(async () => (raw = await startRawServer(acsLike)));
	afterAll(async () => await raw.close());
	beforeEach(() => (raw.requests.length = 0));

	const send = async (parameters: IDataObject) =>
		await runAction(connectionString(raw.url), { parameters });

	const expectBodyOnly = (result: RunNodeResult, read: (body: IDataObject) => unknown) => {
		expect(result.error).toBeUndefined();
		expect(raw.requests).toHaveLength(1);
		const [request] = raw.requests;
		expect(request.headerNames.filter((name) => !HEADERS_SENT.has(name))).toEqual([]);
		expect(request.headerLines.some((line) => /injected|evil/i.test(line))).toBe(false);
		expect(read(JSON.parse(request.body) as IDataObject)).toBe(INJECT);
	};

	it('Create: Operation Context and Display Name go to the body only', async () => {
		const result = await send({
			resource: 'call',
			operation: 'create',
			targets: CALLEE,
			callbackUrl: CALLBACK,
			sourceCallerIdNumber: CALLER_ID,
			additionalFields: { operationContext: INJECT, sourceDisplayName: INJECT },
		});
		expectBodyOnly(result, (body) => body.operationContext);
		expect((JSON.parse(raw.requests[0].body) as IDataObject).sourceDisplayName).toBe(INJECT);
	});

	it('Play Audio: Operation Context and Play Source Cache ID go to the body only', async () => {
		const result = await send({
			resource: 'media',
			operation: 'playAudio',
			callConnectionId: 'call-1',
			audioUrl: WAV,
			additionalFields: { operationContext: INJECT, playSourceCacheId: INJECT },
		});
		expectBodyOnly(result, (body) => body.operationContext);
	});

	it('Transfer and Mute: Operation Context goes to the body only (repeatable requests)', async () => {
		expectBodyOnly(
			await send({
				resource: 'call',
				operation: 'transfer',
				callConnectionId: 'call-1',
				target: PHONE2,
				additionalFields: { operationContext: INJECT },
			}),
			(body) => body.operationContext,
		);
		raw.requests.length = 0;
		expectBodyOnly(
			await send({
				resource: 'participant',
				operation: 'mute',
				callConnectionId: 'call-1',
				participant: CALLEE,
				operationContext: INJECT,
			}),
			(body) => body.operationContext,
		);
	});

	it.each([
		[
			'Callback URL',
			{
				resource: 'call',
				operation: 'create',
				targets: CALLEE,
				sourceCallerIdNumber: CALLER_ID,
				callbackUrl: `${CALLBACK}\r\nX-Injected: yes`,
			},
		],
		[
			'Audio URL',
			{
				resource: 'media',
				operation: 'playAudio',
				callConnectionId: 'call-1',
				audioUrl: `${WAV}\rX-Injected: yes`,
			},
		],
		[
			'Operation Callback URL',
			{
				resource: 'media',
				operation: 'playAudio',
				callConnectionId: 'call-1',
				audioUrl: WAV,
				additionalFields: { operationCallbackUrl: `${CALLBACK}\r\nX-Injected: yes` },
			},
		],
	])('%s with CR/LF: refused by name, nothing sent', async (label, parameters) => {
		const result = await send(parameters);
		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toBe(
			`${label} must not contain control characters (such as line breaks)`,
		);
		expect(raw.requests).toHaveLength(0);
	});
});
