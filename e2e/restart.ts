/**
 * n8n restarts while conversations wait (one-workflow appointment reminders): five wait for a key, five
 * wait while their confirmation plays. n8n is stopped and started again on the same database; then each
 * conversation's next event arrives (a key, or the callee hanging up during the play). Every execution
 * goes on from where it waited and succeeds, and no step sends its request twice (counted at the emulator,
 * which runs in this process). The restart callbacks remove n8n's event log first (removeEventLogs in
 * e2e/lib/n8n.ts): n8n's own start-up recovery may otherwise mark waiting executions crashed, a race of
 * n8n's that docs/conversations.md describes.
 */
import assert from 'node:assert/strict';
import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';

import type { Emulator } from '../emulator';
import { waitFor, WaitAbort, type N8nClient, type WorkflowJson } from './lib/n8n';
import type { Report } from './lib/report';

type Json = Record<string, unknown>;

export interface RestartRunOptions {
	client: N8nClient;
	emu: Emulator;
	reminder: WorkflowJson;
	/** What restarts: its name in the check. */
	restarting: string;
	/** Stops the n8n processes and starts them again on the same database (logged in again). */
	restart: () => Promise<void>;
	step: Report['step'];
	log: Report['log'];
}

const TRIGGER = 'When clicking ‘Execute workflow’';
const CONVERSATIONS = 10;

/** Media requests per call, counted as they reach the emulator. */
function countMediaRequests(): Map<string, { recognize: number; play: number }> {
	const counts = new Map<string, { recognize: number; play: number }>();
	subscribe('http.server.request.start', (message) => {
		const url = (message as { request: IncomingMessage }).request.url ?? '';
		const m = /\/calling\/callConnections\/([^/:?%]+)(?::|%3A)(recognize|play)\b/i.exec(url);
		if (!m) return;
		const id = decodeURIComponent(m[1]);
		const entry = counts.get(id) ?? { recognize: 0, play: 0 };
		entry[m[2].toLowerCase() as 'recognize' | 'play']++;
		counts.set(id, entry);
	});
	return counts;
}

function liveCall(emu: Emulator, callConnectionId: string): Json | undefined {
	return emu.state().calls.find((c) => c.callConnectionId === callConnectionId);
}

export async function runRestart(options: RestartRunOptions): Promise<void> {
	const { client, emu, reminder, step } = options;
	const requests = countMediaRequests();
	const conversations: Array<{
		executionId: string;
		callConnectionId: string;
		at: 'listening' | 'playing';
	}> = [];

	await step(
		`${CONVERSATIONS} conversations waiting: ${CONVERSATIONS / 2} for a key, ${CONVERSATIONS / 2} while their confirmation plays`,
		async () => {
			const playDuration = emu.context.options.playDurationMs;
			try {
				for (let i = 0; i < CONVERSATIONS; i++) {
					const executionId = await options.client.runManually(reminder.id as string, TRIGGER);
					const call = await waitFor(`the call of execution ${executionId}`, () =>
						emu
							.state()
							.calls.find((c) =>
								String(c.callbackUri ?? '').includes(`/webhook-waiting/${executionId}`),
							),
					);
					const callConnectionId = call.callConnectionId as string;
					await waitFor('a recognize on the call', () =>
						(liveCall(emu, callConnectionId)?.mediaOperations as Json | undefined)?.recognize
							? true
							: undefined,
					);
					const at = i % 2 === 0 ? 'listening' : 'playing';
					if (at === 'playing') {
						// This play lasts until the callee hangs up, after the restart.
						emu.context.options.playDurationMs = 600_000;
						emu.pressKeys(callConnectionId, '1');
						await waitFor('the confirmation to start playing', () => {
							const plays = ((liveCall(emu, callConnectionId)?.mediaOperations as Json | undefined)
								?.plays ?? []) as Json[];
							return plays.some((p) => p.started === true) ? true : undefined;
						});
						emu.context.options.playDurationMs = playDuration;
					}
					conversations.push({ executionId, callConnectionId, at });
				}
			} finally {
				emu.context.options.playDurationMs = playDuration;
			}
			for (const c of conversations) {
				await waitFor(`execution ${c.executionId} stored as waiting`, async () =>
					(await client.execution(c.executionId)).status === 'waiting' ? true : undefined,
				);
			}
		},
	);

	await step(
		`${options.restarting} stopped and started again on the same database`,
		options.restart,
	);

	await step('after the restart n8n still holds every conversation as waiting', async () => {
		const statuses = await Promise.all(
			conversations.map(async (c) => (await client.execution(c.executionId)).status),
		);
		assert.deepEqual(
			statuses,
			conversations.map(() => 'waiting'),
			`statuses after the restart: ${statuses.join(', ')}`,
		);
	});

	await step(
		'each conversation goes on with its next event and succeeds; no step sent its request twice',
		async () => {
			for (const c of conversations) {
				if (c.at === 'listening') emu.pressKeys(c.callConnectionId, '2');
				else emu.remoteHangUp(c.callConnectionId);
			}
			for (const c of conversations) {
				await waitFor(
					`execution ${c.executionId} to finish`,
					async () => {
						const status = (await client.execution(c.executionId)).status;
						if (status === 'error' || status === 'crashed')
							throw new WaitAbort(`execution ${c.executionId} (${c.at}) ended with ${status}`);
						return status === 'success' ? true : undefined;
					},
					60_000,
				);
				const counted = requests.get(c.callConnectionId);
				// Listening: one recognize, then the "we will call to reschedule" play. Playing: one recognize, one play.
				assert.deepEqual(
					counted,
					{ recognize: 1, play: 1 },
					`execution ${c.executionId} (${c.at}): media requests ${JSON.stringify(counted)}`,
				);
			}
		},
	);
}
