/**
 * `npm run screenshot` (in e2e/): docs/editor.png, docs/incoming-call.png and docs/node-panel.png from a real
 * n8n editor with the example workflows, taken with headless Chromium (Debian's `chromium` package, installed
 * when missing) through playwright-core. Not part of CI.
 *
 * Env: CHROMIUM_PATH (default /usr/bin/chromium).
 */
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startEmulator } from '../../emulator';
import {
	E2E_DIR,
	LINES,
	N8nClient,
	ROOT,
	buildPackage,
	ensureInstall,
	freePort,
	newOwner,
	provisionForEmulator,
	removeDir,
	stagePackage,
	startN8n,
} from '../lib/n8n';
import { ensureChromium, launchChromium } from '../lib/chromium';

const log = (line: string): void => {
	process.stdout.write(`${line}\n`);
};

async function openCanvas(page: Page, url: string, { hideRunButton = false } = {}): Promise<void> {
	await page.goto(url);
	await page.locator('[data-test-id="canvas-node"]').first().waitFor({ timeout: 60_000 });
	await page.waitForLoadState('networkidle');
	// Workflows started by the trigger: the floating run button would only cover nodes.
	if (hideRunButton)
		await page.addStyleTag({
			content: '[data-test-id="execute-workflow-button"] { display: none !important; }',
		});
	// Fit the workflow into view, then let the canvas settle (no event marks the end of its animation).
	await page.locator('[data-test-id="zoom-to-fit"]').first().click();
	await page.mouse.move(640, 5);
	await page.waitForTimeout(1000);
}

async function main(): Promise<void> {
	const line = LINES['1.x'];
	const userFolder = join(E2E_DIR, '.n8n', 'screenshot');
	removeDir(userFolder);
	await ensureInstall(line, log);
	await buildPackage(log);
	await stagePackage(userFolder, log);
	const emu = await startEmulator({ port: 0 });
	const n8n = await startN8n({ line, userFolder, port: await freePort(), log });
	const profile = mkdtempSync(join(tmpdir(), 'acs-screenshot-'));
	try {
		const client = new N8nClient(n8n.url);
		await client.ownerLogin(newOwner());
		const workflows = await provisionForEmulator(client, emu, n8n.url);

		const context = await launchChromium(await ensureChromium(log), profile, {
			width: 1280,
			height: 720,
		});
		// The session cookie of the REST login: the editor opens logged in.
		const cookie = client.sessionCookie();
		await context.addCookies([{ name: cookie.name, value: cookie.value, url: n8n.url }]);
		const page = context.pages()[0] ?? (await context.newPage());
		const docs = join(ROOT, 'docs');
		mkdirSync(docs, { recursive: true });

		await openCanvas(page, `${n8n.url}workflow/${workflows['outage-call-events.json'].id}`, {
			hideRunButton: true,
		});
		await page.screenshot({ path: join(docs, 'editor.png') });
		log(`wrote ${join(docs, 'editor.png')}`);

		await openCanvas(page, `${n8n.url}workflow/${workflows['incoming-call-menu.json'].id}`, {
			hideRunButton: true,
		});
		await page.screenshot({ path: join(docs, 'incoming-call.png') });
		log(`wrote ${join(docs, 'incoming-call.png')}`);

		await openCanvas(page, `${n8n.url}workflow/${workflows['outage-call.json'].id}`);
		await page
			.locator('[data-test-id="canvas-node"][data-node-name="Call the customer"]')
			.dblclick();
		await page
			.locator('[data-test-id="ndv"], .ndv-wrapper, [data-test-id="node-parameters"]')
			.first()
			.waitFor({ timeout: 30_000 });
		await page.waitForTimeout(800);
		await page.screenshot({ path: join(docs, 'node-panel.png') });
		log(`wrote ${join(docs, 'node-panel.png')}`);
		await context.close();
	} finally {
		await n8n.stop();
		await emu.close();
		rmSync(profile, { recursive: true, force: true });
		removeDir(userFolder);
	}
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		process.stderr.write(`screenshot failed: ${(error as Error).stack ?? String(error)}\n`);
		process.exit(1);
	},
);
