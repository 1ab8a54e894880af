/**
 * The AI phone agent examples in a real n8n: what `npm start`, `e2e/agent.ts` and the bench share.
 *
 * - `AGENT_N8N_ENV`: community nodes as AI Agent tools are off unless n8n is told otherwise.
 * - `provisionAgentExamples()`: ACS, Event Grid and OpenAI credentials (the OpenAI one pointed at the model
 *   stand-in's /v1), the examples/ai-*.json workflows imported and activated.
 * - `runsOf()`: an execution's node outputs, read back from n8n's stored (flatted) run data.
 * - `DEMO_CALLERS`: the scripted callers `npm start` registers so the examples talk hands-free.
 */

import type { CallerScript } from '../../emulator';
import {
	emulatorCredentials,
	importForEmulator,
	readExamples,
	type EmulatorEndpoints,
	type N8nClient,
	type WorkflowJson,
} from './n8n';

export const AGENT_N8N_ENV: Record<string, string> = {
	N8N_COMMUNITY_PACKAGES_ALLOW_TOOL_USAGE: 'true',
};

export const RECEPTIONIST_FILE = 'ai-receptionist.json';
export const REMINDER_FILE = 'ai-reminder-call.json';
/** The number the receptionist answers on the emulator (its trigger's Called Numbers), and the demo caller. */
export { RECEPTIONIST_NUMBER } from './n8n';
export const DEMO_CALLER = '+14255550123';
/** The reminder example's sample contact (examples/ai-reminder-call.json, "Sample contact"). */
export const SAMPLE_CONTACT = {
	name: 'Dana',
	number: '+14255550103',
	appointment: 'Tuesday at 10 am',
};
/** Where the receptionist's transfer tool may send a caller (examples/ai-receptionist.json). */
export const TRANSFER_NUMBERS = { reception: '+14255550111', billing: '+14255550112' };

/** A conversation that shows memory, the lookup tool and the hang-up tool. */
export const DEMO_RECEPTIONIST_CALLER: CallerScript = {
	turns: [
		{ say: 'Hi, my name is Dana.' },
		{ say: 'What are your opening hours?' },
		{ say: 'What is my name?' },
		{ say: "That's all, goodbye." },
	],
	whenDone: 'hangUp',
};
export const DEMO_REMINDER_CALLER: CallerScript = {
	turns: [{ say: 'Could we move it to Thursday instead?' }, { say: "No, that's all. Bye." }],
	whenDone: 'hangUp',
};
export const DEMO_CALLERS = [
	{ number: DEMO_CALLER, ...DEMO_RECEPTIONIST_CALLER },
	{ number: SAMPLE_CONTACT.number, ...DEMO_REMINDER_CALLER },
];

export function agentExamples(): ReturnType<typeof readExamples> {
	return readExamples().filter((e) => e.file.startsWith('ai-'));
}

export interface AgentProvision {
	workflows: Record<string, WorkflowJson>;
	openAiCredential: { id: string; name: string };
}

/** Credentials (the OpenAI one with Base URL = `modelBaseUrl`), the AI examples imported and active. */
export async function provisionAgentExamples(
	client: N8nClient,
	emu: EmulatorEndpoints,
	webhookBaseUrl: string,
	modelBaseUrl: string,
	options: { activate?: boolean } = {},
): Promise<AgentProvision> {
	const credentials = await emulatorCredentials(client, emu, modelBaseUrl);
	const openAiCredential = credentials.openAiCredential as { id: string; name: string };
	const workflows = await importForEmulator(
		client,
		emu,
		webhookBaseUrl,
		credentials,
		agentExamples(),
	);
	if (options.activate !== false) {
		for (const wf of Object.values(workflows)) if (wf.id) await client.activate(wf.id);
	}
	return { workflows, openAiCredential };
}

/** Production URL of the reminder example's webhook. */
export function reminderWebhookUrl(webhookBaseUrl: string, workflow: WorkflowJson): string {
	const node = workflow.nodes.find((n) => n.type === 'n8n-nodes-base.webhook');
	if (!node) throw new Error(`"${workflow.name}" has no Webhook node.`);
	return `${webhookBaseUrl}webhook/${String(node.parameters.path)}`;
}

export { runsOf } from './n8n';
