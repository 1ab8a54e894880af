/**
 * Calls a trigger's webhook() the way n8n's webhook server does for each request: a fresh n8n-core
 * WebhookContext over the request (body parsed from the raw bytes, headers, rawBody) and a response object.
 */
import { subscribe } from 'node:diagnostics_channel';

import * as core from 'n8n-core';
import {
	Workflow,
	type IDataObject,
	type INode,
	type INodeType,
	type IWebhookFunctions,
} from 'n8n-workflow';

import { makeAdditionalData, makeNodeTypes } from '../test/harness/engine';

export interface Delivery {
	status: number;
	items: number;
	detail: string;
}

export interface WebhookRunner {
	deliver(rawBody: Buffer, authorization: string): Promise<Delivery>;
	/** Outgoing HTTP requests made by the trigger so far (JWKS / OpenID fetches). */
	httpRequests(): number;
}

/** A minimal express-style response: what trigger code calls to answer by itself. */
class BenchResponse {
	statusCode = 200;
	body: unknown;
	headers: Record<string, string> = {};
	headersSent = false;
	writeHead(status: number, headers: Record<string, string> = {}) {
		this.statusCode = status;
		Object.assign(this.headers, headers);
		this.headersSent = true;
		return this;
	}
	status(code: number) {
		this.statusCode = code;
		return this;
	}
	setHeader(name: string, value: string) {
		this.headers[name.toLowerCase()] = value;
		return this;
	}
	header(name: string, value: string) {
		return this.setHeader(name, value);
	}
	set(name: string, value: string) {
		return this.setHeader(name, value);
	}
	json(body: unknown) {
		this.body = body;
		return this;
	}
	send(body?: unknown) {
		this.body = body;
		return this;
	}
	end(body?: unknown) {
		this.body = body;
		return this;
	}
}

export async function runWebhook(
	nodeType: INodeType,
	parameters: IDataObject,
): Promise<WebhookRunner> {
	let requests = 0;
	subscribe('http.client.request.start', () => requests++);
	const type = nodeType.description.name;
	const node: INode = {
		id: 'trigger',
		name: 'Trigger',
		type,
		typeVersion: 1,
		position: [0, 0],
		webhookId: 'bench-webhook',
		parameters: parameters as INode['parameters'],
	};
	const nodes = [node];
	const workflow = new Workflow({
		id: 'wf-bench',
		name: 'bench',
		nodes,
		connections: {},
		active: true,
		nodeTypes: makeNodeTypes({ [type]: nodeType }),
		settings: {},
	});
	const base = makeAdditionalData({}, { id: 'wf-bench', nodes, connections: {} });
	const description = nodeType.description.webhooks?.[0];
	if (!description || !nodeType.webhook) throw new Error(`${type} has no webhook.`);
	const webhookData = {
		httpMethod: 'POST',
		node: node.name,
		path: `${node.webhookId}/${String(description.path)}`,
		webhookDescription: description,
		workflowId: workflow.id,
		workflowExecuteAdditionalData: base,
	};
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	const WebhookContext = (core as any).WebhookContext;
	const webhook = nodeType.webhook;
	return {
		httpRequests: () => requests,
		async deliver(rawBody, authorization) {
			const httpRequest = {
				method: 'POST',
				url: `/webhook/${webhookData.path}`,
				headers: {
					'content-type': 'application/json',
					'content-length': String(rawBody.length),
					authorization,
					'user-agent': 'Azure-Communication-Services',
				},
				query: {},
				params: {},
				// n8n parses the JSON body before the node sees it; that cost is part of each delivery.
				body: JSON.parse(rawBody.toString('utf8')) as unknown,
				rawBody,
			};
			const httpResponse = new BenchResponse();
			const additionalData = { ...base, httpRequest, httpResponse };
			const ctx = new WebhookContext(
				workflow,
				node,
				additionalData,
				'webhook',
				webhookData,
				[],
				null,
			) as IWebhookFunctions;
			const result = await webhook.call(ctx);
			const data = result.workflowData;
			const items = data ? data.reduce((sum, output) => sum + output.length, 0) : 0;
			const status = result.noWebhookResponse
				? httpResponse.statusCode
				: data
					? 200
					: httpResponse.statusCode;
			return {
				status,
				items,
				detail: JSON.stringify(httpResponse.body ?? result.webhookResponse ?? null).slice(0, 300),
			};
		},
	};
}
