/**
 * Runs a webhook trigger node the way n8n's webhook server does, over real loopback HTTP: a node:http
 * server stands where n8n listens (/webhook/<id>/<path>), reads the raw body, parses application/json like
 * n8n's body parser, and calls the node's webhook() through n8n-core's WebhookContext; activation and
 * deactivation go through HookContext (webhookMethods.default.checkExists/create/delete). Works under
 * n8n 1.x and 2.x (the jest project maps n8n-core / n8n-workflow).
 */
import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as core from 'n8n-core';
import * as workflowPkg from 'n8n-workflow';
import type {
	IDataObject,
	INode,
	INodeType,
	IWebhookData,
	IWebhookDescription,
	IWebhookFunctions,
	IHookFunctions,
	IWebhookResponseData,
	IWorkflowExecuteAdditionalData,
	Workflow as WorkflowType,
} from 'n8n-workflow';
import { makeAdditionalData, makeNodeTypes, type CredentialEntry } from './engine';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const anyCore = core as any;
const { Workflow } = workflowPkg;

export interface TriggerRun {
	/** JSON of the items, one array per output of the node. */
	outputs: IDataObject[][];
	/** All items of all outputs, in output order. */
	items: IDataObject[];
}

export interface HttpResult {
	status: number;
	headers: http.IncomingHttpHeaders;
	text: string;
	json: unknown;
}

export interface TriggerHarnessOptions {
	type: string;
	nodeType: INodeType;
	parameters: IDataObject;
	credentials?: Record<string, CredentialEntry>;
	/** Hand OPTIONS requests to webhook() (n8n answers them itself with 204: default false, like n8n). */
	routeOptions?: boolean;
	/** Node version (default: the node's default version). */
	typeVersion?: number;
}

export interface TriggerHarness {
	/** Production webhook URL of the node (`http://127.0.0.1:<port>/webhook/<id>/webhook`). */
	readonly url: string;
	readonly workflow: WorkflowType;
	readonly node: INode;
	readonly runs: TriggerRun[];
	/** Every request answered, in order. */
	readonly requests: Array<{ method: string; status: number }>;
	staticData(): IDataObject;
	/** Resolves once the items of all runs so far satisfy the predicate (checked on every run). */
	waitForItems(predicate: (items: IDataObject[]) => boolean): Promise<IDataObject[]>;
	activate(): Promise<{ existed: boolean }>;
	deactivate(): Promise<boolean>;
	request(
		method: string,
		body?: string | Buffer,
		headers?: Record<string, string>,
		query?: string,
	): Promise<HttpResult>;
	close(): Promise<void>;
}

const WEBHOOK_METHODS = ['DELETE', 'GET', 'HEAD', 'PATCH', 'POST', 'PUT'];

function readRaw(req: IncomingMessage): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
	if (res.headersSent) {
		if (!res.writableEnded) res.end();
		return;
	}
	const text = JSON.stringify(body);
	res.writeHead(status, {
		'content-type': 'application/json; charset=utf-8',
		'content-length': String(Buffer.byteLength(text)),
	});
	res.end(text);
}

/** The subset of an express response that nodes use, on top of node's ServerResponse. */
function expressResponse(res: ServerResponse): ServerResponse {
	const r = res as ServerResponse & Record<string, unknown>;
	r.status = (code: number) => {
		res.statusCode = code;
		return r;
	};
	r.json = (body: unknown) => sendJson(res, res.statusCode || 200, body);
	r.send = (body: unknown) => {
		if (typeof body === 'string' || Buffer.isBuffer(body)) res.end(body);
		else sendJson(res, res.statusCode || 200, body);
		return r;
	};
	r.header = r.set = (name: string, value: string) => {
		res.setHeader(name, value);
		return r;
	};
	return res;
}

export function httpRequest(
	url: string,
	method: string,
	body?: string | Buffer,
	headers: Record<string, string> = {},
): Promise<HttpResult> {
	return new Promise((resolve, reject) => {
		const req = http.request(
			url,
			{
				method,
				headers: {
					...headers,
					...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}),
				},
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () => {
					const text = Buffer.concat(chunks).toString('utf8');
					let json: unknown;
					try {
						json = text ? JSON.parse(text) : undefined;
					} catch {
						json = undefined;
					}
					resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
				});
			},
		);
		req.on('error', reject);
		if (body !== undefined) req.write(body);
		req.end();
	});
}

export async function startTrigger(options: TriggerHarnessOptions): Promise<TriggerHarness> {
	const server = http.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as AddressInfo).port;
	const base = `http://127.0.0.1:${port}`;

	const credentials = options.credentials ?? {};
	const webhookId = randomUUID();
	const node: INode = {
		id: 'trigger',
		name: 'ACS Trigger',
		type: options.type,
		typeVersion:
			options.typeVersion ??
			(options.nodeType.description.defaultVersion as number | undefined) ??
			1,
		position: [0, 0],
		webhookId,
		parameters: options.parameters as INode['parameters'],
		credentials: Object.fromEntries(
			Object.keys(credentials).map((type) => [type, { id: `cred-${type}`, name: `Test ${type}` }]),
		),
	};
	const nodes = [node];
	const workflow = new Workflow({
		id: 'wf-trigger',
		name: 'trigger test',
		nodes,
		connections: {},
		active: true,
		nodeTypes: makeNodeTypes({ [options.type]: options.nodeType }),
		staticData: {},
		settings: {},
	});
	const additionalData = {
		...makeAdditionalData(credentials, { id: 'wf-trigger', nodes, connections: {} }),
		webhookBaseUrl: `${base}/webhook`,
		webhookTestBaseUrl: `${base}/webhook-test`,
		webhookWaitingBaseUrl: `${base}/webhook-waiting`,
		formWaitingBaseUrl: `${base}/form-waiting`,
		instanceBaseUrl: `${base}/`,
	} as IWorkflowExecuteAdditionalData;
	const description = options.nodeType.description.webhooks?.[0] as IWebhookDescription;
	const path = `${webhookId}/${String(description.path)}`;
	const webhookData: IWebhookData = {
		httpMethod: description.httpMethod as IWebhookData['httpMethod'],
		node: node.name,
		path,
		webhookDescription: description,
		workflowId: workflow.id,
		workflowExecuteAdditionalData: additionalData,
		webhookId,
		isTest: false,
	} as IWebhookData;

	const runs: TriggerRun[] = [];
	const requests: Array<{ method: string; status: number }> = [];
	const waiters = new Set<{
		predicate: (items: IDataObject[]) => boolean;
		resolve: (items: IDataObject[]) => void;
	}>();
	const allItems = (): IDataObject[] => runs.flatMap((r) => r.items);
	const notify = (): void => {
		for (const w of waiters) {
			const items = allItems();
			if (w.predicate(items)) {
				waiters.delete(w);
				w.resolve(items);
			}
		}
	};

	async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', base);
		const method = (req.method ?? 'GET').toUpperCase();
		if (url.pathname !== `/webhook/${path}`)
			return sendJson(res, 404, { code: 404, message: 'The requested webhook is not registered.' });
		// n8n's webhook request handler answers OPTIONS itself.
		if (method === 'OPTIONS' && !options.routeOptions) {
			res.writeHead(204);
			res.end();
			return;
		}
		if (method !== 'OPTIONS' && !WEBHOOK_METHODS.includes(method))
			return sendJson(res, 500, { message: `The method ${method} is not supported.` });
		if (method !== 'OPTIONS' && method !== description.httpMethod) {
			return sendJson(res, 404, {
				code: 404,
				message: `This webhook is not registered for ${method} requests.`,
			});
		}
		const rawBody = await readRaw(req);
		const contentType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
		let body: unknown = {};
		if (rawBody.length) {
			try {
				if (contentType === 'application/json') body = JSON.parse(rawBody.toString('utf8'));
				else if (contentType === 'text/plain') body = rawBody.toString('utf8');
			} catch (error) {
				// n8n: UnprocessableRequestError before the node runs.
				return sendJson(res, 422, {
					code: 422,
					message: 'Failed to parse request body',
					hint: (error as Error).message,
				});
			}
		}
		const query: Record<string, string | string[]> = {};
		for (const [k, v] of url.searchParams) {
			const prev = query[k];
			query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
		}
		const request = Object.assign(req, {
			body,
			rawBody,
			query,
			params: {},
			contentType,
			path: url.pathname,
		});
		const response = expressResponse(res);
		const data = {
			...additionalData,
			httpRequest: request,
			httpResponse: response,
		} as unknown as IWorkflowExecuteAdditionalData;
		const context = new anyCore.WebhookContext(
			workflow,
			node,
			data,
			'webhook',
			webhookData,
			[],
			null,
		) as IWebhookFunctions;
		let result: IWebhookResponseData;
		try {
			result = await options.nodeType.webhook!.call(context);
		} catch (error) {
			return sendJson(res, 500, { code: 0, message: (error as Error).message });
		}
		if (result.noWebhookResponse === true) {
			// The node answered itself; like n8n, a run still starts when it returned workflowData.
			if (!res.writableEnded) res.end();
			if (result.workflowData === undefined) return;
		} else if (result.workflowData === undefined) {
			return sendJson(
				res,
				200,
				result.webhookResponse !== undefined
					? result.webhookResponse
					: { message: 'Webhook call received' },
			);
		}
		const outputs = result.workflowData.map((output) => output.map((item) => item.json));
		runs.push({ outputs, items: outputs.flat() });
		if (!res.headersSent) sendJson(res, 200, { message: 'Workflow was started' });
		notify();
	}

	server.on('request', (req: IncomingMessage, res: ServerResponse) => {
		res.on('finish', () => requests.push({ method: req.method ?? '', status: res.statusCode }));
		handle(req, res).catch((error: unknown) => sendJson(res, 500, { message: String(error) }));
	});

	const hookContext = (activation: string): IHookFunctions =>
		new anyCore.HookContext(
			workflow,
			node,
			additionalData,
			'trigger',
			activation,
			webhookData,
		) as IHookFunctions;
	const methods = options.nodeType.webhookMethods?.default;
	const url = `${base}/webhook/${path}`;

	return {
		url,
		workflow,
		node,
		runs,
		requests,
		staticData: () => workflow.getStaticData('node', node),
		waitForItems(predicate) {
			const items = allItems();
			if (predicate(items)) return Promise.resolve(items);
			return new Promise((resolve) => waiters.add({ predicate, resolve }));
		},
		async activate() {
			if (!methods) throw new Error('The node has no webhookMethods');
			const existed = await methods.checkExists!.call(hookContext('activate'));
			if (!existed) await methods.create!.call(hookContext('activate'));
			return { existed };
		},
		async deactivate() {
			if (!methods) throw new Error('The node has no webhookMethods');
			return await methods.delete!.call(hookContext('activate'));
		},
		request(method, body, headers = {}, query = '') {
			return httpRequest(`${url}${query}`, method, body, headers);
		},
		async close() {
			await new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
		},
	};
}
