/**
 * n8n in queue mode for the e2e and the bench: Redis and Postgres from Debian's packages (installed with
 * apt-get when missing), started on loopback ports with their data in a temporary folder, and n8n main,
 * webhook processors and workers sharing them.
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
	chmodSync,
	cpSync,
	createWriteStream,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	readdirSync,
	rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import {
	freePort,
	heartbeat,
	N8N_TEST_ENV,
	nodeBinary,
	waitFor,
	WaitAbort,
	type Execution,
	type Log,
	type N8nLine,
} from './n8n';

const execFileAsync = promisify(execFile);

const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

function which(cmd: string): string | undefined {
	const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
	const path = r.stdout.trim();
	return r.status === 0 && path ? path : undefined;
}

/** The newest /usr/lib/postgresql/<ver>/bin with initdb and postgres. */
function postgresBin(): string | undefined {
	const root = '/usr/lib/postgresql';
	if (!existsSync(root)) return undefined;
	const versions = readdirSync(root)
		.filter(
			(v) =>
				existsSync(join(root, v, 'bin', 'initdb')) && existsSync(join(root, v, 'bin', 'postgres')),
		)
		.sort((a, b) => Number(b) - Number(a));
	return versions.length ? join(root, versions[0], 'bin') : undefined;
}

/**
 * redis-server and Postgres' initdb/postgres, installed from Debian's packages when missing.
 * Throws with the reason when they cannot be installed (not root, no apt-get, apt failed).
 */
export async function ensureQueueServices(
	log: Log,
): Promise<{ redisServer: string; pgBin: string }> {
	let redisServer = which('redis-server');
	let pgBin = postgresBin();
	if (redisServer && pgBin) return { redisServer, pgBin };
	const missing = [redisServer ? '' : 'redis-server', pgBin ? '' : 'postgresql'].filter(Boolean);
	const why = `queue mode needs ${missing.join(' and ')} (Debian packages), which ${missing.length > 1 ? 'are' : 'is'} not installed`;
	if (!which('apt-get'))
		throw new Error(
			`${why}, and there is no apt-get here: install ${missing.join(' and ')} yourself.`,
		);
	if (!isRoot())
		throw new Error(
			`${why}; installing needs root: run \`sudo apt-get install -y ${missing.join(' ')}\` once.`,
		);
	log(`installing ${missing.join(' and ')} with apt-get (queue mode)`);
	const stop = heartbeat(log, `apt-get install ${missing.join(' ')}`);
	try {
		const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
		const opts = { env, maxBuffer: 64 << 20 };
		// A fresh CI image may have no package lists yet.
		await execFileAsync('apt-get', ['update'], opts).catch((error: { stderr?: string }) => {
			throw new Error(
				`apt-get update failed (${why}):\n${String(error.stderr ?? error).slice(-2000)}`,
			);
		});
		await execFileAsync(
			'apt-get',
			['install', '-y', '--no-install-recommends', ...missing],
			opts,
		).catch((error: { stderr?: string }) => {
			throw new Error(
				`apt-get install -y ${missing.join(' ')} failed (${why}):\n${String(error.stderr ?? error).slice(-2000)}`,
			);
		});
	} finally {
		stop();
	}
	redisServer = which('redis-server');
	pgBin = postgresBin();
	if (!redisServer || !pgBin)
		throw new Error(
			`apt-get installed ${missing.join(' and ')} but redis-server or /usr/lib/postgresql/*/bin/initdb is still missing.`,
		);
	return { redisServer, pgBin };
}

export interface Service {
	port: number;
	stop(): Promise<void>;
	tail(): string;
}

function keepTail(child: ChildProcess, logFile: string): () => string {
	const stream = createWriteStream(logFile, { flags: 'a' });
	let recent: string[] = [];
	const onData = (chunk: Buffer): void => {
		stream.write(chunk);
		recent = recent.concat(chunk.toString().split('\n')).slice(-60);
	};
	child.stdout?.on('data', onData);
	child.stderr?.on('data', onData);
	child.once('exit', () => stream.end());
	return () => recent.join('\n');
}

async function stopChild(child: ChildProcess, pid?: number): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise<void>((r) => child.once('exit', () => r()));
	const kill = (signal: NodeJS.Signals): void => {
		try {
			if (pid) process.kill(pid, signal);
			else child.kill(signal);
		} catch {
			// already gone
		}
	};
	kill('SIGTERM');
	const timer = setTimeout(() => kill('SIGKILL'), 15_000);
	await exited;
	clearTimeout(timer);
}

export async function startRedis(redisServer: string, dir: string, log: Log): Promise<Service> {
	const port = await freePort();
	mkdirSync(dir, { recursive: true });
	const child = spawn(
		redisServer,
		[
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--dir',
			dir,
			'--save',
			'',
			'--appendonly',
			'no',
			'--protected-mode',
			'yes',
		],
		{
			stdio: ['ignore', 'pipe', 'pipe'],
		},
	);
	const tail = keepTail(child, join(dir, 'redis.log'));
	await waitFor(
		`redis-server on 127.0.0.1:${port}`,
		() => {
			if (child.exitCode !== null)
				throw new WaitAbort(`redis-server exited with ${child.exitCode}:\n${tail()}`);
			return tail().includes('Ready to accept connections') ? true : undefined;
		},
		20_000,
		100,
	);
	log(`  redis ${port} (data in ${dir})`);
	return { port, tail, stop: () => stopChild(child) };
}

/**
 * Postgres from its binaries: initdb (trust auth, user n8n) into `dir`, then `postgres` on 127.0.0.1.
 * initdb refuses to run as root, so as root both run as the `postgres` user the Debian package creates.
 */
export async function startPostgres(
	pgBin: string,
	dir: string,
	log: Log,
): Promise<Service & { user: string; database: string }> {
	const port = await freePort();
	mkdirSync(dir, { recursive: true });
	const asPostgres = isRoot();
	if (asPostgres) {
		// The postgres user must reach the folder: make the parents traversable, give it the folder.
		for (let p = dir; p !== '/' && p.length > 1; p = join(p, '..')) {
			if (p === tmpdir()) break;
			chmodSync(p, 0o755);
		}
		await execFileAsync('chown', ['-R', 'postgres:', dir]);
	}
	const wrap = (bin: string, args: string[]): [string, string[]] =>
		asPostgres ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
	const data = join(dir, 'data');
	const [initCmd, initArgs] = wrap(join(pgBin, 'initdb'), [
		'-D',
		data,
		'-U',
		'n8n',
		'--auth=trust',
		'-E',
		'UTF8',
		'--no-sync',
	]);
	await execFileAsync(initCmd, initArgs, { maxBuffer: 16 << 20 }).catch(
		(error: { stderr?: string }) => {
			throw new Error(`initdb failed: ${String(error.stderr ?? error).slice(-2000)}`);
		},
	);
	const [cmd, args] = wrap(join(pgBin, 'postgres'), [
		'-D',
		data,
		'-p',
		String(port),
		'-h',
		'127.0.0.1',
		'-k',
		dir,
		'-c',
		'fsync=off',
		'-c',
		'max_connections=200',
	]);
	const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
	const tail = keepTail(child, join(dir, 'postgres.log'));
	await waitFor(
		`postgres on 127.0.0.1:${port}`,
		() => {
			if (child.exitCode !== null)
				throw new WaitAbort(`postgres exited with ${child.exitCode}:\n${tail()}`);
			return tail().includes('database system is ready to accept connections') ? true : undefined;
		},
		60_000,
		100,
	);
	log(`  postgres ${port} (data in ${data})`);
	// Under runuser the postmaster is a child of runuser: signal it by its own pid (postmaster.pid).
	const postmasterPid = (): number | undefined => {
		try {
			return Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]) || undefined;
		} catch {
			return undefined;
		}
	};
	return {
		port,
		tail,
		user: 'n8n',
		database: 'postgres',
		stop: () => stopChild(child, postmasterPid()),
	};
}

// ---------------------------------------------------------------------------------------------- n8n processes

export type Role = 'main' | 'webhook' | 'worker';

export interface QueueProcess {
	role: Role;
	name: string;
	port: number;
	url: string;
	logFile: string;
	child: ChildProcess;
	/** Everything the process wrote so far (kept in memory; the e2e processes are short-lived). */
	output(): string;
	tail(lines?: number): string;
	stop(): Promise<void>;
}

export interface QueueCluster {
	redis: Service;
	postgres: Service & { user: string; database: string };
	/** Env vars every n8n process of the cluster shares. */
	env: Record<string, string>;
	dir: string;
	/** Folder holding `.n8n/nodes/node_modules/<package>`, copied into each process's user folder. */
	stagedFolder: string;
	/** Every n8n process started and not yet stopped, whether or not it became ready. */
	processes: Set<QueueProcess>;
	/** Stops the n8n processes still running, then Postgres and Redis. */
	stop(): Promise<void>;
}

/** Redis + Postgres in a temporary folder; the package staged once (copied to each n8n user folder). */
export async function startCluster(
	log: Log,
	stage: (userFolder: string) => Promise<unknown>,
): Promise<QueueCluster> {
	const { redisServer, pgBin } = await ensureQueueServices(log);
	const dir = mkdtempSync(join(tmpdir(), 'n8n-queue-'));
	chmodSync(dir, 0o755);
	const redis = await startRedis(redisServer, join(dir, 'redis'), log);
	let postgres: QueueCluster['postgres'];
	try {
		postgres = await startPostgres(pgBin, join(dir, 'pg'), log);
	} catch (error) {
		await redis.stop();
		throw error;
	}
	const stagedFolder = join(dir, 'staged');
	await stage(stagedFolder);
	const env: Record<string, string> = {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(postgres.port),
		DB_POSTGRESDB_USER: postgres.user,
		DB_POSTGRESDB_PASSWORD: '',
		DB_POSTGRESDB_DATABASE: postgres.database,
		N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex'),
		// Workers serve /healthz/readiness (checks Postgres and Redis) on their own port.
		QUEUE_HEALTH_CHECK_ACTIVE: 'true',
		// Manual runs on workers too (n8n's announced default): otherwise a manual run, and its resumed
		// Wait for Outcome steps, execute inside main or the webhook processor that resumes them.
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		// n8n 2.x reads and writes files only inside allowed folders (~/.n8n-files by default): the
		// campaign's contact list is written here.
		N8N_RESTRICT_FILE_ACCESS_TO: dir,
	};
	const processes = new Set<QueueProcess>();
	return {
		redis,
		postgres,
		env,
		dir,
		stagedFolder,
		processes,
		stop: async () => {
			await Promise.all([...processes].map((p) => p.stop()));
			await postgres.stop();
			await redis.stop();
		},
	};
}

export interface StartProcessOptions {
	line: N8nLine;
	cluster: QueueCluster;
	role: Role;
	name: string;
	/** WEBHOOK_URL of the cluster: where callbacks and resume URLs point (the webhook processor). */
	webhookUrl: string;
	/** Reuse this port (a restarted main keeps its address). */
	port?: number;
	concurrency?: number;
	log: Log;
	env?: Record<string, string>;
	echo?: boolean;
}

/** One n8n process of the cluster (`n8n start`, `n8n webhook` or `n8n worker`), ready when this resolves. */
export async function startQueueProcess(options: StartProcessOptions): Promise<QueueProcess> {
	const { line, cluster, role, name, log } = options;
	const node = await nodeBinary(line);
	const bin = join(line.dir, 'node_modules', 'n8n', 'bin', 'n8n');
	const port = options.port ?? (await freePort());
	const url = `http://127.0.0.1:${port}/`;
	const userFolder = join(cluster.dir, 'n8n', name);
	if (!existsSync(join(userFolder, '.n8n', 'nodes'))) {
		mkdirSync(join(userFolder, '.n8n'), { recursive: true });
		cpSync(join(cluster.stagedFolder, '.n8n', 'nodes'), join(userFolder, '.n8n', 'nodes'), {
			recursive: true,
		});
	}
	const logFile = join(userFolder, `${name}.log`);
	const env: NodeJS.ProcessEnv = {
		...process.env,
		N8N_USER_FOLDER: userFolder,
		...N8N_TEST_ENV,
		WEBHOOK_URL: options.webhookUrl,
		...cluster.env,
		...options.env,
	};
	// n8n 2.x always starts a task broker (default port 5679): one port per process on this machine.
	env.N8N_RUNNERS_BROKER_PORT = String(await freePort());
	if (role === 'worker') {
		env.QUEUE_HEALTH_CHECK_PORT = String(port);
		env.N8N_WORKER_SERVER_ADDRESS = '127.0.0.1';
	} else {
		env.N8N_PORT = String(port);
	}
	if (role === 'main') env.N8N_EDITOR_BASE_URL = url;
	delete env.NODE_OPTIONS;
	const args =
		role === 'main'
			? ['start']
			: role === 'webhook'
				? ['webhook']
				: ['worker', `--concurrency=${options.concurrency ?? 10}`];
	const started = Date.now();
	const child = spawn(node, [bin, ...args], {
		cwd: userFolder,
		env,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const stream = createWriteStream(logFile, { flags: 'a' });
	let all = '';
	const onData = (chunk: Buffer): void => {
		stream.write(chunk);
		if (options.echo) process.stdout.write(chunk);
		all += chunk.toString();
	};
	child.stdout?.on('data', onData);
	child.stderr?.on('data', onData);
	child.once('exit', () => stream.end());
	const tail = (lines = 40): string => all.split('\n').slice(-lines).join('\n');
	const exitedWith = (): string | undefined =>
		child.exitCode !== null || child.signalCode !== null
			? `${child.exitCode ?? child.signalCode}`
			: undefined;
	const proc: QueueProcess = {
		role,
		name,
		port,
		url,
		logFile,
		child,
		output: () => all,
		tail,
		stop: async () => {
			await stopChild(child);
			cluster.processes.delete(proc);
		},
	};
	// Known to the cluster at once: a process whose sibling failed to start is still stopped with it.
	cluster.processes.add(proc);
	const stopHeartbeat = heartbeat(log, `waiting for n8n ${line.name} ${name} to start`);
	try {
		await waitFor(
			`n8n ${name} ready`,
			async () => {
				const code = exitedWith();
				if (code !== undefined) throw new WaitAbort(`n8n ${name} exited with ${code}`);
				if (role === 'worker') {
					// Ready once it reaches the database and Redis.
					const res = await fetch(`${url}healthz/readiness`).catch(() => undefined);
					return res?.ok && all.includes('n8n worker is now ready') ? true : undefined;
				}
				const res = await fetch(`${url}healthz`).catch(() => undefined);
				if (!res?.ok) return undefined;
				if (role === 'webhook')
					return /Webhook listener waiting for requests|n8n ready on/i.test(all) || undefined;
				const settings = await fetch(`${url}rest/settings`).catch(() => undefined);
				if (!settings?.ok) return undefined;
				const body = (await settings.json().catch(() => undefined)) as
					| { data?: unknown }
					| undefined;
				return body?.data ? true : undefined;
			},
			240_000,
			300,
		);
	} catch (error) {
		await proc.stop();
		throw new Error(`${(error as Error).message}\n--- ${name} output (${logFile}) ---\n${tail()}`);
	} finally {
		stopHeartbeat();
	}
	log(
		`  n8n ${line.name} ${name} (${role}) ready on ${role === 'worker' ? `health port ${port}` : url} in ${((Date.now() - started) / 1000).toFixed(0)} s`,
	);
	return proc;
}

export function removeClusterDir(cluster: QueueCluster): void {
	rmSync(cluster.dir, { recursive: true, force: true });
}

/** Which worker ran an execution, from the workers' own log lines ("Worker started execution <id> "). */
export function workerOf(workers: QueueProcess[], executionId: string): string | undefined {
	return workers.find((w) => w.output().includes(`Worker started execution ${executionId} `))?.name;
}

export interface ExecutionSpan {
	worker?: string;
	start: number;
	stop: number;
}

/** When each finished execution ran, and on which worker. */
export function executionSpans(executions: Execution[], workers: QueueProcess[]): ExecutionSpan[] {
	return executions
		.filter((e) => e.startedAt && e.stoppedAt)
		.map((e) => ({
			worker: workerOf(workers, e.id),
			start: Date.parse(e.startedAt as string),
			stop: Date.parse(e.stoppedAt as string),
		}));
}

/** The most executions running at the same moment, overall and on each worker. */
export function mostAtOnce(spans: ExecutionSpan[]): {
	all: number;
	perWorker: Record<string, number>;
} {
	const most = (list: ExecutionSpan[]): number =>
		Math.max(
			0,
			...list.map((a) => list.filter((b) => b.start <= a.start && a.start < b.stop).length),
		);
	const workers = [...new Set(spans.map((s) => s.worker ?? '?'))].sort();
	return {
		all: most(spans),
		perWorker: Object.fromEntries(
			workers.map((w) => [w, most(spans.filter((s) => (s.worker ?? '?') === w))]),
		),
	};
}
