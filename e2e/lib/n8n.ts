/**
 * A real n8n with this package loaded, for the end-to-end test, `npm start` and the screenshot script.
 *
 * - `ensureInstall(line)`: n8n pinned in e2e/ (1.x) or e2e/v2/ (2.x); `npm ci` only when node_modules is
 *   missing or older than the lock file, then `npm rebuild sqlite3` (install scripts stay off: isolated-vm
 *   cannot build here).
 * - `buildPackage()` + `stagePackage(userFolder)`: `npm run build`, `npm pack`, and the tarball unpacked into
 *   `<userFolder>/.n8n/nodes/node_modules/n8n-nodes-azure-call-automation`, where n8n finds community
 *   packages installed from Settings > Community Nodes: the published file list, loaded as a package.
 * - `startN8n()`: `n8n start` on 127.0.0.1, waits for /healthz.
 * - `N8nClient`: the REST calls the editor makes (owner setup, login, credentials, workflows, executions).
 * - `importExamples()`: examples/*.json with credentials, callback URLs and trigger options filled in.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
	createWriteStream,
	existsSync,
	mkdirSync,
	readFileSync,
	readdirSync,
	rmSync,
	statSync,
	writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

import type { Emulator } from '../../emulator';

const execFileAsync = promisify(execFile);

export const ROOT = resolve(__dirname, '..', '..');
export const E2E_DIR = resolve(ROOT, 'e2e');
export const EXAMPLES_DIR = resolve(ROOT, 'examples');
export const PACKAGE_NAME = 'n8n-nodes-azure-call-automation';
export const ACTION_TYPE = `${PACKAGE_NAME}.azureCallAutomation`;
export const TRIGGER_TYPE = `${PACKAGE_NAME}.azureCallAutomationTrigger`;
/** The action node as an AI Agent tool (n8n derives it from `usableAsTool`). */
export const ACTION_TOOL_TYPE = `${ACTION_TYPE}Tool`;
export const ACS_CREDENTIAL_TYPE = 'azureCommunicationServicesApi';
export const OPENAI_CREDENTIAL_TYPE = 'openAiApi';
export const OPENAI_CHAT_MODEL_TYPE = '@n8n/n8n-nodes-langchain.lmChatOpenAi';
export const EVENT_GRID_CREDENTIAL_TYPE = 'azureCallAutomationEventGridApi';
/** Host part of callback URLs in examples/*.json, replaced by the n8n's WEBHOOK_URL at import. */
export const EXAMPLE_BASE_URL = 'https://your-n8n.example.com/';

export type Log = (line: string) => void;

/** What every n8n the e2e starts shares: loopback only, nothing phoned home, every execution saved for the checks. */
export const N8N_TEST_ENV: Record<string, string> = {
	N8N_LISTEN_ADDRESS: '127.0.0.1',
	N8N_HOST: '127.0.0.1',
	N8N_PROTOCOL: 'http',
	// The vm engine needs isolated-vm, whose native build is skipped.
	N8N_EXPRESSION_ENGINE: 'legacy',
	N8N_DIAGNOSTICS_ENABLED: 'false',
	N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
	N8N_TEMPLATES_ENABLED: 'false',
	N8N_PERSONALIZATION_ENABLED: 'false',
	N8N_RUNNERS_ENABLED: 'false',
	N8N_SECURE_COOKIE: 'false',
	N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
	N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
	N8N_HIRING_BANNER_ENABLED: 'false',
	EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
	EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'true',
	N8N_LOG_LEVEL: 'info',
};

export interface N8nLine {
	/** '1.x' or '2.x' */
	name: string;
	/** Folder with the package.json pinning n8n. */
	dir: string;
	/** Node major the line needs; Node 24 comes from the registry's `node` package (npx -y node@24). */
	nodeMajor: number;
}

export const LINES: Record<'1.x' | '2.x', N8nLine> = {
	'1.x': { name: '1.x', dir: E2E_DIR, nodeMajor: 20 },
	'2.x': { name: '2.x', dir: join(E2E_DIR, 'v2'), nodeMajor: 24 },
};

// ---------------------------------------------------------------------------------------------- processes

/** Logs `still <what> (N s)` every 15 s until stopped, so a long step does not look stuck. */
export function heartbeat(log: Log, what: string, everyMs = 15_000): () => void {
	const started = Date.now();
	const timer = setInterval(
		() => log(`  still ${what} (${Math.round((Date.now() - started) / 1000)} s)`),
		everyMs,
	);
	timer.unref();
	return () => clearInterval(timer);
}

async function run(
	cmd: string,
	args: string[],
	cwd: string,
	log: Log,
	env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
	const started = Date.now();
	const stopHeartbeat = heartbeat(log, `running ${cmd} ${args.join(' ')}`);
	await new Promise<void>((resolvePromise, reject) => {
		const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		const keep = (chunk: Buffer): void => {
			output = (output + chunk.toString()).slice(-20_000);
		};
		child.stdout.on('data', keep);
		child.stderr.on('data', keep);
		child.on('error', reject);
		child.on('close', (code) => {
			if (code === 0) resolvePromise();
			else
				reject(new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited with ${code}:\n${output}`));
		});
	}).finally(stopHeartbeat);
	log(`  ${cmd} ${args.join(' ')}: ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

/** This process's environment without npm_* variables (under `npm run`, the root project's npm config). */
function envWithoutNpm(): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [key, value] of Object.entries(process.env))
		if (!key.toLowerCase().startsWith('npm_')) env[key] = value;
	return env;
}

function sha256File(path: string): string {
	return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Path of a Node binary of the line's major version (this one, or Node 24 from the npm registry). */
export async function nodeBinary(line: N8nLine): Promise<string> {
	if (Number(process.versions.node.split('.')[0]) === line.nodeMajor) return process.execPath;
	const { stdout } = await execFileAsync(
		'npx',
		['-y', `node@${line.nodeMajor}`, '-p', 'process.execPath'],
		{
			cwd: line.dir,
			env: envWithoutNpm(),
			maxBuffer: 1 << 20,
		},
	);
	const path = stdout.trim().split('\n').pop() ?? '';
	if (!existsSync(path))
		throw new Error(`npx -y node@${line.nodeMajor} gave no usable binary: "${stdout.trim()}"`);
	return path;
}

/**
 * Installs the line's pinned n8n unless node_modules matches package-lock.json already (a stamp holding
 * the lock's hash is written after a complete install).
 */
export async function ensureInstall(line: N8nLine, log: Log): Promise<void> {
	const lock = join(line.dir, 'package-lock.json');
	if (!existsSync(lock))
		throw new Error(`${lock} is missing: run npm install --ignore-scripts in ${line.dir} once.`);
	const stamp = join(line.dir, 'node_modules', '.e2e-install-stamp');
	const want = sha256File(lock);
	if (
		existsSync(stamp) &&
		readFileSync(stamp, 'utf8').trim() === want &&
		existsSync(join(line.dir, 'node_modules', 'n8n', 'bin', 'n8n'))
	) {
		log(`n8n ${line.name}: reusing ${join(line.dir, 'node_modules')}`);
		return;
	}
	log(
		`n8n ${line.name}: installing n8n into ${join(line.dir, 'node_modules')} (first run only, reused afterwards): ` +
			'npm ci, usually 2 to 3 minutes, then building sqlite3, about 1 minute',
	);
	// Under `npm run`, npm_config_* of the root project (ignore-scripts, local prefix…) would leak into these.
	const npmEnv = envWithoutNpm();
	// Install scripts off: isolated-vm (the optional vm expression engine) cannot build here; sqlite3 is
	// rebuilt on its own below (a Node-API addon, so the binary serves every Node line).
	await run('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], line.dir, log, npmEnv);
	await run(
		'npm',
		['rebuild', 'sqlite3', '--ignore-scripts=false', '--foreground-scripts'],
		line.dir,
		log,
		npmEnv,
	);
	if (
		!existsSync(join(line.dir, 'node_modules', 'sqlite3', 'build', 'Release', 'node_sqlite3.node'))
	) {
		throw new Error(`npm rebuild sqlite3 in ${line.dir} produced no node_sqlite3.node.`);
	}
	writeFileSync(stamp, `${want}\n`);
}

/** `npm run build` in the package root. */
export async function buildPackage(log: Log): Promise<void> {
	await run('npm', ['run', 'build'], ROOT, log);
}

/**
 * Packs the package as npm would publish it and unpacks it where n8n keeps community packages
 * (`<N8N_USER_FOLDER>/.n8n/nodes/node_modules/<name>`).
 */
export async function stagePackage(userFolder: string, log: Log): Promise<string> {
	const packDir = join(userFolder, 'pack');
	rmSync(packDir, { recursive: true, force: true });
	mkdirSync(packDir, { recursive: true });
	const { stdout } = await execFileAsync('npm', ['pack', '--json', '--pack-destination', packDir], {
		cwd: ROOT,
		maxBuffer: 16 << 20,
	});
	const info = JSON.parse(stdout.slice(stdout.indexOf('['))) as Array<{
		filename: string;
		files: unknown[];
	}>;
	const tarball = join(packDir, info[0].filename.replace(/^@[^/]+\//, '').replace('/', '-'));
	const target = join(userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME);
	rmSync(target, { recursive: true, force: true });
	mkdirSync(target, { recursive: true });
	await execFileAsync('tar', ['-xzf', tarball, '-C', target, '--strip-components=1']);
	log(`  packed ${info[0].files.length} files into ${target}`);
	return target;
}

/** A free TCP port on 127.0.0.1: the preferred one when it is free, otherwise any. */
export async function freePort(preferred = 0): Promise<number> {
	const tryPort = (port: number): Promise<number | undefined> =>
		new Promise((resolvePromise) => {
			const server = createServer();
			server.once('error', () => resolvePromise(undefined));
			server.listen(port, '127.0.0.1', () => {
				const address = server.address();
				const got = typeof address === 'object' && address ? address.port : undefined;
				server.close(() => resolvePromise(got));
			});
		});
	if (preferred) {
		const got = await tryPort(preferred);
		if (got) return got;
	}
	const any = await tryPort(0);
	if (!any) throw new Error('No free port on 127.0.0.1.');
	return any;
}

/** Thrown from a `waitFor` check: stop waiting at once (the awaited thing cannot happen any more). */
export class WaitAbort extends Error {}

/** Polls `check` until it returns a value other than undefined/false, or throws after `timeoutMs`. */
export async function waitFor<T>(
	what: string,
	check: () => Promise<T | undefined | false> | T | undefined | false,
	timeoutMs = 30_000,
	intervalMs = 200,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let lastError: unknown;
	for (;;) {
		try {
			const value = await check();
			if (value !== undefined && value !== false) return value;
		} catch (error) {
			if (error instanceof WaitAbort) throw error;
			lastError = error;
		}
		if (Date.now() > deadline) {
			const reason = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
			throw new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${what}${reason}`);
		}
		await new Promise((r) => setTimeout(r, intervalMs));
	}
}

export interface N8nProcess {
	line: N8nLine;
	url: string;
	port: number;
	userFolder: string;
	logFile: string;
	child: ChildProcess;
	/** The last lines n8n wrote (for failure reports). */
	tail(lines?: number): string;
	stop(): Promise<void>;
}

export interface StartN8nOptions {
	line: N8nLine;
	userFolder: string;
	port: number;
	log: Log;
	/** Echo n8n's own output to this process's stdout. */
	echo?: boolean;
	env?: Record<string, string>;
	/** Flags for Node itself (e.g. --cpu-prof for the bench). */
	nodeArgs?: string[];
	timeoutMs?: number;
}

export async function startN8n(options: StartN8nOptions): Promise<N8nProcess> {
	const { line, userFolder, port, log } = options;
	const node = await nodeBinary(line);
	const bin = join(line.dir, 'node_modules', 'n8n', 'bin', 'n8n');
	const url = `http://127.0.0.1:${port}/`;
	mkdirSync(userFolder, { recursive: true });
	const logFile = join(userFolder, 'n8n.log');
	const logStream = createWriteStream(logFile, { flags: 'a' });
	const env: NodeJS.ProcessEnv = {
		...process.env,
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(port),
		...N8N_TEST_ENV,
		WEBHOOK_URL: url,
		N8N_EDITOR_BASE_URL: url,
		DB_SQLITE_POOL_SIZE: '2',
		// n8n 2.x always starts a task broker (default port 5679): a port of its own, so two n8n can run here.
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		...options.env,
	};
	delete env.NODE_OPTIONS;
	log(
		`n8n ${line.name}: starting on ${url} (Node ${node === process.execPath ? process.version : line.nodeMajor}, user folder ${userFolder})`,
	);
	const started = Date.now();
	const child = spawn(node, [...(options.nodeArgs ?? []), bin, 'start'], {
		cwd: userFolder,
		env,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let recent: string[] = [];
	const onData = (chunk: Buffer): void => {
		logStream.write(chunk);
		if (options.echo) process.stdout.write(chunk);
		recent = recent.concat(chunk.toString().split('\n')).slice(-200);
	};
	child.stdout?.on('data', onData);
	child.stderr?.on('data', onData);
	let exited: number | null | undefined;
	let stopping = false;
	const exitPromise = new Promise<void>((r) =>
		child.once('exit', (code, signal) => {
			exited = code;
			if (!stopping) log(`n8n ${line.name}: exited on its own (code ${code}, signal ${signal})`);
			r();
		}),
	);
	const tail = (lines = 40): string => recent.slice(-lines).join('\n');
	const stop = async (): Promise<void> => {
		stopping = true;
		if (exited === undefined) {
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
			await exitPromise;
			clearTimeout(timer);
		}
		logStream.end();
	};
	const timeoutMs = options.timeoutMs ?? 300_000;
	const stopHeartbeat = heartbeat(
		log,
		`waiting for n8n ${line.name} to start (usually 30 to 60 s; the first start also creates its database)`,
	);
	try {
		await waitFor(
			`n8n ${line.name} /healthz`,
			async () => {
				if (exited !== undefined) throw new WaitAbort(`n8n exited with ${exited}`);
				const res = await fetch(`${url}healthz`).catch(() => undefined);
				return res?.ok ? true : undefined;
			},
			timeoutMs,
			500,
		);
		// /healthz answers before migrations and node loading are done; /rest/settings as JSON comes after.
		await waitFor(
			`n8n ${line.name} REST API`,
			async () => {
				if (exited !== undefined) throw new WaitAbort(`n8n exited with ${exited}`);
				const res = await fetch(`${url}rest/settings`).catch(() => undefined);
				if (!res?.ok) return undefined;
				// While migrations run n8n answers with a placeholder page instead of JSON.
				const body = (await res.json().catch(() => undefined)) as { data?: unknown } | undefined;
				return body?.data ? true : undefined;
			},
			Math.max(30_000, timeoutMs - (Date.now() - started)),
			500,
		);
	} catch (error) {
		await stop();
		throw new Error(`${(error as Error).message}\n--- n8n output (${logFile}) ---\n${tail()}`);
	} finally {
		stopHeartbeat();
	}
	log(`n8n ${line.name}: ready in ${((Date.now() - started) / 1000).toFixed(0)} s`);
	return { line, url, port, userFolder, logFile, child, tail, stop };
}

// ---------------------------------------------------------------------------------------------- REST

export class RestError extends Error {
	constructor(
		readonly status: number,
		readonly body: string,
		what: string,
	) {
		super(`${what}: HTTP ${status} ${body.slice(0, 500)}`);
	}
}

export interface Owner {
	email: string;
	password: string;
	firstName: string;
	lastName: string;
}

export function newOwner(): Owner {
	// n8n's rule: 8+ characters with a number and a capital letter.
	return {
		email: 'owner@example.com',
		password: `Demo-${randomBytes(6).toString('hex')}-A1`,
		firstName: 'Demo',
		lastName: 'Owner',
	};
}

type Json = Record<string, unknown>;

export interface WorkflowJson extends Json {
	id?: string;
	name: string;
	nodes: Array<
		Json & { name: string; type: string; parameters: Json; credentials?: Json; webhookId?: string }
	>;
	connections: Json;
	active?: boolean;
	versionId?: string;
}

export interface Execution {
	id: string;
	workflowId: string;
	status: string;
	mode: string;
	finished?: boolean;
	startedAt?: string;
	stoppedAt?: string;
}

export class N8nClient {
	private cookie = '';

	constructor(readonly baseUrl: string) {}

	async request<T = unknown>(
		method: string,
		path: string,
		body?: unknown,
		expect: number[] = [200],
	): Promise<T> {
		const res = await fetch(new URL(path.replace(/^\//, ''), this.baseUrl), {
			method,
			headers: {
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
				...(this.cookie ? { cookie: this.cookie } : {}),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		}).catch((error: Error & { cause?: { message?: string; code?: string } }) => {
			// fetch says only "fetch failed": the cause (refused, reset) tells whether n8n is gone.
			const cause = error.cause ? `: ${error.cause.code ?? ''} ${error.cause.message ?? ''}` : '';
			throw new Error(`${method} ${path} on ${this.baseUrl} failed${cause}`, { cause: error });
		});
		const setCookie = res.headers.getSetCookie?.() ?? [];
		const auth = setCookie.find((c) => c.startsWith('n8n-auth='));
		if (auth) this.cookie = auth.split(';')[0];
		const text = await res.text();
		if (!expect.includes(res.status)) throw new RestError(res.status, text, `${method} ${path}`);
		if (!text) return undefined as T;
		const parsed = JSON.parse(text) as { data?: T };
		return (parsed && typeof parsed === 'object' && 'data' in parsed ? parsed.data : parsed) as T;
	}

	/** The n8n-auth session cookie of the last login (for a browser). */
	sessionCookie(): { name: string; value: string } {
		const [name, ...rest] = this.cookie.split('=');
		if (!name || rest.length === 0) throw new Error('Not logged in.');
		return { name, value: rest.join('=') };
	}

	/** Creates the owner on a fresh instance, or logs in with the same details. */
	async ownerLogin(owner: Owner): Promise<'created' | 'existing'> {
		const settings = await this.request<Json>('GET', 'rest/settings');
		const um = (settings.userManagement ?? {}) as Json;
		if (um.showSetupOnFirstLoad === true) {
			await this.request('POST', 'rest/owner/setup', owner);
			await this.login(owner);
			return 'created';
		}
		await this.login(owner);
		return 'existing';
	}

	async login(owner: Owner): Promise<void> {
		await this.request('POST', 'rest/login', {
			emailOrLdapLoginId: owner.email,
			email: owner.email,
			password: owner.password,
		});
	}

	async credentials(): Promise<Array<{ id: string; name: string; type: string }>> {
		return await this.request('GET', 'rest/credentials');
	}

	/** Creates the credential, or updates the one with the same name and type. */
	async upsertCredential(
		name: string,
		type: string,
		data: Json,
	): Promise<{ id: string; name: string }> {
		const existing = (await this.credentials()).find((c) => c.name === name && c.type === type);
		if (existing) {
			await this.request('PATCH', `rest/credentials/${existing.id}`, { name, type, data });
			return { id: existing.id, name };
		}
		const created = await this.request<{ id: string; name: string }>('POST', 'rest/credentials', {
			name,
			type,
			data,
		});
		return { id: created.id, name: created.name };
	}

	async workflows(): Promise<WorkflowJson[]> {
		return await this.request('GET', 'rest/workflows');
	}

	async workflow(id: string): Promise<WorkflowJson> {
		return await this.request('GET', `rest/workflows/${id}`);
	}

	async createWorkflow(workflow: WorkflowJson): Promise<WorkflowJson> {
		const { id: _id, active: _active, versionId: _v, ...rest } = workflow;
		return await this.request('POST', 'rest/workflows', { ...rest, active: false });
	}

	async updateWorkflow(id: string, workflow: WorkflowJson): Promise<WorkflowJson> {
		const current = await this.workflow(id);
		const { id: _id, active: _active, versionId: _v, ...rest } = workflow;
		return await this.request('PATCH', `rest/workflows/${id}`, {
			...rest,
			versionId: current.versionId,
		});
	}

	async activate(id: string): Promise<WorkflowJson> {
		const current = await this.workflow(id);
		try {
			return await this.request('POST', `rest/workflows/${id}/activate`, {
				versionId: current.versionId,
			});
		} catch (error) {
			// Older lines activate through PATCH { active: true }.
			if (error instanceof RestError && error.status === 404) {
				return await this.request('PATCH', `rest/workflows/${id}`, {
					active: true,
					versionId: current.versionId,
				});
			}
			throw error;
		}
	}

	async deactivate(id: string): Promise<WorkflowJson> {
		try {
			return await this.request('POST', `rest/workflows/${id}/deactivate`, {});
		} catch (error) {
			if (error instanceof RestError && error.status === 404) {
				const current = await this.workflow(id);
				return await this.request('PATCH', `rest/workflows/${id}`, {
					active: false,
					versionId: current.versionId,
				});
			}
			throw error;
		}
	}

	/** What the editor's "Execute workflow" button does: a manual run from the given trigger. */
	async runManually(id: string, triggerName: string): Promise<string> {
		const workflowData = await this.workflow(id);
		const result = await this.request<{ executionId?: string; waitingForWebhook?: boolean }>(
			'POST',
			`rest/workflows/${id}/run`,
			{
				workflowData,
				triggerToStartFrom: { name: triggerName },
			},
		);
		if (!result?.executionId)
			throw new Error(
				`Manual run of workflow ${id} returned no execution id: ${JSON.stringify(result)}`,
			);
		return result.executionId;
	}

	/** Every execution (of a workflow), newest first: n8n answers at most 100 a page, so this pages by id. */
	async executions(workflowId?: string): Promise<Execution[]> {
		// With a status filter n8n pages by `lastId` (ids below it); without one it answers only the latest page.
		const status = [
			'new',
			'running',
			'waiting',
			'success',
			'error',
			'crashed',
			'canceled',
			'unknown',
		];
		const filter = encodeURIComponent(
			JSON.stringify(workflowId ? { workflowId, status } : { status }),
		);
		const all: Execution[] = [];
		for (let lastId: string | undefined; ; ) {
			const data = await this.request<{ results: Execution[] } | Execution[]>(
				'GET',
				`rest/executions?filter=${filter}&limit=100${lastId ? `&lastId=${lastId}` : ''}`,
			);
			const page = Array.isArray(data) ? data : data.results;
			all.push(...page);
			if (page.length < 100) return all;
			lastId = page[page.length - 1].id;
		}
	}

	async execution(id: string): Promise<Execution & { data?: unknown; workflowData?: unknown }> {
		return await this.request('GET', `rest/executions/${id}`);
	}
}

// ---------------------------------------------------------------------------------------------- examples

export interface ExampleFile {
	file: string;
	workflow: WorkflowJson;
}

export function readExamples(): ExampleFile[] {
	return readdirSync(EXAMPLES_DIR)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((file) => ({
			file,
			workflow: JSON.parse(readFileSync(join(EXAMPLES_DIR, file), 'utf8')) as WorkflowJson,
		}));
}

export interface ImportContext {
	/** n8n's WEBHOOK_URL (trailing slash). */
	webhookBaseUrl: string;
	acsCredential: { id: string; name: string };
	eventGridCredential?: { id: string; name: string };
	/** For the OpenAI Chat Model nodes of the AI examples (the model stand-in, or OpenAI itself). */
	openAiCredential?: { id: string; name: string };
	/** Trigger options the import sets on every Azure Call Automation Trigger. */
	triggerOptions: { resourceId: string; openIdConfigurationUrl: string };
	/** Per example file, the Called Numbers its trigger is set to answer. */
	calledNumbers?: Record<string, string>;
}

/** The emulator's number of the key menu example, and of the AI receptionist. */
export const MENU_NUMBER = '+18005550100';
export const RECEPTIONIST_NUMBER = '+18005550142';
/** Both examples answer incoming calls: each its own number, so both can be active at once. */
export const EMULATOR_CALLED_NUMBERS: Record<string, string> = {
	'incoming-call-menu.json': MENU_NUMBER,
	'ai-receptionist.json': RECEPTIONIST_NUMBER,
};

/** An example workflow made ready for this n8n: its callback URLs, credentials and trigger options. */
export function prepareExample(
	workflow: WorkflowJson,
	ctx: ImportContext,
	calledNumbers?: string,
): WorkflowJson {
	const text = JSON.stringify(workflow).split(EXAMPLE_BASE_URL).join(ctx.webhookBaseUrl);
	const copy = JSON.parse(text) as WorkflowJson;
	for (const node of copy.nodes) {
		if (node.type === ACTION_TYPE || node.type === ACTION_TOOL_TYPE) {
			node.credentials = {
				[ACS_CREDENTIAL_TYPE]: { id: ctx.acsCredential.id, name: ctx.acsCredential.name },
			};
		}
		if (node.type === OPENAI_CHAT_MODEL_TYPE && ctx.openAiCredential) {
			node.credentials = {
				[OPENAI_CREDENTIAL_TYPE]: { id: ctx.openAiCredential.id, name: ctx.openAiCredential.name },
			};
		}
		if (node.type === TRIGGER_TYPE) {
			const options = (node.parameters.options ?? {}) as Json;
			node.parameters.options = {
				...options,
				...ctx.triggerOptions,
				...(calledNumbers ? { calledNumbers } : {}),
			};
			if (node.parameters.registerEventGrid === true && ctx.eventGridCredential) {
				node.credentials = {
					[EVENT_GRID_CREDENTIAL_TYPE]: {
						id: ctx.eventGridCredential.id,
						name: ctx.eventGridCredential.name,
					},
				};
			}
		}
	}
	return copy;
}

/** Production URL of a trigger node: `<WEBHOOK_URL>webhook/<webhookId>/webhook`. */
export function productionUrl(
	webhookBaseUrl: string,
	workflow: WorkflowJson,
	nodeType = TRIGGER_TYPE,
): string {
	const node = workflow.nodes.find((n) => n.type === nodeType);
	if (!node?.webhookId)
		throw new Error(`Workflow "${workflow.name}" has no ${nodeType} with a webhookId.`);
	return `${webhookBaseUrl}webhook/${node.webhookId}/webhook`;
}

/** Creates (or updates, by name) each example workflow; returns them by file name. */
export async function importExamples(
	client: N8nClient,
	ctx: ImportContext,
	examples = readExamples(),
): Promise<Record<string, WorkflowJson>> {
	const existing = await client.workflows();
	const result: Record<string, WorkflowJson> = {};
	for (const { file, workflow } of examples) {
		const prepared = prepareExample(workflow, ctx, ctx.calledNumbers?.[file]);
		const same = existing.find((w) => w.name === prepared.name);
		if (same?.id) {
			if (same.active) await client.deactivate(same.id);
			result[file] = await client.updateWorkflow(same.id, prepared);
		} else {
			result[file] = await client.createWorkflow(prepared);
		}
	}
	return result;
}

/** What an emulator offers for n8n's credentials and triggers (the part of `Emulator` used here). */
export type EmulatorEndpoints = Pick<
	Emulator,
	'connectionString' | 'resourceId' | 'openIdConfigurationUrl' | 'arm'
>;

export interface ProvisionOptions {
	/** Base URL (…/v1) of an OpenAI-compatible API for the AI examples' OpenAI credential (the model stand-in). */
	modelBaseUrl?: string;
	/** Example files left inactive. */
	inactive?: string[];
}

export interface EmulatorCredentials {
	acsCredential: { id: string; name: string };
	eventGridCredential: { id: string; name: string };
	/** Only with a model Base URL. */
	openAiCredential?: { id: string; name: string };
}

/** The credentials the examples name, pointed at the emulator (and, given its Base URL, the model stand-in). */
export async function emulatorCredentials(
	client: N8nClient,
	emu: EmulatorEndpoints,
	modelBaseUrl?: string,
): Promise<EmulatorCredentials> {
	const acsCredential = await client.upsertCredential(
		'Azure Communication Services account',
		ACS_CREDENTIAL_TYPE,
		{
			connectionString: emu.connectionString,
			resourceId: emu.resourceId,
			openIdConfigurationUrl: emu.openIdConfigurationUrl,
		},
	);
	const eventGridCredential = await client.upsertCredential(
		'Azure Event Grid account',
		EVENT_GRID_CREDENTIAL_TYPE,
		{ ...emu.arm },
	);
	const openAiCredential = modelBaseUrl
		? await client.upsertCredential('OpenAI account', OPENAI_CREDENTIAL_TYPE, {
				apiKey: 'stand-in-accepts-any-key',
				url: modelBaseUrl,
			})
		: undefined;
	return { acsCredential, eventGridCredential, openAiCredential };
}

/** Examples imported with those credentials and the emulator's trigger settings. */
export async function importForEmulator(
	client: N8nClient,
	emu: EmulatorEndpoints,
	webhookBaseUrl: string,
	credentials: EmulatorCredentials,
	examples = readExamples(),
): Promise<Record<string, WorkflowJson>> {
	return await importExamples(
		client,
		{
			webhookBaseUrl,
			...credentials,
			triggerOptions: {
				resourceId: emu.resourceId,
				openIdConfigurationUrl: emu.openIdConfigurationUrl,
			},
			calledNumbers: EMULATOR_CALLED_NUMBERS,
		},
		examples,
	);
}

/**
 * The credentials pointed at the emulator (and the model stand-in), the examples imported, the workflows
 * started by a trigger or a Webhook node activated.
 */
export async function provisionForEmulator(
	client: N8nClient,
	emu: EmulatorEndpoints,
	webhookBaseUrl: string,
	options: ProvisionOptions = {},
): Promise<Record<string, WorkflowJson>> {
	const credentials = await emulatorCredentials(client, emu, options.modelBaseUrl);
	const { openAiCredential } = credentials;
	const workflows = await importForEmulator(client, emu, webhookBaseUrl, credentials);
	for (const [file, wf] of Object.entries(workflows)) {
		if (options.inactive?.includes(file)) continue;
		// The AI examples need the OpenAI credential.
		if (!openAiCredential && wf.nodes.some((n) => n.type === OPENAI_CHAT_MODEL_TYPE)) continue;
		const started = wf.nodes.some(
			(n) =>
				n.type === TRIGGER_TYPE || (n.type === 'n8n-nodes-base.webhook' && file.startsWith('ai-')),
		);
		if (wf.id && started) await client.activate(wf.id);
	}
	return workflows;
}

/**
 * Removes n8n's event log (`<userFolder>/.n8n/n8nEventLog*.log`). At start-up n8n's crash recovery marks
 * every execution its log shows started and never finished as crashed, and n8n logs no end for an
 * execution that goes to wait: with the log kept, a restart may crash waiting executions, depending on
 * what its log writer had flushed (docs/conversations.md). The restart e2e removes it to test what the
 * package does across a restart, not that race of n8n's.
 */
export function removeEventLogs(userFolder: string): void {
	const dir = join(userFolder, '.n8n');
	if (!existsSync(dir)) return;
	for (const name of readdirSync(dir)) {
		if (/^n8nEventLog.*\.log$/.test(name)) rmSync(join(dir, name), { force: true });
	}
}

/**
 * What an execution ran: node name → the JSON of each of its runs' output items, in run order (every
 * connection type: main, and an AI node's). n8n stores run data with `flatted`, read with the line's own copy.
 */
export async function runsOf(
	client: N8nClient,
	executionId: string,
	lineDir: string,
): Promise<Record<string, Json[]>> {
	const execution = await client.execution(executionId);
	const flatted = createRequire(join(lineDir, 'node_modules', 'n8n', 'package.json'))(
		'flatted',
	) as { parse(text: string): unknown };
	const data = (
		typeof execution.data === 'string' ? flatted.parse(execution.data) : execution.data
	) as {
		resultData?: {
			runData?: Record<
				string,
				Array<{ data?: Record<string, Array<Array<{ json: Json }> | null>> }>
			>;
		};
	};
	const result: Record<string, Json[]> = {};
	for (const [node, runs] of Object.entries(data?.resultData?.runData ?? {})) {
		result[node] = runs.flatMap((r) =>
			Object.values(r.data ?? {}).flatMap((outputs) =>
				outputs.flatMap((output) => (output ?? []).map((i) => i.json)),
			),
		);
	}
	return result;
}

/** Waits for the execution to succeed (an error or a crash fails at once), then gives what it ran. */
export async function finishedRuns(
	client: N8nClient,
	executionId: string,
	lineDir: string,
	what: string,
	timeoutMs = 60_000,
	intervalMs?: number,
): Promise<Record<string, Json[]>> {
	await waitFor(
		what,
		async () => {
			const status = (await client.execution(executionId)).status;
			if (status === 'error' || status === 'crashed')
				throw new WaitAbort(
					`execution ${executionId} ended with ${status}: ${JSON.stringify(await runsOf(client, executionId, lineDir)).slice(0, 1500)}`,
				);
			return status === 'success' ? true : undefined;
		},
		timeoutMs,
		intervalMs,
	);
	return await runsOf(client, executionId, lineDir);
}

export function removeDir(path: string): void {
	if (existsSync(path) && statSync(path).isDirectory())
		rmSync(path, { recursive: true, force: true });
}
