/** Headless Chromium for the e2e: Debian's `chromium` (installed when missing) driven by playwright-core. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type BrowserContext } from 'playwright-core';

import type { Log } from './n8n';

/**
 * The Chromium binary; installs Debian's `chromium` when missing (root, apt-get). The install runs
 * without blocking this process: a blocked event loop misses n8n closing its idle keep-alive sockets,
 * and the next REST request then goes out on a closed one ("fetch failed").
 */
export async function ensureChromium(log: Log): Promise<string> {
	const path = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
	if (existsSync(path)) return path;
	if (process.env.CHROMIUM_PATH) throw new Error(`CHROMIUM_PATH=${path} does not exist.`);
	log('  chromium missing: apt-get install -y chromium');
	const run = (args: string[]): Promise<{ ok: boolean; out: string }> =>
		new Promise((resolve) => {
			const child = spawn('apt-get', args, {
				env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
				stdio: ['ignore', 'pipe', 'pipe'],
			});
			let out = '';
			const keep = (chunk: Buffer): void => {
				out = (out + chunk.toString()).slice(-20_000);
			};
			child.stdout.on('data', keep);
			child.stderr.on('data', keep);
			const timer = setTimeout(() => child.kill('SIGKILL'), 600_000);
			child.on('error', (error) => {
				clearTimeout(timer);
				resolve({ ok: false, out: `${error.message}\n${out}` });
			});
			child.on('close', (code) => {
				clearTimeout(timer);
				resolve({ ok: code === 0, out });
			});
		});
	let result = await run(['install', '-y', '--no-install-recommends', 'chromium']);
	if (!result.ok) {
		await run(['update']);
		result = await run(['install', '-y', '--no-install-recommends', 'chromium']);
	}
	if (!result.ok || !existsSync(path)) {
		throw new Error(
			`Chromium is needed for the browser e2e and could not be installed ("apt-get install -y chromium" as root; ` +
				`or set CHROMIUM_PATH to a Chromium binary).\n${result.out.split('\n').slice(-15).join('\n')}`,
		);
	}
	return path;
}

export async function launchChromium(
	executablePath: string,
	profile: string,
	viewport: { width: number; height: number } = { width: 1440, height: 900 },
): Promise<BrowserContext> {
	return await chromium.launchPersistentContext(profile, {
		executablePath,
		headless: true,
		args: [
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
		],
		viewport,
		deviceScaleFactor: 1,
	});
}
