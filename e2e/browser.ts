/**
 * The editor in a real browser: a person's path through n8n (1.x and 2.x) with the package's nodes, in headless
 * Chromium (Debian's `chromium`, installed here when missing) driven by playwright-core.
 *
 *   npm run e2e:browser          # on its own: builds, starts n8n 1.x (E2E_BROWSER_LINE=2.x: 2.x) and the emulator, runs the path
 *   (e2e/e2e.ts calls runBrowser() for each line after its REST checks)
 *
 * The path: a new workflow; the Azure Call Automation Trigger from the nodes panel (Register Event Grid
 * Subscription switched on, both credential selectors seen and chosen); a Manual Trigger; Call > Create,
 * Media > Play Audio and Call > Hang Up from the nodes panel, every field a person needs typed or picked
 * in the node panel; saved; the Create step executed from its panel, its output read in the output panel
 * and the call found in the emulator. Whatever a person cannot set from the UI fails the run: the saved
 * workflow (read back over REST) must hold exactly what was typed.
 *
 * Env: CHROMIUM_PATH (default /usr/bin/chromium), E2E_BROWSER_SHOTS (folder: a screenshot on failure and
 * of the finished workflow), E2E_BROWSER_SCREENSHOT (path: write the finished workflow there, e.g.
 * docs/editor.png).
 *
 * Waits are on conditions with deadlines (locator waits, polling); nothing sleeps to synchronise.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { selectors, type Locator, type Page } from 'playwright-core';
import { startEmulator } from '../emulator';
import {
	ACS_CREDENTIAL_TYPE,
	ACTION_TYPE,
	E2E_DIR,
	EVENT_GRID_CREDENTIAL_TYPE,
	emulatorCredentials,
	LINES,
	N8nClient,
	TRIGGER_TYPE,
	buildPackage,
	ensureInstall,
	freePort,
	newOwner,
	removeDir,
	stagePackage,
	startN8n,
	waitFor,
	type Log,
	type N8nLine,
	type WorkflowJson,
} from './lib/n8n';
import { ensureChromium, launchChromium } from './lib/chromium';
import { createReport } from './lib/report';

export const WEBHOOK_SECRET_CREDENTIAL_TYPE = 'azureCallAutomationWebhookSecretApi';
const MANUAL_TRIGGER_TYPE = 'n8n-nodes-base.manualTrigger';

type Json = Record<string, unknown>;
type Step = <T>(name: string, fn: () => Promise<T>) => Promise<T>;

/** What the run needs of the emulator: its calls (live and ended) and Event Grid subscriptions. */
export interface EmulatorView {
	state(): { calls: Json[]; endedCalls: Json[] } | Promise<{ calls: Json[]; endedCalls: Json[] }>;
}

export interface BrowserRunOptions {
	/** n8n's base URL, with the trailing slash. */
	url: string;
	/** Logged in as the owner (its session cookie logs the browser in). */
	client: N8nClient;
	emulator: EmulatorView;
	log: Log;
	step: Step;
}

const TARGET = '+14255550111';
const CALLER_ID = '+14255550199';
/** Typed into the trigger's Options > Called Numbers, as a person might write two numbers. */
const CALLED_NUMBERS = '+1 800 555 0100, +18005550101';
const AUDIO_URL = 'https://example.com/audio/browser-e2e.wav';
const WORKFLOW_NAME = 'Browser: call, play, hang up';
const NODE = {
	trigger: 'Azure Call Automation Trigger',
	manual: 'When clicking ‘Execute workflow’',
	create: 'Call the customer',
	play: 'Play the message',
	hangUp: 'Hang up',
};

// ---------------------------------------------------------------------------------------------- editor helpers

/** The node panel (NDV) that is open. */
const ndv = (page: Page): Locator => page.getByTestId('ndv');

/** The parameter `name` in the open node panel: fails the run if a person could not see it. */
async function parameter(page: Page, name: string): Promise<Locator> {
	const input = ndv(page).getByTestId(`parameter-input-${name}`);
	await input.waitFor({ state: 'visible', timeout: 10_000 }).catch(() => {
		throw new Error(`The field "${name}" is not shown in the node panel`);
	});
	return input;
}

/** Types into a text parameter as a person does (click, select all, type), and checks what the field shows. */
async function typeInto(page: Page, name: string, value: string): Promise<void> {
	const field = (await parameter(page, name)).locator('input, textarea').first();
	await field.click();
	await field.press('ControlOrMeta+a');
	await field.pressSequentially(value);
	// Leave the field as a click elsewhere does (Tab would open the next dropdown).
	await field.blur();
	await waitFor(
		`"${name}" to show ${value}`,
		async () => ((await field.inputValue()) === value ? true : undefined),
		5_000,
	);
}

/** The label an options parameter shows. */
async function selectedLabel(page: Page, name: string): Promise<string> {
	return await (await parameter(page, name)).locator('input').first().inputValue();
}

/** Clicks the entry of the dropdown list now open whose label is `label`. */
async function pickFromOpenList(page: Page, label: string): Promise<void> {
	await page
		.locator('.el-select-dropdown__item:visible')
		.filter({ hasText: new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) })
		.first()
		.click();
}

/** Picks an entry of an options parameter from its dropdown. */
async function choose(page: Page, name: string, label: string): Promise<void> {
	if ((await selectedLabel(page, name)) === label) return;
	await (await parameter(page, name)).click();
	await pickFromOpenList(page, label);
	await waitFor(
		`"${name}" to show ${label}`,
		async () => ((await selectedLabel(page, name)) === label ? true : undefined),
		5_000,
	);
}

/** Adds an option of the panel's options collection as a person does: its "Add Option" list, then the entry. */
async function addOption(page: Page, label: string): Promise<void> {
	// The list shows the collection's placeholder (n8n 1.x and 2.x draw it differently around it).
	await ndv(page).getByPlaceholder('Add Option').last().click();
	await pickFromOpenList(page, label);
}

async function switchState(page: Page, name: string): Promise<boolean> {
	const sw = (await parameter(page, name)).locator('.el-switch').first();
	return /\bis-checked\b/.test((await sw.getAttribute('class')) ?? '');
}

/** Flips a boolean parameter's switch to `on`. */
async function setSwitch(page: Page, name: string, on: boolean): Promise<void> {
	if ((await switchState(page, name)) === on) return;
	await (await parameter(page, name)).locator('.el-switch').first().click();
	await waitFor(
		`"${name}" to be ${on ? 'on' : 'off'}`,
		async () => ((await switchState(page, name)) === on ? true : undefined),
		5_000,
	);
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Opens the nodes panel (from the canvas) and adds `item`, then its action `action` if given. */
async function addFromNodesPanel(
	page: Page,
	search: string,
	item: string,
	action?: string,
): Promise<void> {
	const creator = page.getByTestId('node-creator');
	if (!(await creator.isVisible())) {
		const first = page.getByTestId('canvas-plus-button');
		await (
			(await first.isVisible()) ? first : page.getByTestId('node-creator-plus-button')
		).click();
	}
	await creator.getByTestId('node-creator-search-bar').fill(search);
	await creator
		.getByTestId('node-creator-item-name')
		.getByText(item, { exact: true })
		.first()
		.click();
	if (action)
		await creator
			.getByTestId('node-creator-item-name')
			.getByText(action, { exact: true })
			.first()
			.click();
}

/** Renames the node whose panel is open (the title at the top of the panel). */
async function renameNode(page: Page, name: string): Promise<void> {
	const title = ndv(page).getByTestId('node-title-container');
	await title.getByTestId('inline-edit-preview').click();
	const input = title.getByTestId('inline-edit-input');
	await input.fill(name);
	await input.press('Enter');
	const preview = title.getByTestId('inline-edit-preview');
	await waitFor(
		`the node to be named ${name}`,
		async () => ((await preview.innerText()).trim() === name ? true : undefined),
		5_000,
	);
}

async function closeNdv(page: Page): Promise<void> {
	// 1.x: "Back to canvas"; 2.x: the panel's close button.
	await page.getByTestId('back-to-canvas').or(page.getByTestId('ndv-close-button')).first().click();
	await ndv(page).waitFor({ state: 'hidden', timeout: 10_000 });
}

async function openNode(page: Page, name: string): Promise<void> {
	await page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`).dblclick();
	await ndv(page).waitFor({ timeout: 10_000 });
}

/** The credential selectors of the open node panel: the value each shows, by the credential type its options offer. */
async function credentialSelectors(page: Page): Promise<Locator[]> {
	const list = ndv(page).getByTestId('node-credentials-select');
	await list.first().waitFor({ timeout: 10_000 });
	return await list.all();
}

/**
 * Chooses the credential named `name`: in the selector labelled `slotLabel` when given (the label a person
 * reads), else in whichever selector offers the type.
 */
async function chooseCredential(
	page: Page,
	name: string,
	typeLabel: string,
	slotLabel?: string,
): Promise<void> {
	const seen: string[] = [];
	let selects = await credentialSelectors(page);
	if (slotLabel) {
		// 2.x: a slot holds the label and the selector; 1.x: the label holds the selector.
		const slot = ndv(page)
			.locator('[data-test-id="node-credentials-slot"], [data-test-id="credentials-label"]')
			.filter({ has: page.getByText(slotLabel, { exact: true }) })
			.filter({ has: page.getByTestId('node-credentials-select') });
		await slot.first().waitFor({ timeout: 10_000 });
		selects = [slot.first().getByTestId('node-credentials-select')];
	}
	for (const select of selects) {
		const input = select.locator('input').first();
		if ((await input.inputValue()) === name) return;
		await input.click();
		const option = page
			.locator('[data-test-id^="node-credentials-select-item-"]:visible')
			.filter({ hasText: typeLabel });
		const offered = await option
			.first()
			.waitFor({ timeout: 3_000 })
			.then(() => true)
			.catch(() => false);
		if (offered) {
			await option.filter({ hasText: name }).first().click();
			await waitFor(
				`the ${typeLabel} selector to show ${name}`,
				async () => ((await input.inputValue()) === name ? true : undefined),
				5_000,
			);
			return;
		}
		seen.push(
			...(await page
				.locator('[role="option"]:visible, li:visible')
				.evaluateAll((els) =>
					els
						.slice(0, 20)
						.map(
							(e) =>
								`${e.getAttribute('data-test-id') ?? e.tagName}: ${(e.textContent ?? '').trim().slice(0, 80)}`,
						),
				)),
		);
		// Closed by clicking it again: in n8n 2.x Escape also closes the node panel.
		await input.click();
	}
	throw new Error(
		`No credential selector in the node panel offers "${name}" (${typeLabel}); options seen: ${JSON.stringify(seen)}`,
	);
}

/**
 * Saves as a person does: n8n 1.x's Save button; n8n 2.x saves by itself and has none, so Ctrl+S there.
 * Done when the stored workflow has a new version (or is stored at all, the first time).
 */
async function saveWorkflow(page: Page, client: N8nClient, id: string): Promise<void> {
	const before = (await client.workflow(id).catch(() => undefined))?.versionId ?? '';
	const save = page.getByTestId('workflow-save-button');
	if (await save.isVisible()) {
		if ((await save.innerText()).trim() !== 'Saved') await save.click();
		await waitFor(
			'the workflow to be saved',
			async () => ((await save.innerText()).trim() === 'Saved' ? true : undefined),
			15_000,
		);
		if (before !== '') return;
	} else {
		await page.keyboard.press('Control+s');
	}
	await waitFor(
		'the workflow to be stored',
		async () => {
			const stored = await client.workflow(id).catch(() => undefined);
			return stored && (stored.versionId ?? '') !== before ? true : undefined;
		},
		15_000,
	);
}

function workflowIdOf(page: Page): string | undefined {
	return /\/workflow\/([^/?#]+)/.exec(page.url())?.[1];
}

// ---------------------------------------------------------------------------------------------- the path

export async function runBrowser(options: BrowserRunOptions): Promise<void> {
	const { url, client, emulator, log, step } = options;
	const shots = process.env.E2E_BROWSER_SHOTS;
	const executablePath = await step(
		'chromium present (Debian package, installed when missing)',
		async () => ensureChromium(log),
	);

	const creds = await client.credentials();
	const byType = (type: string): { id: string; name: string } => {
		const found = creds.find((c) => c.type === type);
		assert.ok(found, `no ${type} credential: create it over REST first`);
		return found;
	};
	const acs = byType(ACS_CREDENTIAL_TYPE);
	const eventGrid = byType(EVENT_GRID_CREDENTIAL_TYPE);
	const secret = await client.upsertCredential(
		'Call events webhook secret',
		WEBHOOK_SECRET_CREDENTIAL_TYPE,
		{
			secret: 'browser-e2e-0123456789abcdef0123456789abcdef',
		},
	);

	selectors.setTestIdAttribute('data-test-id');
	const profile = mkdtempSync(join(tmpdir(), 'acs-browser-'));
	const context = await launchChromium(executablePath, profile);
	context.setDefaultTimeout(20_000);
	const page = context.pages()[0] ?? (await context.newPage());
	try {
		const cookie = client.sessionCookie();
		await context.addCookies([{ name: cookie.name, value: cookie.value, url }]);

		await step('browser: logged in, a new workflow open in the editor', async () => {
			await page.goto(`${url}workflow/new`);
			// The editor's first load takes 30 to 40 s on two cores (its assets and the node types).
			await page.getByTestId('canvas-plus-button').waitFor({ timeout: 120_000 });
		});

		await step(
			'browser: nodes panel search "Azure Call Automation" adds the trigger (On incoming call)',
			async () => {
				await addFromNodesPanel(
					page,
					'Azure Call Automation',
					'Azure Call Automation',
					'On incoming call',
				);
				await ndv(page).waitFor();
				assert.equal(await selectedLabel(page, 'triggerOn'), 'Incoming Call');
			},
		);

		await step(
			'browser: Register Event Grid Subscription is shown and switches on; its notice appears',
			async () => {
				assert.equal(await switchState(page, 'registerEventGrid'), false);
				await setSwitch(page, 'registerEventGrid', true);
				await ndv(page)
					.getByText('Event Grid deliveries carry no ACS token', { exact: false })
					.waitFor({ timeout: 5_000 });
			},
		);

		await step(
			"browser: the trigger's Options > Called Numbers is added from its list and typed",
			async () => {
				await addOption(page, 'Called Numbers');
				await typeInto(page, 'calledNumbers', CALLED_NUMBERS);
			},
		);

		await step(
			'browser: the trigger offers the Webhook Secret and Event Grid credentials; both chosen',
			async () => {
				const selects = await credentialSelectors(page);
				assert.equal(selects.length, 2, `expected 2 credential selectors, saw ${selects.length}`);
				// Each selector carries the label the node gives it (the same in n8n 1.x and 2.x).
				await chooseCredential(
					page,
					secret.name,
					'Azure Call Automation Webhook Secret API',
					'Webhook Secret',
				);
				await chooseCredential(
					page,
					eventGrid.name,
					'Azure Event Grid (Call Automation) API',
					'Event Grid Registration',
				);
				await closeNdv(page);
			},
		);

		await step(
			'browser: a Manual Trigger from the nodes panel; the workflow named and saved',
			async () => {
				await page.getByTestId('node-creator-plus-button').click();
				await addFromNodesPanel(page, 'Manual Trigger', 'Manual Trigger');
				await page
					.locator(`[data-test-id="canvas-node"][data-node-name="${NODE.manual}"]`)
					.waitFor();
				if (await ndv(page).isVisible()) await closeNdv(page);
				await page.getByTestId('workflow-name-input').getByTestId('inline-edit-preview').click();
				const name = page.getByTestId('workflow-name-input').getByTestId('inline-edit-input');
				await name.fill(WORKFLOW_NAME);
				await name.press('Enter');
				const id = await waitFor('the workflow to get an id', () => {
					const found = workflowIdOf(page);
					return found && found !== 'new' ? found : undefined;
				});
				// n8n 1.x stores a new workflow when it is named; 2.x gives it its id first and stores it later.
				await saveWorkflow(page, client, id);
			},
		);
		const workflowId = workflowIdOf(page) as string;
		const saved = await client.workflow(workflowId);
		const triggerNode = saved.nodes.find((n) => n.type === TRIGGER_TYPE);
		assert.ok(triggerNode?.webhookId, 'the saved trigger has no webhookId');
		const callbackUrl = `${url}webhook/${triggerNode.webhookId}/webhook`;

		await step(
			'browser: Call > Create from the nodes panel; Targets, Caller ID Number typed; Wait for Outcome on hides the Callback URL, off shows it; the URL typed',
			async () => {
				await page.locator(`[data-test-id="canvas-node"][data-node-name="${NODE.manual}"]`).click();
				await page.getByTestId('node-creator-plus-button').click();
				await addFromNodesPanel(
					page,
					'Azure Call Automation',
					'Azure Call Automation',
					'Create a call',
				);
				await ndv(page).waitFor();
				await renameNode(page, NODE.create);
				await choose(page, 'resource', 'Call');
				await choose(page, 'operation', 'Create');
				await chooseCredential(page, acs.name, 'Azure Communication Services API');
				await typeInto(page, 'targets', TARGET);
				await typeInto(page, 'sourceCallerIdNumber', CALLER_ID);
				// n8n drops the value of a parameter that gets hidden: Wait for Outcome is tried before the URL is typed.
				await setSwitch(page, 'waitForOutcome', true);
				await ndv(page)
					.getByTestId('parameter-input-callbackUrl')
					.waitFor({ state: 'hidden', timeout: 5_000 });
				await setSwitch(page, 'waitForOutcome', false);
				await typeInto(page, 'callbackUrl', callbackUrl);
				await closeNdv(page);
			},
		);

		await step(
			'browser: Media > Play Audio from the nodes panel; Call Connection ID defaults to {{ $json.callConnectionId }}; Audio URL typed',
			async () => {
				await page.getByTestId('node-creator-plus-button').click();
				await addFromNodesPanel(
					page,
					'Azure Call Automation',
					'Azure Call Automation',
					'Play audio on a call',
				);
				await ndv(page).waitFor();
				await renameNode(page, NODE.play);
				assert.equal(await selectedLabel(page, 'resource'), 'Media');
				assert.equal(await selectedLabel(page, 'operation'), 'Play Audio');
				const ccid = await parameter(page, 'callConnectionId');
				assert.match(await ccid.innerText(), /\{\{\s*\$json\.callConnectionId\s*\}\}/);
				await typeInto(page, 'audioUrl', AUDIO_URL);
				await closeNdv(page);
			},
		);

		await step(
			'browser: Call > Hang Up from the nodes panel; End Call for Everyone on by default, switched off and on',
			async () => {
				await page.getByTestId('node-creator-plus-button').click();
				await addFromNodesPanel(
					page,
					'Azure Call Automation',
					'Azure Call Automation',
					'Hang up a call',
				);
				await ndv(page).waitFor();
				await renameNode(page, NODE.hangUp);
				assert.equal(await selectedLabel(page, 'resource'), 'Call');
				assert.equal(await selectedLabel(page, 'operation'), 'Hang Up');
				// On by default; a person can switch it off (leave the call) and back on.
				assert.equal(await switchState(page, 'forEveryone'), true);
				await setSwitch(page, 'forEveryone', false);
				await setSwitch(page, 'forEveryone', true);
				await closeNdv(page);
			},
		);

		await step(
			'browser: saved; the workflow read back over REST holds what was typed and chosen',
			async () => {
				await saveWorkflow(page, client, workflowId);
				const wf = await client.workflow(workflowId);
				checkSavedWorkflow(wf, {
					callbackUrl,
					acs: acs.id,
					eventGrid: eventGrid.id,
					secret: secret.id,
				});
			},
		);

		await step(
			'browser: Create executed from its panel; the emulator got the call; the output panel shows its callConnectionId',
			async () => {
				const before = new Set(
					((await emulator.state()).calls as Json[]).map((c) => c.callConnectionId),
				);
				await openNode(page, NODE.create);
				await ndv(page).getByTestId('node-execute-button').first().click();
				const call = await waitFor('the call in the emulator', async () => {
					const s = await emulator.state();
					return [...s.calls, ...s.endedCalls].find(
						(c) => !before.has(c.callConnectionId) && c.callbackUri === callbackUrl,
					);
				});
				const targets = ((call.targets ?? []) as Json[]).map(
					(t) => ((t.phoneNumber ?? {}) as Json).value,
				);
				assert.deepEqual(targets, [TARGET]);
				assert.equal(((call.sourceCallerIdNumber ?? {}) as Json).value, CALLER_ID);
				const output = ndv(page).getByTestId('output-panel');
				await output.getByTestId('radio-button-json').click();
				await output
					.getByText(String(call.callConnectionId), { exact: false })
					.first()
					.waitFor({ timeout: 20_000 });
				assert.match(await output.innerText(), /callConnectionId/);
				await closeNdv(page);
			},
		);

		if (shots || process.env.E2E_BROWSER_SCREENSHOT) {
			await page.getByTestId('tidy-up-button').click();
			await page.getByTestId('zoom-to-fit').click();
			await page.mouse.move(720, 5);
			const target = process.env.E2E_BROWSER_SCREENSHOT || join(shots as string, 'workflow.png');
			mkdirSync(dirname(target), { recursive: true });
			await page.screenshot({ path: target });
			log(`  wrote ${target}`);
		}
	} catch (error) {
		const target = join(shots || tmpdir(), `browser-failure-${Date.now()}.png`);
		await page
			.screenshot({ path: target })
			.then(() => log(`  browser screenshot at the failure: ${target}`))
			.catch(() => undefined);
		throw error;
	} finally {
		await context.close().catch(() => undefined);
		rmSync(profile, { recursive: true, force: true });
	}
}

function checkSavedWorkflow(
	wf: WorkflowJson,
	ids: { callbackUrl: string; acs: string; eventGrid: string; secret: string },
): void {
	const node = (name: string) => {
		const found = wf.nodes.find((n) => n.name === name);
		assert.ok(
			found,
			`"${name}" not in the saved workflow (${wf.nodes.map((n) => n.name).join(', ')})`,
		);
		return found;
	};
	const credId = (n: Json, type: string): unknown =>
		(((n.credentials ?? {}) as Json)[type] as Json | undefined)?.id;
	const trigger = wf.nodes.find((n) => n.type === TRIGGER_TYPE);
	assert.ok(trigger, 'no trigger in the saved workflow');
	assert.equal(trigger.parameters.registerEventGrid, true);
	assert.equal(trigger.parameters.triggerOn, 'incomingCall');
	assert.equal((trigger.parameters.options as Json | undefined)?.calledNumbers, CALLED_NUMBERS);
	assert.equal(credId(trigger, EVENT_GRID_CREDENTIAL_TYPE), ids.eventGrid);
	assert.equal(credId(trigger, WEBHOOK_SECRET_CREDENTIAL_TYPE), ids.secret);
	assert.equal(node(NODE.manual).type, MANUAL_TRIGGER_TYPE);
	const create = node(NODE.create);
	assert.equal(create.type, ACTION_TYPE);
	assert.equal(create.parameters.resource ?? 'call', 'call');
	assert.equal(create.parameters.operation ?? 'create', 'create');
	assert.equal(create.parameters.targets, TARGET);
	assert.equal(create.parameters.sourceCallerIdNumber, CALLER_ID);
	assert.equal(create.parameters.callbackUrl, ids.callbackUrl);
	assert.notEqual(create.parameters.waitForOutcome, true);
	assert.equal(credId(create, ACS_CREDENTIAL_TYPE), ids.acs);
	const play = node(NODE.play);
	// n8n leaves out values equal to the default (resource Call, Media's operation Play Audio).
	assert.equal(play.parameters.resource, 'media');
	assert.equal(play.parameters.operation ?? 'playAudio', 'playAudio');
	assert.equal(play.parameters.audioUrl, AUDIO_URL);
	assert.equal(credId(play, ACS_CREDENTIAL_TYPE), ids.acs);
	const hangUp = node(NODE.hangUp);
	assert.equal(hangUp.parameters.resource ?? 'call', 'call');
	assert.equal(hangUp.parameters.operation, 'hangUp');
	assert.equal(hangUp.parameters.forEveryone ?? true, true);
	// Manual Trigger → Create → Play → Hang Up, each added after the one before.
	const next = (from: string): string | undefined =>
		(
			((
				(wf.connections[from] as Json | undefined)?.main as
					| Array<Array<{ node: string }>>
					| undefined
			)?.[0] ?? [])[0] ?? {}
		).node;
	assert.equal(next(NODE.manual), NODE.create);
	assert.equal(next(NODE.create), NODE.play);
	assert.equal(next(NODE.play), NODE.hangUp);
}

// ---------------------------------------------------------------------------------------------- on its own

/** `npm run e2e:browser`: n8n (1.x, or E2E_BROWSER_LINE) and the emulator started here, the credentials created over REST, then the path. */
async function main(): Promise<void> {
	const report = createReport('browser');
	const { log, step } = report;
	const name = process.env.E2E_BROWSER_LINE ?? '1.x';
	const line = (LINES as Record<string, N8nLine | undefined>)[name];
	if (!line) throw new Error(`Unknown line "${name}" (E2E_BROWSER_LINE): use 1.x or 2.x.`);
	const userFolder = join(E2E_DIR, '.n8n', 'browser');
	removeDir(userFolder);
	await ensureInstall(line, log);
	await buildPackage(log);
	await stagePackage(userFolder, log);
	const emu = await startEmulator({ port: 0, connectDelayMs: 50, playDurationMs: 200 });
	const n8n = await startN8n({ line, userFolder, port: await freePort(), log });
	try {
		const client = new N8nClient(n8n.url);
		await client.ownerLogin(newOwner());
		await emulatorCredentials(client, emu);
		await runBrowser({ url: n8n.url, client, emulator: emu, log, step });
		log(`PASS (${report.elapsed()})`);
	} finally {
		if (report.failures > 0) log(`  n8n output (${n8n.logFile}), last lines:\n${n8n.tail(40)}`);
		await n8n.stop();
		await emu.close();
		if (!process.env.E2E_KEEP && report.failures === 0) removeDir(userFolder);
	}
}

if (require.main === module) {
	main().then(
		() => process.exit(0),
		(error: unknown) => {
			process.stderr.write(`browser e2e failed: ${(error as Error).stack ?? String(error)}\n`);
			process.exit(1);
		},
	);
}
