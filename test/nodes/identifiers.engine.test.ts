/**
 * Callers of every kind in n8n's engine against the emulator: an anonymous caller (withheld number,
 * `4:anonymous`) and a Teams extension user are held, sent keys, asked for input and removed like any
 * other participant, with the raw id from the trigger item.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Emulator } from '../../emulator';
import { CALLBACK, WAV, outputJson, runAction, runResource, withEmulator } from '../harness/action';
import { engineLabel } from '../harness/engine';

const TEAMS_EXTENSION_USER =
	'8:acs:00000000-0000-0000-0000-00000000000a_00000000-0000-0000-0000-00000000000b_00000000-0000-0000-0000-00000000000c';

describe(`Callers of every kind (${engineLabel})`, () => {
	let emu: Emulator;
	withEmulator({ port: 0 }, (started) => (emu = started));

	/** Rings the resource from `from`, answers through the node, waits for CallConnected. */
	async function answered(from: string): Promise<string> {
		const ring = await emu.simulateIncomingCall({ from, to: '+18005550100' });
		const [out] = outputJson(
			await runAction(emu, {
				parameters: {
					resource: 'call',
					operation: 'answer',
					incomingCallContext: ring.incomingCallContext,
					callbackUrl: CALLBACK,
				},
			}),
		);
		const id = String(out.callConnectionId);
		await emu.waitForEvent('CallConnected', { callConnectionId: id });
		return id;
	}
	const run = async (resource: string, parameters: IDataObject) =>
		outputJson(await runResource(emu, resource, parameters))[0];

	it.each([
		['an anonymous caller', '4:anonymous'],
		['a Teams extension user', TEAMS_EXTENSION_USER],
	])('%s is held, sent keys, asked for input and removed', async (_label, rawId) => {
		const id = await answered(rawId);
		const participants = () =>
			(emu.state().calls.find((c) => c.callConnectionId === id)?.participants ?? []) as Array<{
				identifier: IDataObject;
				isOnHold: boolean;
			}>;
		expect(participants().map((p) => p.identifier.rawId)).toEqual([rawId]);

		const [listed] = outputJson(
			await runResource(emu, 'participant', {
				operation: 'list',
				callConnectionId: id,
				returnAll: true,
			}),
		);
		expect(listed.rawId).toBe(rawId);

		await run('media', {
			operation: 'hold',
			callConnectionId: id,
			targetParticipant: listed.rawId,
			musicOnHoldUrl: WAV,
		});
		expect(participants()[0].isOnHold).toBe(true);
		await run('media', {
			operation: 'unhold',
			callConnectionId: id,
			targetParticipant: listed.rawId,
		});
		expect(participants()[0].isOnHold).toBe(false);

		await run('media', {
			operation: 'sendDtmf',
			callConnectionId: id,
			tones: '1#',
			targetParticipant: listed.rawId,
			additionalFields: { operationContext: 'keys' },
		});
		await emu.waitForEvent('SendDtmfTonesCompleted', {
			callConnectionId: id,
			operationContext: 'keys',
		});

		await run('media', {
			operation: 'recognize',
			callConnectionId: id,
			inputType: 'dtmf',
			targetParticipant: listed.rawId,
			maxTonesToCollect: 1,
			additionalFields: { operationContext: 'menu' },
		});
		emu.pressKeys(id, '2');
		const done = await emu.waitForEvent('RecognizeCompleted', {
			callConnectionId: id,
			operationContext: 'menu',
		});
		expect(done.data).toMatchObject({ dtmfResult: { tones: ['two'] } });

		const [got] = outputJson(
			await runResource(emu, 'participant', {
				operation: 'get',
				callConnectionId: id,
				participant: listed.rawId,
			}),
		);
		expect(got).toMatchObject({
			rawId,
			kind: rawId.startsWith('4:') ? 'phoneNumber' : 'teamsExtensionUser',
		});

		await run('participant', {
			operation: 'remove',
			callConnectionId: id,
			participant: listed.rawId,
			operationContext: 'bye',
		});
		await emu.waitForEvent('RemoveParticipantSucceeded', {
			callConnectionId: id,
			operationContext: 'bye',
		});
	});
});
