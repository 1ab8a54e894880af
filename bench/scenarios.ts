/**
 * What each scenario measures. Every function does an untimed warm-up, then times only the measured part
 * (wall and CPU) and checks that every request really succeeded: a fast wrong answer is not a result.
 */
import { createPrivateKey, randomUUID, sign, type KeyObject } from 'node:crypto';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { writeFileSync } from 'node:fs';
import type { ClientRequest } from 'node:http';
import { Session } from 'node:inspector';
import { performance } from 'node:perf_hooks';

import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';

import { parseConnectionString } from '../acs/connectionString';
import { DEFAULT_API_VERSION } from '../acs/defaults';
import { parseIdentifier, phoneNumberModel } from '../acs/identifiers';
import { signRequest } from '../acs/signing';
import { AzureCommunicationServicesApi } from '../credentials/AzureCommunicationServicesApi.credentials';
import {
	CALLBACK_URL,
	CALLER_ID,
	calleeNumber,
	latencySummary,
	pool,
	type ScenarioResult,
	type ScenarioSpec,
} from './lib';

type Measured = Omit<ScenarioResult, 'peakRssMb' | 'kind'>;

const skipped = (reason: string): Measured => ({
	ok: true,
	skipped: reason,
	count: 0,
	wallMs: 0,
	cpuMs: 0,
	notes: [],
});

/** Set by the parent with --profile: a CPU profile of the timed part only (node:inspector, no debug port). */
let profileFile: string | undefined;
export function profileTimedPartTo(file: string | undefined): void {
	profileFile = file;
}

async function timed<T>(
	fn: () => Promise<T>,
): Promise<{ value: T; wallMs: number; cpuMs: number }> {
	const session = profileFile ? new Session() : undefined;
	const post = (method: string, params?: object) =>
		new Promise<unknown>((resolve, reject) =>
			session?.post(method, params, (e, r) => (e ? reject(e) : resolve(r))),
		);
	if (session) {
		session.connect();
		await post('Profiler.enable');
		await post('Profiler.setSamplingInterval', { interval: 200 });
		await post('Profiler.start');
	}
	const cpu0 = process.cpuUsage();
	const t0 = performance.now();
	const value = await fn();
	const wallMs = performance.now() - t0;
	const cpu = process.cpuUsage(cpu0);
	if (session && profileFile) {
		const { profile } = (await post('Profiler.stop')) as { profile: unknown };
		writeFileSync(profileFile, JSON.stringify(profile));
		session.disconnect();
	}
	return { value, wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

/** Loads a module that may not exist yet in this checkout (the nodes land separately). */
function loadOptional<T>(path: string): T | undefined {
	try {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		return require(path) as T;
	} catch (error) {
		const e = error as NodeJS.ErrnoException;
		if (e.code === 'MODULE_NOT_FOUND' && e.message.includes(path.replace(/^\.\.\//, '')))
			return undefined;
		throw error;
	}
}

/**
 * Times every node:http request of this process from the ClientRequest's creation to its response
 * (n8n-core's axios and the Azure SDK's pipeline both end in node:http).
 */
function httpTimer() {
	const starts = new WeakMap<ClientRequest, number>();
	const samples: number[] = [];
	let active = false;
	let sent = 0;
	let sockets = 0;
	subscribe('net.client.socket', () => {
		if (active) sockets++;
	});
	subscribe('http.client.request.start', (message) => {
		if (!active) return;
		sent++;
		starts.set((message as { request: ClientRequest }).request, performance.now());
	});
	let lastOkAt = 0;
	let errorAnswers = 0;
	subscribe('http.client.response.finish', (message) => {
		const { request, response } = message as {
			request: ClientRequest;
			response?: { statusCode?: number };
		};
		const start = starts.get(request);
		if (start === undefined) return;
		samples.push(performance.now() - start);
		const status = response?.statusCode ?? 0;
		if (status >= 200 && status < 300) lastOkAt = performance.now();
		else if (status >= 500) errorAnswers++;
	});
	return {
		start() {
			active = true;
		},
		stop() {
			active = false;
			return {
				...latencySummary(Float64Array.from(samples)),
				requestsSent: sent,
				connectionsOpened: sockets,
			};
		},
		/** When the timed part's last 2xx arrived (performance clock), and how many 5xx it got. */
		answers() {
			return { lastOkAt, errorAnswers };
		},
	};
}

/** The Create Call body as the node and the SDK put it on the wire. */
export function createCallBody(i: number): Record<string, unknown> {
	return {
		targets: [parseIdentifier(calleeNumber(i), 'auto', 'Targets')],
		sourceCallerIdNumber: phoneNumberModel(CALLER_ID, 'Caller ID'),
		callbackUri: CALLBACK_URL,
	};
}

// ---------------------------------------------------------------- the action node in n8n's engine

interface NodeModule {
	AzureCallAutomation: new () => import('n8n-workflow').INodeType;
}

/** Runs Create Call over items in n8n's engine; counts credential reads. Undefined when the node is not in this checkout. */
async function nodeRunner(spec: ScenarioSpec) {
	const mod = loadOptional<NodeModule>('../nodes/AzureCallAutomation/AzureCallAutomation.node.ts');
	if (!mod) return undefined;
	const { runNode, engineLabel } = await import('../test/harness/engine');
	const nodeType = new mod.AzureCallAutomation();
	// Counts credential reads: each is a database read plus a decryption in a real n8n.
	const counter = { credentialReads: 0 };
	const data = { apiVersion: DEFAULT_API_VERSION } as Record<string, unknown>;
	Object.defineProperty(data, 'connectionString', {
		enumerable: true,
		get: () => {
			counter.credentialReads++;
			return spec.emulator.connectionString;
		},
	});
	const credentials = {
		azureCommunicationServicesApi: {
			type: new AzureCommunicationServicesApi(),
			data: data as never,
		},
	};
	const parameters = {
		resource: 'call',
		operation: 'create',
		// Each item maps its own number, as a workflow fed from a contact list does.
		targets: '={{ $json.to }}',
		callbackUrl: CALLBACK_URL,
		sourceCallerIdNumber: CALLER_ID,
		additionalFields: {},
		requestOptions: {
			...(spec.concurrency === undefined ? {} : { concurrency: spec.concurrency }),
			...(spec.adaptive === undefined ? {} : { adaptiveConcurrency: spec.adaptive }),
		},
	};
	const items = (count: number, offset: number, numbers?: string[]) =>
		Array.from({ length: count }, (_, i) => ({ to: numbers?.[i] ?? calleeNumber(offset + i) }));
	const settings = spec.continueOnFail ? { onError: 'continueRegularOutput' as const } : {};
	/** Runs the items; with Continue On Fail, returns how many became error items (each must be an ACS error). */
	const runItems = async (count: number, offset: number, numbers?: string[]): Promise<number> => {
		const { outputs, error } = await runNode({
			type: 'azureCallAutomation',
			nodeType,
			parameters,
			settings,
			items: items(count, offset, numbers),
			credentials,
		});
		if (error) throw new Error(`The node failed: ${error.message} ${error.description ?? ''}`);
		const out = outputs[0] ?? [];
		if (out.length !== count) throw new Error(`Expected ${count} output items, got ${out.length}.`);
		const errors = spec.continueOnFail
			? out.filter((item) => item.json.error && /^5\d\d$/.test(String(item.json.httpCode)))
			: [];
		const bad = out.find(
			(item) => !errors.includes(item) && (!item.json.callConnectionId || item.json.error),
		);
		if (bad)
			throw new Error(`An item did not create a call: ${JSON.stringify(bad.json).slice(0, 300)}`);
		return errors.length;
	};
	return { runItems, counter, engineLabel };
}

async function measureNode(spec: ScenarioSpec): Promise<Measured> {
	const node = await nodeRunner(spec);
	if (!node)
		return skipped('the action node (AzureCallAutomation.node.ts) is not in this checkout yet');
	const timer = httpTimer();
	await node.runItems(spec.warmup, 1_000_000);
	timer.start();
	node.counter.credentialReads = 0;
	const { wallMs, cpuMs } = await timed(async () => await node.runItems(spec.n, 0));
	const http = timer.stop();
	return {
		ok: true,
		count: spec.n,
		wallMs,
		cpuMs,
		...http,
		notes: [
			`${node.engineLabel}; credential reads per request: ${(node.counter.credentialReads / spec.n).toFixed(2)}`,
		],
	};
}

/**
 * Continue On Fail with items that keep failing (the emulator fails a share of the numbers on every
 * attempt) against the same run with none failing, taking turns in one process as the overhead row does:
 * separate processes on a shared machine vary more than the difference measured. The pace of each run is
 * that of its calls placed, until the last one was (not until the last error item settled).
 */
async function measureFailing(spec: ScenarioSpec): Promise<Measured> {
	const node = await nodeRunner({ ...spec, continueOnFail: true });
	if (!node)
		return skipped('the action node (AzureCallAutomation.node.ts) is not in this checkout yet');
	const { failsByShare } = await import('../emulator/faults');
	const share = spec.faults?.failingShare ?? 0;
	const fails = (n: string) => failsByShare(n, share);
	const timer = httpTimer();
	await node.runItems(spec.warmup, 1_000_000);
	timer.start();
	const rounds = 3;
	const healthyRates: number[] = [];
	const failingRates: number[] = [];
	let placed = 0;
	let errorItems = 0;
	let failedAttempts = 0;
	let wallMs = 0;
	let healthyWallMs = 0;
	let cpuMs = 0;
	const once = async (
		numbers: string[],
	): Promise<{ rate: number; wallMs: number; cpuMs: number; errors: number; answers: number }> => {
		const before = timer.answers().errorAnswers;
		const t0 = performance.now();
		const run = await timed(async () => await node.runItems(numbers.length, 0, numbers));
		const { lastOkAt, errorAnswers } = timer.answers();
		const expected = numbers.filter(fails).length;
		if (run.value !== expected)
			throw new Error(
				`${run.value} error items, expected ${expected} (the numbers the emulator fails).`,
			);
		const ok = numbers.length - run.value;
		return {
			rate: lastOkAt > t0 ? (ok * 1000) / (lastOkAt - t0) : 0,
			wallMs: run.wallMs,
			cpuMs: run.cpuMs,
			errors: run.value,
			answers: errorAnswers - before,
		};
	};
	for (let r = 0; r < rounds; r++) {
		// Fresh numbers each run: with failing ones at their natural share, or only numbers that never fail.
		const base = 2_000_000 + r * 2 * spec.n * 2;
		const mixed = Array.from({ length: spec.n }, (_, i) => calleeNumber(base + i));
		const healthy: string[] = [];
		for (let k = base + spec.n; healthy.length < spec.n; k++)
			if (!fails(calleeNumber(k))) healthy.push(calleeNumber(k));
		const turns = [
			async () => {
				const a = await once(healthy);
				healthyRates.push(a.rate);
				healthyWallMs += a.wallMs;
			},
			async () => {
				const b = await once(mixed);
				failingRates.push(b.rate);
				placed += spec.n - b.errors;
				errorItems += b.errors;
				failedAttempts += b.answers;
				wallMs += b.wallMs;
				cpuMs += b.cpuMs;
			},
		];
		for (let k = 0; k < turns.length; k++) await turns[(r + k) % turns.length]();
	}
	const http = timer.stop();
	const ratios = failingRates.map((rate, i) => rate / healthyRates[i]).sort((a, b) => a - b);
	const median = (list: number[]) => [...list].sort((a, b) => a - b)[list.length >> 1];
	return {
		ok: true,
		count: placed,
		wallMs,
		cpuMs,
		...http,
		healthyPerSecond: median(failingRates),
		vsHealthy: ratios[rounds >> 1],
		errorItems,
		failedAttempts,
		notes: [
			`${node.engineLabel}; ${rounds} rounds of ${spec.n} items, with a ${Math.round(share * 100)}% share of always-failing numbers and with none, taking turns in one process`,
			`healthy calls/s with failing items ${failingRates.map((v) => v.toFixed(0)).join(', ')}; without ${healthyRates.map((v) => v.toFixed(0)).join(', ')}; ratio per round ${ratios.map((v) => v.toFixed(2)).join(', ')}`,
			`wall per run ${(wallMs / rounds / 1000).toFixed(2)} s with failing items, ${(healthyWallMs / rounds / 1000).toFixed(2)} s without`,
		],
	};
}

// ---------------------------------------------------------------- n8n's own HTTP helper, nothing else

/** The headers the node's transport sends with a Create Call, before the credential signs it. */
function unsignedHeaders(): Record<string, string> {
	return {
		accept: 'application/json',
		'content-type': 'application/json',
		'x-ms-client-request-id': randomUUID(),
		'Repeatability-Request-ID': randomUUID(),
		'Repeatability-First-Sent': new Date().toUTCString(),
	};
}

/** The same, signed: for the clients that sign by hand. */
function createCallHeaders(url: string, body: string, key: Buffer): Record<string, string> {
	return { ...unsignedHeaders(), ...signRequest({ method: 'POST', url, body, key }) };
}

/**
 * The floor for any node built on n8n's helpers: per item, a body built in code (no parameters read),
 * signed in place and sent with this.helpers.httpRequest, with the router's bounded concurrency.
 */
class FloorProbe implements INodeType {
	description = {
		displayName: 'Floor Probe',
		name: 'floorProbe',
		group: ['transform'],
		version: 1,
		description: 'n8n httpRequest floor',
		defaults: { name: 'Floor Probe' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [
			{ displayName: 'Connection', name: 'connectionString', type: 'string', default: '' },
			{ displayName: 'Concurrency', name: 'concurrency', type: 'number', default: 16 },
			{
				displayName: 'Sign in the Credential',
				name: 'viaCredential',
				type: 'boolean',
				default: false,
			},
		],
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const connectionString = this.getNodeParameter('connectionString', 0) as string;
		const { endpoint, key } = parseConnectionString(connectionString);
		const concurrency = this.getNodeParameter('concurrency', 0) as number;
		// The same request through httpRequestWithAuthentication, signed by the package's credential (as the node signs).
		const viaCredential = this.getNodeParameter('viaCredential', 0) === true;
		const credential = {
			credentialsDecrypted: {
				id: '',
				name: 'bench',
				type: 'azureCommunicationServicesApi',
				data: { connectionString },
			},
		};
		const url = new URL('calling/callConnections', endpoint);
		url.searchParams.set('api-version', DEFAULT_API_VERSION);
		const out: INodeExecutionData[] = new Array(items.length);
		await pool(items.length, concurrency, async (i) => {
			const body = JSON.stringify(createCallBody(items[i].json.n as number));
			const options = {
				method: 'POST' as const,
				url: url.href,
				body,
				headers: viaCredential ? unsignedHeaders() : createCallHeaders(url.href, body, key),
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				json: true,
			};
			const response = (
				viaCredential
					? await this.helpers.httpRequestWithAuthentication.call(
							this,
							'azureCommunicationServicesApi',
							options,
							credential,
						)
					: await this.helpers.httpRequest(options)
			) as { statusCode: number; body: IDataObject };
			if (response.statusCode !== 201)
				throw new Error(`floor: ${response.statusCode} ${JSON.stringify(response.body)}`);
			out[i] = { json: response.body, pairedItem: { item: i } };
		});
		return [out];
	}
}

async function floorRunner(spec: ScenarioSpec, viaCredential = false) {
	const { runNode } = await import('../test/harness/engine');
	const concurrency = spec.concurrency ?? 16;
	const credentials = {
		azureCommunicationServicesApi: {
			type: new AzureCommunicationServicesApi(),
			data: { connectionString: spec.emulator.connectionString } as never,
		},
	};
	return async (count: number, offset: number) => {
		const { outputs, error } = await runNode({
			type: 'floorProbe',
			nodeType: new FloorProbe(),
			credentials,
			parameters: { connectionString: spec.emulator.connectionString, concurrency, viaCredential },
			items: Array.from({ length: count }, (_, i) => ({ n: offset + i })),
		});
		if (error) throw error;
		if (outputs[0]?.length !== count || !outputs[0].every((o) => o.json.callConnectionId))
			throw new Error('floor: missing results');
	};
}

async function measureFloor(spec: ScenarioSpec): Promise<Measured> {
	const runItems = await floorRunner(spec);
	const timer = httpTimer();
	await runItems(spec.warmup, 1_000_000);
	timer.start();
	const { wallMs, cpuMs } = await timed(async () => await runItems(spec.n, 0));
	return { ok: true, count: spec.n, wallMs, cpuMs, ...timer.stop(), notes: [] };
}

/**
 * The node's CPU over the floor's, measured in one process taking turns (node, floor, node, …) so both
 * see the same JIT state and the same machine load: separate processes on a shared machine vary more
 * from run to run than the difference being measured. The row's CPU is the node's; the note gives the floor's
 * and the ratio per round.
 */
async function measureOverhead(spec: ScenarioSpec): Promise<Measured> {
	const node = await nodeRunner(spec);
	if (!node)
		return skipped('the action node (AzureCallAutomation.node.ts) is not in this checkout yet');
	// The floor, and the floor sending through httpRequestWithAuthentication with the package's credential
	// signing (what the node must do: requests are signed in the credential's authenticate).
	const floors = [await floorRunner(spec), await floorRunner(spec, true)];
	const rounds = 10;
	const per = Math.max(1, Math.floor(spec.n / rounds));
	await node.runItems(spec.warmup, 1_000_000);
	for (const floor of floors) await floor(spec.warmup, 1_000_000);
	const collect = (globalThis as { gc?: () => void }).gc;
	let wallMs = 0;
	const cpu = async (fn: () => Promise<unknown>, wall = false): Promise<number> => {
		// Each turn starts with a clean heap, so none pays for collecting another's garbage.
		collect?.();
		const t = process.cpuUsage();
		const w = performance.now();
		await fn();
		if (wall) wallMs += performance.now() - w;
		const d = process.cpuUsage(t);
		return (d.user + d.system) / 1000;
	};
	const nodeMs: number[] = [];
	const floorMs: number[][] = [[], []];
	for (let r = 0; r < rounds; r++) {
		// Each round starts with a different one, so none always follows the same other.
		const turns = [
			async () => nodeMs.push(await cpu(() => node.runItems(per, r * per), true)),
			async () => floorMs[0].push(await cpu(() => floors[0](per, 2_000_000 + r * per))),
			async () => floorMs[1].push(await cpu(() => floors[1](per, 3_000_000 + r * per))),
		];
		for (let k = 0; k < turns.length; k++) await turns[(r + k) % turns.length]();
	}
	const sum = (list: number[]) => list.reduce((a, b) => a + b, 0);
	const ratio = (of: number[], to: number[]) => {
		const ratios = of.map((ms, i) => ms / to[i]).sort((a, b) => a - b);
		return {
			median: (ratios[(rounds - 1) >> 1] + ratios[rounds >> 1]) / 2,
			low: ratios[0],
			high: ratios[rounds - 1],
			all: sum(of) / sum(to),
		};
	};
	const overFloor = ratio(nodeMs, floorMs[0]);
	const overSigned = ratio(nodeMs, floorMs[1]);
	const us = (ms: number[]) => ((sum(ms) * 1000) / (per * rounds)).toFixed(0);
	const say = (r: ReturnType<typeof ratio>) =>
		`median ${r.median.toFixed(2)} (${r.low.toFixed(2)}–${r.high.toFixed(2)}), all rounds ${r.all.toFixed(2)}`;
	return {
		ok: true,
		count: per * rounds,
		wallMs,
		cpuMs: sum(nodeMs),
		overFloor: overFloor.median,
		notes: [
			`${node.engineLabel}; ${rounds} rounds of ${per} items, the node and two floors taking turns in one process${collect ? ', a full garbage collection before each turn' : ''}`,
			`floor (httpRequest, signed in place) ${us(floorMs[0])} µs per request; node ÷ floor per round: ${say(overFloor)}`,
			`floor signed by the credential (httpRequestWithAuthentication) ${us(floorMs[1])} µs; node ÷ that: ${say(overSigned)}`,
		],
	};
}

// ---------------------------------------------------------------- bare undici: the physical limit

async function measureUndici(spec: ScenarioSpec): Promise<Measured> {
	const { Pool } = await import('undici');
	const { endpoint, key } = parseConnectionString(spec.emulator.connectionString);
	const url = new URL('calling/callConnections', endpoint);
	url.searchParams.set('api-version', DEFAULT_API_VERSION);
	const concurrency = spec.concurrency ?? 16;
	const client = new Pool(url.origin, { connections: concurrency, pipelining: 1 });
	const samples = new Float64Array(spec.n);
	const one = async (i: number, record: boolean): Promise<void> => {
		// Same work as the node per request: serialise, sign the exact bytes, fresh ids.
		const body = JSON.stringify(createCallBody(i));
		const headers = createCallHeaders(url.href, body, key);
		const t = performance.now();
		const res = await client.request({
			method: 'POST',
			path: url.pathname + url.search,
			body,
			headers,
		});
		const json = (await res.body.json()) as { callConnectionId?: string };
		if (record) samples[i] = performance.now() - t;
		if (res.statusCode !== 201 || !json.callConnectionId)
			throw new Error(`undici: ${res.statusCode} ${JSON.stringify(json).slice(0, 300)}`);
	};
	await pool(spec.warmup, concurrency, async (i) => await one(1_000_000 + i, false));
	let sockets = 0;
	const counter = () => sockets++;
	subscribe('undici:client:connected', counter);
	const { wallMs, cpuMs } = await timed(
		async () => await pool(spec.n, concurrency, async (i) => await one(i, true)),
	);
	unsubscribe('undici:client:connected', counter);
	await client.close();
	return {
		ok: true,
		count: spec.n,
		wallMs,
		cpuMs,
		requestsSent: spec.n,
		connectionsOpened: sockets,
		...latencySummary(samples),
		notes: [],
	};
}

// ---------------------------------------------------------------- the official SDK, as a Code node would use it

async function measureSdk(spec: ScenarioSpec): Promise<Measured> {
	const { CallAutomationClient } = await import('@azure/communication-call-automation');
	const client = new CallAutomationClient(spec.emulator.connectionString, {
		allowInsecureConnection: true,
	});
	const concurrency = spec.concurrency ?? 16;
	const one = async (i: number): Promise<void> => {
		const result = await client.createCall(
			{
				targetParticipant: { phoneNumber: calleeNumber(i) },
				sourceCallIdNumber: { phoneNumber: CALLER_ID },
			},
			CALLBACK_URL,
		);
		if (!result.callConnectionProperties.callConnectionId)
			throw new Error('SDK: no callConnectionId');
	};
	const timer = httpTimer();
	await pool(spec.warmup, concurrency, async (i) => await one(1_000_000 + i));
	timer.start();
	const { wallMs, cpuMs } = await timed(async () => await pool(spec.n, concurrency, one));
	const http = timer.stop();
	return { ok: true, count: spec.n, wallMs, cpuMs, ...http, notes: [] };
}

// ---------------------------------------------------------------- signing

async function measureSigning(spec: ScenarioSpec): Promise<Measured> {
	const { key } = parseConnectionString(spec.emulator.connectionString);
	const url = `${spec.emulator.url}calling/callConnections?api-version=${DEFAULT_API_VERSION}`;
	const body = JSON.stringify(createCallBody(0));
	const durationMs = spec.durationMs ?? 2000;
	for (let i = 0; i < 5000; i++) signRequest({ method: 'POST', url, body, key });
	const samples: number[] = [];
	const { wallMs, cpuMs } = await timed(async () => {
		const end = performance.now() + durationMs;
		for (let t = performance.now(); t < end; ) {
			signRequest({ method: 'POST', url, body, key });
			const now = performance.now();
			samples.push(now - t);
			t = now;
		}
	});
	return {
		ok: true,
		count: samples.length,
		wallMs,
		cpuMs,
		...latencySummary(Float64Array.from(samples)),
		notes: [],
	};
}

// ---------------------------------------------------------------- the trigger's webhook handler

function b64url(data: string | Buffer): string {
	return Buffer.from(data).toString('base64url');
}

/** RS256 tokens like ACS's, signed with the emulator issuer's key so its published JWKS verifies them. */
export function makeTokens(emulator: ScenarioSpec['emulator'], count: number): string[] {
	const { privateJwk, kid, issuer, resourceId } = emulator;
	if (!privateJwk || !kid) throw new Error('The trigger scenario needs the issuer key.');
	const privateKey: KeyObject = createPrivateKey({ key: privateJwk as never, format: 'jwk' });
	const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }));
	const iat = Math.floor(Date.now() / 1000);
	return Array.from({ length: count }, () => {
		const claims = b64url(
			JSON.stringify({
				iss: issuer,
				aud: resourceId,
				iat,
				nbf: iat,
				exp: iat + 3600,
				jti: randomUUID(),
			}),
		);
		return `${header}.${claims}.${b64url(sign('RSA-SHA256', Buffer.from(`${header}.${claims}`), privateKey))}`;
	});
}

const EVENT_TYPES = [
	'CallConnected',
	'ParticipantsUpdated',
	'PlayCompleted',
	'RecognizeCompleted',
	'CallDisconnected',
];

/** A CloudEvents array as ACS posts it to a callback URL. */
function eventBatch(n: number, size: number): string {
	const callConnectionId = `bench-${n % 1000}`;
	return JSON.stringify(
		Array.from({ length: size }, (_, k) => ({
			id: randomUUID(),
			source: `calling/callConnections/${callConnectionId}`,
			type: `Microsoft.Communication.${EVENT_TYPES[(n + k) % EVENT_TYPES.length]}`,
			specversion: '1.0',
			time: new Date().toISOString(),
			datacontenttype: 'application/json',
			subject: `calling/callConnections/${callConnectionId}`,
			data: {
				callConnectionId,
				serverCallId: 'aHR0cHM6Ly9hcGkuZmxpZ2h0cHJveHkuc2t5cGUuY29tL2FwaS92Mi9jcC9jb252',
				correlationId: randomUUID(),
				operationContext: `bench-${n}`,
				resultInformation: { code: 200, subCode: 0, message: 'The action completed successfully.' },
			},
		})),
	);
}

interface TriggerModule {
	AzureCallAutomationTrigger: new () => import('n8n-workflow').INodeType;
}

async function measureTrigger(spec: ScenarioSpec): Promise<Measured> {
	const mod = loadOptional<TriggerModule>(
		'../nodes/AzureCallAutomation/AzureCallAutomationTrigger.node.ts',
	);
	if (!mod)
		return skipped(
			'the trigger node (AzureCallAutomationTrigger.node.ts) is not in this checkout yet',
		);
	const { runWebhook } = await import('./webhook');
	const batch = spec.batch ?? 1;
	const tokens = spec.tokenList ?? [];
	if (tokens.length === 0) throw new Error('The trigger scenario needs tokens.');
	// One body per delivery: the trigger starts nothing for an event id it has already taken.
	const bodies = Array.from({ length: spec.warmup + spec.n }, (_, n) =>
		Buffer.from(eventBatch(n, batch)),
	);
	const handler = await runWebhook(new mod.AzureCallAutomationTrigger(), {
		options: {
			verifyToken: true,
			openIdConfigurationUrl: spec.emulator.openIdConfigurationUrl,
			resourceId: spec.emulator.resourceId,
		},
	});
	// Deliveries are numbered on from the warm-up, so the timed part never reuses a warm-up token.
	const deliver = async (k: number): Promise<number> => {
		const t = performance.now();
		const result = await handler.deliver(
			bodies[k % bodies.length],
			`Bearer ${tokens[k % tokens.length]}`,
		);
		if (result.status !== 200 || result.items !== batch) {
			throw new Error(
				`Delivery ${k} answered ${result.status} with ${result.items} items: ${result.detail}`,
			);
		}
		return performance.now() - t;
	};
	for (let k = 0; k < spec.warmup; k++) await deliver(k);
	const samples = new Float64Array(spec.n);
	const { wallMs, cpuMs } = await timed(async () => {
		for (let n = 0; n < spec.n; n++) samples[n] = await deliver(spec.warmup + n);
	});
	return {
		ok: true,
		count: spec.n,
		events: spec.n * batch,
		wallMs,
		cpuMs,
		requestsSent: handler.httpRequests(),
		...latencySummary(samples),
		notes: [
			tokens.length === 1
				? `one token on every delivery; OpenID/JWKS requests: ${handler.httpRequests()}`
				: `${tokens.length} distinct tokens, each new to the verifier's cache; OpenID/JWKS requests: ${handler.httpRequests()}`,
		],
	};
}

export const MEASURES: Record<ScenarioSpec['kind'], (spec: ScenarioSpec) => Promise<Measured>> = {
	node: measureNode,
	floor: measureFloor,
	overhead: measureOverhead,
	failing: measureFailing,
	undici: measureUndici,
	sdk: measureSdk,
	trigger: measureTrigger,
	signing: measureSigning,
};
