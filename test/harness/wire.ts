/**
 * A loopback server that records requests and answers each ACS route with the status and body
 * shape the official SDK accepts. The node and the SDK are pointed at it with the same inputs and
 * their requests are compared: same method, path, query names and JSON body.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IDataObject } from 'n8n-workflow';

import { outputJson, runAction } from './action';

export interface RecordedRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	headers: Record<string, string | string[] | undefined>;
	/** Parsed JSON body; undefined when no body was sent. */
	body: unknown;
}

const PHONE = {
	kind: 'phoneNumber',
	rawId: '4:+14255550100',
	phoneNumber: { value: '+14255550100', isAnonymous: false },
};
const PARTICIPANT = { identifier: PHONE, isMuted: false, isOnHold: false };
const CALL = {
	callConnectionId: 'wire-call',
	serverCallId: 'wire-server-call',
	targets: [PHONE],
	callConnectionState: 'connecting',
	callbackUri: 'https://callbacks.example.com/acs',
	correlationId: 'wire-correlation',
};
const RECORDING = {
	recordingId: 'wire-recording',
	recordingState: 'active',
	recordingKind: 'azureCommunicationServices',
};

type Reply = [status: number, body?: unknown];

/** Status codes and bodies per route, as in the REST reference (the SDK rejects other 2xx). */
function reply(method: string, path: string, body: Record<string, unknown> | undefined): Reply {
	const ctx = { operationContext: body?.operationContext };
	const routes: Array<[string, RegExp, Reply]> = [
		['POST', /^\/calling\/callConnections$/, [201, CALL]],
		[
			'POST',
			/^\/calling\/callConnections:answer$/,
			[200, { ...CALL, callConnectionState: 'connected' }],
		],
		['POST', /^\/calling\/callConnections:(redirect|reject)$/, [204]],
		[
			'POST',
			/^\/calling\/callConnections:connect$/,
			[200, { ...CALL, callConnectionState: 'connected' }],
		],
		['POST', /:(start|stop|update)Transcription$/, [202]],
		['POST', /:(start|stop)MediaStreaming$/, [202]],
		[
			'POST',
			/\/participants:moveHere$/,
			[
				202,
				{
					participants: [PARTICIPANT],
					operationContext: ctx.operationContext,
					fromCall: body?.fromCall,
				},
			],
		],
		['GET', /^\/calling\/callConnections\/[^/:]+$/, [200, CALL]],
		['DELETE', /^\/calling\/callConnections\/[^/:]+$/, [204]],
		['POST', /:terminate$/, [204]],
		['POST', /:transferToParticipant$/, [202, ctx]],
		['POST', /:(play|cancelAllMediaOperations|recognize)$/, [202]],
		['POST', /:(start|stop)ContinuousDtmfRecognition$/, [200]],
		['POST', /:sendDtmfTones$/, [202, ctx]],
		['POST', /:(hold|unhold)$/, [200]],
		['GET', /\/participants$/, [200, { value: [PARTICIPANT] }]],
		['GET', /\/participants\/[^/]+$/, [200, PARTICIPANT]],
		[
			'POST',
			/\/participants:add$/,
			[
				202,
				{
					participant: PARTICIPANT,
					operationContext: ctx.operationContext,
					invitationId: 'wire-invitation',
				},
			],
		],
		['POST', /\/participants:remove$/, [202, ctx]],
		['POST', /\/participants:mute$/, [200, ctx]],
		[
			'POST',
			/\/participants:cancelAddParticipant$/,
			[202, { invitationId: body?.invitationId, ...ctx }],
		],
		['POST', /^\/calling\/recordings$/, [200, RECORDING]],
		['GET', /^\/calling\/recordings\/[^/:]+$/, [200, RECORDING]],
		['DELETE', /^\/calling\/recordings\/[^/:]+$/, [204]],
		['POST', /^\/calling\/recordings\/[^/:]+:(pause|resume)$/, [202]],
	];
	const match = routes.find(([m, pattern]) => m === method && pattern.test(path));
	return match
		? match[2]
		: [
				404,
				{ error: { code: 'NotFound', message: `wire recorder has no route ${method} ${path}` } },
			];
}

export interface WireRecorder {
	url: string;
	/** An ACS connection string pointing at the recorder (any key: it does not check signatures). */
	connectionString: string;
	requests: RecordedRequest[];
	/** Empties the record and returns what it held. */
	take(): RecordedRequest[];
	close(): Promise<void>;
}

export async function startWireRecorder(): Promise<WireRecorder> {
	const requests: RecordedRequest[] = [];
	const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const url = new URL(req.url ?? '/', 'http://recorder');
			const text = Buffer.concat(chunks).toString('utf8');
			const body = text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>);
			const path = decodeURIComponent(url.pathname);
			requests.push({
				method: req.method ?? 'GET',
				path,
				query: Object.fromEntries(url.searchParams.entries()),
				headers: req.headers,
				body,
			});
			const [status, payload] = reply(req.method ?? 'GET', path, body);
			if (payload === undefined) {
				res.writeHead(status).end();
			} else {
				res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
			}
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	const url = `http://127.0.0.1:${port}/`;
	return {
		url,
		connectionString: `endpoint=${url};accesskey=${Buffer.from('wire-recorder-key').toString('base64')}`,
		requests,
		take: () => requests.splice(0, requests.length),
		close: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

/** What must be equal between the node's and the SDK's request. */
export function wireShape(request: RecordedRequest): {
	method: string;
	path: string;
	apiVersion: string | undefined;
	body: unknown;
	repeatable: boolean;
} {
	return {
		method: request.method,
		path: request.path,
		apiVersion: request.query['api-version'],
		body: request.body,
		repeatable: request.headers['repeatability-request-id'] !== undefined,
	};
}

/** A v4 UUID, as the SDK generates for an operationContext left empty. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** One recorder per describe block: started before its tests, emptied before each, closed after. */
export function withWireRecorder(started: (rec: WireRecorder) => void): void {
	let rec: WireRecorder;
	beforeAll(async () => {
		rec = await startWireRecorder();
		started(rec);
	});
	afterAll(async () => await rec.close());
	beforeEach(() => rec.take());
}

export interface WireComparison {
	node: RecordedRequest;
	sdk: RecordedRequest;
	/** The node's first output item. */
	output: IDataObject;
}

/** Runs the node, then the SDK, against the recorder; returns the one request each sent. */
export async function wireCompare(
	rec: WireRecorder,
	parameters: IDataObject,
	viaSdk: () => Promise<unknown>,
): Promise<WireComparison> {
	const [output] = outputJson(await runAction(rec.connectionString, { parameters }));
	const fromNode = rec.take();
	await viaSdk();
	const fromSdk = rec.take();
	expect(fromNode).toHaveLength(1);
	expect(fromSdk).toHaveLength(1);
	return { node: fromNode[0], sdk: fromSdk[0], output };
}

/** wireCompare, expecting equal requests; returns their shape and the node's output. */
export async function expectSameWire(
	rec: WireRecorder,
	parameters: IDataObject,
	viaSdk: () => Promise<unknown>,
) {
	const { node, sdk, output } = await wireCompare(rec, parameters, viaSdk);
	expect(wireShape(node)).toEqual(wireShape(sdk));
	return { shape: wireShape(node), output };
}

/** The request's shape with its random operationContext replaced, after checking it is a UUID. */
export function withoutRandomContext(request: RecordedRequest) {
	const body = request.body as IDataObject;
	expect(body.operationContext).toMatch(UUID);
	return wireShape({ ...request, body: { ...body, operationContext: '<uuid>' } });
}

/** wireCompare where both sides generate their own context: equal apart from it. */
export async function expectSameWireWithRandomContext(
	rec: WireRecorder,
	parameters: IDataObject,
	viaSdk: () => Promise<unknown>,
): Promise<WireComparison> {
	const comparison = await wireCompare(rec, parameters, viaSdk);
	expect(withoutRandomContext(comparison.node)).toEqual(withoutRandomContext(comparison.sdk));
	return comparison;
}
