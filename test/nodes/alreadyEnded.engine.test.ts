/**
 * Steps that end or tidy up, run after the other side already ended the call: ACS answers 404 and the step
 * succeeds with `alreadyEnded: true` (the end reason when the item carries it), unless Error If Already
 * Ended asks for the strict behaviour. A call that never existed is still a 404 under that setting.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Emulator } from '../../emulator';
import { CALLEE, connectedCall, outputJson, runResource, withEmulator } from '../harness/action';
import { engineLabel } from '../harness/engine';

describe(`Tidy-up steps on a call that has already ended (${engineLabel})`, () => {
	let emu: Emulator;
	withEmulator({ port: 0 }, (started) => (emu = started));

	/** A connected call the callee then hangs up; resolves once ACS has forgotten it. */
	async function endedCall(): Promise<string> {
		const id = await connectedCall(emu);
		emu.remoteHangUp(id);
		await emu.waitForEvent('CallDisconnected', { callConnectionId: id });
		return id;
	}

	const cases: Array<[string, string, string, IDataObject, IDataObject]> = [
		[
			'Hang Up (for everyone)',
			'call',
			'hangUp',
			{ forEveryone: true },
			{ hungUp: true, forEveryone: true },
		],
		[
			'Hang Up (leave)',
			'call',
			'hangUp',
			{ forEveryone: false },
			{ hungUp: true, forEveryone: false },
		],
		[
			'Cancel All Media Operations',
			'media',
			'cancelAll',
			{},
			{ canceled: false, operation: 'cancelAll' },
		],
		['Stop Transcription', 'media', 'stopTranscription', {}, { operation: 'stopTranscription' }],
		[
			'Stop Media Streaming',
			'media',
			'stopMediaStreaming',
			{},
			{ operation: 'stopMediaStreaming' },
		],
		[
			'Stop Continuous DTMF',
			'media',
			'stopContinuousDtmf',
			{ targetParticipant: CALLEE },
			{ operation: 'stopContinuousDtmf' },
		],
	];

	it.each(cases)(
		'%s succeeds with alreadyEnded: true',
		async (_label, resource, operation, parameters, expected) => {
			const id = await endedCall();
			const before = emu.state().requests.total;
			const [out] = outputJson(
				await runResource(emu, resource, { operation, callConnectionId: id, ...parameters }),
			);
			expect(out).toMatchObject({ callConnectionId: id, alreadyEnded: true, ...expected });
			// It asked ACS once: the 404 is the answer, not something to retry.
			expect(emu.state().requests.total).toBe(before + 1);
		},
	);

	it.each(cases)(
		'%s fails as before with Error If Already Ended on',
		async (_label, resource, operation, parameters) => {
			const id = await endedCall();
			const result = await runResource(emu, resource, {
				operation,
				callConnectionId: id,
				errorIfEnded: true,
				...parameters,
			});
			expect(result.error?.message).toMatch(/ACS returned 404/);
		},
	);

	it('Hang Up names the end reason carried by the item (a waiting step that saw the call end)', async () => {
		const id = await endedCall();
		const disconnected = await emu.waitForEvent('CallDisconnected', { callConnectionId: id });
		const resultMessage = String((disconnected.data.resultInformation as IDataObject).message);
		const [out] = outputJson(
			await runResource(
				emu,
				'call',
				{ operation: 'hangUp', callConnectionId: '={{ $json.callConnectionId }}' },
				{
					items: [
						{
							outcome: 'callEnded',
							succeeded: false,
							eventType: 'CallDisconnected',
							callConnectionId: id,
							resultMessage,
						},
					],
				},
			),
		);
		expect(out).toMatchObject({
			callConnectionId: id,
			hungUp: true,
			alreadyEnded: true,
			endReason: resultMessage,
		});
	});

	it('Hang Up on a live call is unchanged: no alreadyEnded', async () => {
		const id = await connectedCall(emu);
		const [out] = outputJson(
			await runResource(emu, 'call', { operation: 'hangUp', callConnectionId: id }),
		);
		expect(out).toEqual({ callConnectionId: id, hungUp: true, forEveryone: true });
	});

	it('Stop Recording on a recording that ended with its call succeeds with alreadyEnded: true', async () => {
		const id = await connectedCall(emu);
		const [started] = outputJson(
			await runResource(emu, 'recording', { operation: 'start', callConnectionId: id }),
		);
		const recordingId = String(started.recordingId);
		emu.remoteHangUp(id);
		await emu.waitForEvent('CallDisconnected', { callConnectionId: id });
		const [out] = outputJson(
			await runResource(emu, 'recording', { operation: 'stop', recordingId }),
		);
		expect(out).toEqual({ recordingId, stopped: true, alreadyEnded: true });
		const strict = await runResource(emu, 'recording', {
			operation: 'stop',
			recordingId,
			errorIfEnded: true,
		});
		expect(strict.error?.message).toMatch(/ACS returned 404/);
	});

	it('a failure other than a gone call still fails the step', async () => {
		const id = await connectedCall(emu, { cognitiveServices: false });
		emu.setFaults({ unavailableRate: 1, seed: 3 });
		const result = await runResource(
			emu,
			'call',
			{ operation: 'hangUp', callConnectionId: id, requestOptions: { retryBudget: 0 } },
			{ continueOnFail: true },
		);
		const [out] = outputJson(result);
		expect(out.alreadyEnded).toBeUndefined();
		expect(String(out.error)).toMatch(/503/);
	});
});
