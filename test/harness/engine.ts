/**
 * Runs nodes inside n8n's own execution engine (n8n-core's WorkflowExecute), not a stub of
 * IExecuteFunctions. Works with both n8n lines: jest's n8n-2.x project maps n8n-core/n8n-workflow
 * to their 2.x versions, and the few API differences are handled here.
 */
import * as core from 'n8n-core';
import * as workflowPkg from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	IRun,
	IWorkflowExecuteAdditionalData,
	IConnections,
} from 'n8n-workflow';

const { Workflow } = workflowPkg;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const anyCore = core as any;

/** True when the engine in use is n8n 2.x (jest project "n8n-2.x"). */
export const isN8nV2: boolean = anyCore.WorkflowExecute.prototype.run.length === 1;
export const engineLabel = isN8nV2 ? 'n8n 2.x' : 'n8n 1.x';

/** A start node that emits the items given in its `items` parameter (a JSON string). */
class TestItemsSource implements INodeType {
	description = {
		displayName: 'Test Items',
		name: 'testItems',
		group: ['trigger'],
		version: 1,
		description: 'Emits fixed items',
		defaults: { name: 'Start' },
		inputs: [],
		outputs: ['main'],
		properties: [{ displayName: 'Items', name: 'items', type: 'string', default: '[]' }],
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = JSON.parse(this.getNodeParameter('items', 0) as string) as IDataObject[];
		return [items.map((json) => ({ json }))];
	}
}

export interface CredentialEntry {
	type: ICredentialType;
	data: ICredentialDataDecryptedObject;
}

export function makeNodeTypes(types: Record<string, INodeType>): INodeTypes {
	const all: Record<string, INodeType> = { testItems: new TestItemsSource(), ...types };
	const lookup = (name: string) => {
		const short = name.replace(/^.*\./, '');
		const type = all[short];
		if (!type) throw new Error(`Unknown node type ${name}`);
		return type;
	};
	return {
		getByName: lookup,
		getByNameAndVersion: (name: string) => lookup(name),
		getKnownTypes: () => ({}),
	} as unknown as INodeTypes;
}

export function makeAdditionalData(
	credentials: Record<string, CredentialEntry>,
	workflowData: { id: string; nodes: INode[]; connections: IConnections },
): IWorkflowExecuteAdditionalData {
	const credentialsHelper = {
		getParentTypes: () => [],
		isCredentialUsableByNode: () => true,
		getDecrypted: async (_a: unknown, _n: unknown, type: string) => {
			const entry = credentials[type];
			if (!entry) throw new Error(`No test credential of type ${type}`);
			return { ...entry.data };
		},
		getCredentials: async () => {
			throw new Error('not used in tests');
		},
		authenticate: async (
			creds: ICredentialDataDecryptedObject,
			type: string,
			requestOptions: IHttpRequestOptions,
		) => {
			const authenticate = credentials[type]?.type.authenticate;
			if (typeof authenticate === 'function') return await authenticate(creds, requestOptions);
			return requestOptions;
		},
		preAuthentication: async () => undefined,
		runPreAuthentication: async () => undefined,
		updateCredentials: async () => undefined,
		updateCredentialsOauthTokenData: async () => undefined,
		getCredentialsProperties: () => [],
	};
	const hooks = new anyCore.ExecutionLifecycleHooks('manual', `exec-${Date.now()}`, {
		id: workflowData.id,
		name: 'test',
		nodes: workflowData.nodes,
		connections: workflowData.connections,
		active: false,
		settings: {},
	});
	return {
		credentialsHelper,
		hooks,
		executeWorkflow: async () => {
			throw new Error('not used in tests');
		},
		getRunExecutionData: async () => undefined,
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		currentNodeParameters: undefined,
		executionTimeoutTimestamp: undefined,
		userId: 'test-user',
		variables: {},
		logAiEvent: () => undefined,
		startRunnerTask: async () => {
			throw new Error('not used in tests');
		},
	} as unknown as IWorkflowExecuteAdditionalData;
}

export interface RunNodeOptions {
	/** Node type name (as registered in `nodeTypes`) of the node under test. */
	type: string;
	nodeType: INodeType;
	parameters: IDataObject;
	items?: IDataObject[];
	credentials?: Record<string, CredentialEntry>;
	/** Node settings such as `continueOnFail` / `onError`. */
	settings?: Partial<INode>;
	typeVersion?: number;
}

export interface RunNodeResult {
	/** One array per output of the node under test. */
	outputs: INodeExecutionData[][];
	error?: Error & { description?: string; httpCode?: string; context?: IDataObject };
	run: IRun;
}

/** Builds `Start -> <node under test>` and runs it with WorkflowExecute. */
export async function runNode(options: RunNodeOptions): Promise<RunNodeResult> {
	const nodeName = 'Node Under Test';
	const credentials = options.credentials ?? {};
	const nodes: INode[] = [
		{
			id: 'start',
			name: 'Start',
			type: 'testItems',
			typeVersion: 1,
			position: [0, 0],
			parameters: { items: JSON.stringify(options.items ?? [{}]) },
		},
		{
			id: 'under-test',
			name: nodeName,
			type: options.type,
			typeVersion: options.typeVersion ?? 1,
			position: [200, 0],
			parameters: options.parameters as INode['parameters'],
			credentials: Object.fromEntries(
				Object.keys(credentials).map((type) => [
					type,
					{ id: `cred-${type}`, name: `Test ${type}` },
				]),
			),
			...options.settings,
		},
	];
	const connections: IConnections = {
		Start: { main: [[{ node: nodeName, type: 'main' as never, index: 0 }]] },
	};
	const nodeTypes = makeNodeTypes({ [options.type]: options.nodeType });
	const workflow = new Workflow({
		id: 'wf-test',
		name: 'test',
		nodes,
		connections,
		active: false,
		nodeTypes,
		settings: {},
	});
	const additionalData = makeAdditionalData(credentials, { id: 'wf-test', nodes, connections });
	const execute = new anyCore.WorkflowExecute(additionalData, 'manual');
	const startNode = workflow.getNode('Start');
	const run: IRun = isN8nV2
		? await execute.run({ workflow, startNode })
		: await execute.run(workflow, startNode);
	const nodeRuns = run.data.resultData.runData[nodeName];
	const outputs = (nodeRuns?.[0]?.data?.main ?? []).map((o) => o ?? []) as INodeExecutionData[][];
	return { outputs, error: run.data.resultData.error as RunNodeResult['error'], run };
}
