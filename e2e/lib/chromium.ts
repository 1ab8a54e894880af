/** Headless Chromium for the e2e: Debian's `chromium` (installed when missing) driven by playwright-core. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type BrowserContext } from 'playwright-core';

import type { Log } from './n8n';

/** The Chromium binary; installs Debian's `chromium` when missing (root, apt-get). */
export function ensureChromium(log: Log): string {
	const path = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
	if (existsSync(path)) return path;
	if (process.env.CHROMIUM_PATH) throw new Error(`CHROMIUM_PATH=${path} does not exist.`);
	log('  chromium missing: apt-get install -y chromium');
	const run = (args: string[]): { ok: boolean; out: string } => {
		const r = spawnSync('apt-get', args, {
			encoding: 'utf8',
			env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
			timeout: 600_000,
		});
		return {
			ok: r.status === 0,
			out: `${r.error?.message ?? ''}${r.stdout ?? ''}${r.stderr ?? ''}`,
		};
	};
	let result = run(['install', '-y', '--no-install-recommends', 'chromium']);
	if (!result.ok) {
		run(['update']);
		result = run(['install', '-y', '--no-install-recommends', 'chromium']);
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
