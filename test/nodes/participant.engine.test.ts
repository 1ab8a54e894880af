/**
 * Participant resource in n8n's engine against the emulator: add, remove, mute and cancel change the
 * emulated call the way the service would (seen in its state and events), Get Many follows every page,
 * and bad inputs stop before anything is sent.
 */
import type { IDataObject } from 'n8n-workflow';

import { startEmulator, type Emulator } from '../../emulator';
import {
	CALLEE,
	CALLER_ID,
	callSnapshot,
	connectedCall,
	expectRefused as expectRefusedBy,
	outputJson,
	runAction,
	runResource,
	withEmulator,
	type ResourceRunOptions,
} from '../harness/action';
import { engineLabel } from '../harness/engine';

const ACS_USER = '8:acs:00000000-0000-0000-0000-000000000001_00000000-0000-0000-0000-000000000002';
const TEAMS_USER = '8:orgid:3f2b8c4e-0000-4000-8000-000000000001';
const SECOND_PHONE = '+14255550111';
const OP_CALLBACK = 'https://other-callbacks.example.com/participants';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type Participant = { identifier: { rawId: string }; isMuted: boolean; isOnHold: boolean };

describe(`Participant resource (${engineLabel})`, () => {
	let emu: Emulator;
	// Small pages so Get Many has to follow nextLink.
	withEmulator({ port: 0, participantsPageSize: 2 }, (started) => (emu = started));

	const participants = (id: string) => (callSnapshot(emu, id)?.participants ?? []) as Participant[];
	const rawIds = (id: string) => participants(id).map((p) => p.identifier.rawId);
	const run = async (parameters: IDataObject, options?: ResourceRunOptions) =>
		await runResource(emu, 'participant', parameters, options);
	const expectRefused = async (parameters: IDataObject, message: RegExp) =>
		await expectRefusedBy(emu, async () => await run(parameters), message);

	describe('add', () => {
		it('takes the caller id from the top-level Caller ID Number, before the old Additional Fields one', async () => {
			const id = await connectedCall(emu);
			await run({
				operation: 'add',
				callConnectionId: id,
				participant: SECOND_PHONE,
				callerIdNumber: CALLER_ID,
				additionalFields: { operationContext: 'add-top-level' },
			});
			const added = await emu.waitForEvent('AddParticipantSucceeded', {
				callConnectionId: id,
				operationContext: 'add-top-level',
			});
			expect(added.data).toMatchObject({ participant: { rawId: `4:${SECOND_PHONE}` } });
			// The top-level value wins: a bad one is refused even when the old field holds a good one.
			await expectRefused(
				{
					operation: 'add',
					callConnectionId: id,
					participant: SECOND_PHONE,
					callerIdNumber: '4255',
					additionalFields: { sourceCallerIdNumber: CALLER_ID },
				},
				/Caller ID Number/,
			);
		});

		it('invites a phone number with a caller id; AddParticipantSucceeded follows with the context', async () => {
			const id = await connectedCall(emu);
			const [out] = outputJson(
				await run({
					operation: 'add',
					callConnectionId: id,
					participant: SECOND_PHONE,
					additionalFields: {
						sourceCallerIdNumber: CALLER_ID,
						sourceDisplayName: 'Clinic',
						invitationTimeoutInSeconds: 30,
						operationContext: 'add-nurse',
					},
				}),
			);
			expect(out).toEqual({
				callConnectionId: id,
				participant: `4:${SECOND_PHONE}`,
				kind: 'phoneNumber',
				invitationId: expect.stringMatching(UUID),
				operationContext: 'add-nurse',
				invited: true,
			});
			const added = await emu.waitForEvent('AddParticipantSucceeded', {
				callConnectionId: id,
				operationContext: 'add-nurse',
			});
			expect(added.data).toMatchObject({ participant: { rawId: `4:${SECOND_PHONE}` } });
			expect(rawIds(id)).toEqual([`4:${CALLEE}`, `4:${SECOND_PHONE}`]);
			await emu.waitForEvent('ParticipantsUpdated', {
				callConnectionId: id,
				match: (e) =>
					(e.data.participants as Participant[]).some(
						(p) => p.identifier.rawId === `4:${SECOND_PHONE}`,
					),
			});
		});

		it('invites an ACS user and a Teams user without a caller id; events go to the operation callback URL', async () => {
			const id = await connectedCall(emu);
			for (const [participant, context] of [
				[ACS_USER, 'add-acs'],
				[TEAMS_USER, 'add-teams'],
			]) {
				outputJson(
					await run({
						operation: 'add',
						callConnectionId: id,
						participant,
						additionalFields: { operationContext: context, operationCallbackUrl: OP_CALLBACK },
					}),
				);
				await emu.waitForEvent('AddParticipantSucceeded', {
					callConnectionId: id,
					operationContext: context,
				});
			}
			expect(rawIds(id)).toEqual([`4:${CALLEE}`, ACS_USER, TEAMS_USER]);
			const urls = (
				emu.state().events as Array<{ type: string; url: string; callConnectionId?: string }>
			)
				.filter((e) => e.callConnectionId === id && e.type.endsWith('AddParticipantSucceeded'))
				.map((e) => e.url);
			expect(urls).toEqual([OP_CALLBACK, OP_CALLBACK]);
		});

		it('a Teams user given as a bare id with Participant Type: Teams User', async () => {
			const id = await connectedCall(emu);
			const bare = TEAMS_USER.slice('8:orgid:'.length);
			const [out] = outputJson(
				await run({
					operation: 'add',
					callConnectionId: id,
					participant: bare,
					participantType: 'microsoftTeamsUser',
				}),
			);
			expect(out).toMatchObject({ participant: TEAMS_USER, kind: 'microsoftTeamsUser' });
			await emu.waitForEvent('AddParticipantSucceeded', {
				callConnectionId: id,
				match: (e) => (e.data.participant as { rawId: string }).rawId === TEAMS_USER,
			});
			expect(rawIds(id)).toEqual([`4:${CALLEE}`, TEAMS_USER]);
		});

		it('adds one participant per input item, mapped with an expression', async () => {
			const id = await connectedCall(emu);
			const out = outputJson(
				await run(
					{
						operation: 'add',
						callConnectionId: id,
						participant: '={{ $json.phone }}',
						additionalFields: {
							sourceCallerIdNumber: CALLER_ID,
							operationContext: '={{ "add-" + $json.phone }}',
						},
					},
					{ items: [{ phone: '+14255550121' }, { phone: '+14255550122' }] },
				),
			);
			expect(out.map((o) => o.participant)).toEqual(['4:+14255550121', '4:+14255550122']);
			await emu.waitForEvent('AddParticipantSucceeded', {
				callConnectionId: id,
				operationContext: 'add-+14255550121',
			});
			await emu.waitForEvent('AddParticipantSucceeded', {
				callConnectionId: id,
				operationContext: 'add-+14255550122',
			});
			expect(rawIds(id)).toHaveLength(3);
		});

		it('a phone number without a caller id is refused before sending', async () => {
			const id = await connectedCall(emu);
			const error = await expectRefused(
				{ operation: 'add', callConnectionId: id, participant: SECOND_PHONE },
				/Caller ID Number/,
			);
			expect(error?.description).toMatch(/phone number that belongs to your ACS resource/);
		});

		it('a participant that is not a phone number or id is refused before sending', async () => {
			const id = await connectedCall(emu);
			await expectRefused(
				{
					operation: 'add',
					callConnectionId: id,
					participant: '4255 55',
					additionalFields: { sourceCallerIdNumber: CALLER_ID },
				},
				/Participant "4255 55" is not an E.164 phone number/,
			);
			await expectRefused(
				{ operation: 'add', callConnectionId: id, participant: 'bob@example.com' },
				/^Participant "bob@example.com"/,
			);
			// A mapped value that turns out empty (the engine itself refuses a literally empty required field).
			await expectRefused(
				{ operation: 'add', callConnectionId: id, participant: '={{ $json.nothing }}' },
				/Participant is empty/,
			);
		});

		it('out-of-range timeout, bad caller id and bad callback URL are refused before sending', async () => {
			const id = await connectedCall(emu);
			await expectRefused(
				{
					operation: 'add',
					callConnectionId: id,
					participant: ACS_USER,
					additionalFields: { invitationTimeoutInSeconds: 181 },
				},
				/Invitation Timeout \(Seconds\) must be a whole number from 0 to 180/,
			);
			await expectRefused(
				{
					operation: 'add',
					callConnectionId: id,
					participant: SECOND_PHONE,
					additionalFields: { sourceCallerIdNumber: '555-0199' },
				},
				/Caller ID Number "555-0199" is not an E.164 phone number/,
			);
			await expectRefused(
				{
					operation: 'add',
					callConnectionId: id,
					participant: ACS_USER,
					additionalFields: { operationCallbackUrl: 'callbacks/here' },
				},
				/Operation Callback URL "callbacks\/here" is not an absolute URL/,
			);
			await expectRefused(
				{ operation: 'add', callConnectionId: ' ', participant: ACS_USER },
				/Call Connection ID is empty/,
			);
		});

		it('custom calling context headers that could break a SIP message are refused before sending', async () => {
			const id = await connectedCall(emu);
			const headers = (header: IDataObject) => ({
				operation: 'add',
				callConnectionId: id,
				participant: ACS_USER,
				additionalFields: { customCallingContext: { headers: [header] } },
			});
			await expectRefused(
				headers({ kind: 'sipCustom', key: 'CaseId', value: '42\r\nX-Injected: 1' }),
				/value of CaseId must be at most 1024 characters without line breaks/,
			);
			await expectRefused(
				headers({ kind: 'sipUui', value: 'x'.repeat(1025) }),
				/value of User-to-User must be at most 1024/,
			);
			await expectRefused(
				headers({ kind: 'sipX', key: 'Bad Name', value: '1' }),
				/header name "Bad Name" must be letters, digits and hyphens/,
			);
			await expectRefused(headers({ kind: 'voip', key: 'a:b', value: '1' }), /header name "a:b"/);
		});
	});

	describe('remove', () => {
		it('takes a participant out of a group call; RemoveParticipantSucceeded follows', async () => {
			const id = await connectedCall(emu, { targets: `${CALLEE}, ${ACS_USER}` });
			const [out] = outputJson(
				await run({
					operation: 'remove',
					callConnectionId: id,
					participant: ACS_USER,
					operationContext: 'drop-acs',
				}),
			);
			expect(out).toEqual({
				callConnectionId: id,
				participant: ACS_USER,
				operationContext: 'drop-acs',
				removed: true,
			});
			const removed = await emu.waitForEvent('RemoveParticipantSucceeded', {
				callConnectionId: id,
				operationContext: 'drop-acs',
			});
			expect(removed.data).toMatchObject({ participant: { rawId: ACS_USER } });
			expect(rawIds(id)).toEqual([`4:${CALLEE}`]);
		});

		it('without a context generates one that the event carries, and honours the operation callback URL', async () => {
			const id = await connectedCall(emu, { targets: `${CALLEE}, ${SECOND_PHONE}` });
			const [out] = outputJson(
				await run({
					operation: 'remove',
					callConnectionId: id,
					participant: SECOND_PHONE,
					operationCallbackUrl: OP_CALLBACK,
				}),
			);
			expect(out.operationContext).toMatch(UUID);
			await emu.waitForEvent('RemoveParticipantSucceeded', {
				callConnectionId: id,
				operationContext: String(out.operationContext),
			});
			const record = (
				emu.state().events as Array<{ type: string; url: string; callConnectionId?: string }>
			).find((e) => e.callConnectionId === id && e.type.endsWith('RemoveParticipantSucceeded'));
			expect(record?.url).toBe(OP_CALLBACK);
		});

		it('someone who is not in the call is a 404 from ACS', async () => {
			const id = await connectedCall(emu);
			const result = await run({
				operation: 'remove',
				callConnectionId: id,
				participant: ACS_USER,
			});
			expect(result.error?.message).toMatch(/404/);
			expect(rawIds(id)).toEqual([`4:${CALLEE}`]);
		});
	});

	describe('list (Get Many)', () => {
		const group = `${CALLEE}, ${ACS_USER}, ${SECOND_PHONE}, ${TEAMS_USER}`;

		it('returns everyone across pages, one flattened item each', async () => {
			const id = await connectedCall(emu, { targets: group });
			const before = emu.state().requests.byRoute.listParticipants ?? {};
			const out = outputJson(
				await run({ operation: 'list', callConnectionId: id, returnAll: true }),
			);
			expect(out.map((o) => o.rawId)).toEqual([
				`4:${CALLEE}`,
				ACS_USER,
				`4:${SECOND_PHONE}`,
				TEAMS_USER,
			]);
			expect(out[0]).toEqual({
				callConnectionId: id,
				rawId: `4:${CALLEE}`,
				kind: 'phoneNumber',
				phoneNumber: CALLEE,
				isMuted: false,
				isOnHold: false,
				identifier: {
					kind: 'phoneNumber',
					rawId: `4:${CALLEE}`,
					phoneNumber: { value: CALLEE, isAnonymous: false },
				},
			});
			expect(out[1]).toMatchObject({
				rawId: ACS_USER,
				kind: 'communicationUser',
				phoneNumber: null,
			});
			expect(out[3]).toMatchObject({
				rawId: TEAMS_USER,
				kind: 'microsoftTeamsUser',
				phoneNumber: null,
			});
			// Four participants, two per page: two requests.
			const after = emu.state().requests.byRoute.listParticipants ?? {};
			const count = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
			expect(count(after) - count(before)).toBe(2);
		});

		it('respects the limit, and the default limit of 50 returns a small call whole', async () => {
			const id = await connectedCall(emu, { targets: group });
			const three = outputJson(
				await run({ operation: 'list', callConnectionId: id, returnAll: false, limit: 3 }),
			);
			expect(three.map((o) => o.rawId)).toEqual([`4:${CALLEE}`, ACS_USER, `4:${SECOND_PHONE}`]);
			const pages = () =>
				Object.values(emu.state().requests.byRoute.listParticipants ?? {}).reduce(
					(a, b) => a + b,
					0,
				);
			const before = pages();
			const one = outputJson(
				await run({ operation: 'list', callConnectionId: id, returnAll: false, limit: 1 }),
			);
			expect(one.map((o) => o.rawId)).toEqual([`4:${CALLEE}`]);
			// The first page already holds enough: no further page is fetched.
			expect(pages() - before).toBe(1);
			const byDefault = outputJson(await run({ operation: 'list', callConnectionId: id }));
			expect(byDefault).toHaveLength(4);
		});

		it('shows who is muted', async () => {
			const id = await connectedCall(emu, { targets: `${CALLEE}, ${ACS_USER}` });
			outputJson(await run({ operation: 'mute', callConnectionId: id, participant: ACS_USER }));
			const out = outputJson(
				await run({ operation: 'list', callConnectionId: id, returnAll: true }),
			);
			expect(out.map((o) => [o.rawId, o.isMuted])).toEqual([
				[`4:${CALLEE}`, false],
				[ACS_USER, true],
			]);
		});

		it('a limit of 0 is refused before sending', async () => {
			const id = await connectedCall(emu);
			await expectRefused(
				{ operation: 'list', callConnectionId: id, returnAll: false, limit: 0 },
				/Limit must be a whole number from 1 /,
			);
		});
	});

	describe('get', () => {
		it('returns one participant by phone number or id', async () => {
			const id = await connectedCall(emu, { targets: `${CALLEE}, ${ACS_USER}` });
			const [phone] = outputJson(
				await run({ operation: 'get', callConnectionId: id, participant: CALLEE }),
			);
			expect(phone).toMatchObject({
				callConnectionId: id,
				rawId: `4:${CALLEE}`,
				kind: 'phoneNumber',
				phoneNumber: CALLEE,
				isMuted: false,
				isOnHold: false,
			});
			const [user] = outputJson(
				await run({ operation: 'get', callConnectionId: id, participant: ACS_USER }),
			);
			expect(user).toMatchObject({
				rawId: ACS_USER,
				kind: 'communicationUser',
				identifier: { communicationUser: { id: ACS_USER } },
			});
		});

		it('someone who is not in the call is a 404 from ACS', async () => {
			const id = await connectedCall(emu);
			const result = await run({
				operation: 'get',
				callConnectionId: id,
				participant: SECOND_PHONE,
			});
			expect(result.error?.message).toMatch(/404/);
			expect(result.error?.message).toContain(`4:${SECOND_PHONE}`);
		});
	});

	describe('mute', () => {
		it('mutes one participant; ParticipantsUpdated shows it', async () => {
			const id = await connectedCall(emu, { targets: `${CALLEE}, ${ACS_USER}` });
			const seq = emu.eventSeq();
			const [out] = outputJson(
				await run({
					operation: 'mute',
					callConnectionId: id,
					participant: CALLEE,
					operationContext: 'quiet',
				}),
			);
			expect(out).toEqual({
				callConnectionId: id,
				participant: `4:${CALLEE}`,
				operationContext: 'quiet',
				muted: true,
			});
			expect(participants(id).map((p) => [p.identifier.rawId, p.isMuted])).toEqual([
				[`4:${CALLEE}`, true],
				[ACS_USER, false],
			]);
			const updated = await emu.waitForEvent('ParticipantsUpdated', {
				callConnectionId: id,
				afterSeq: seq,
			});
			expect(
				(updated.data.participants as Participant[]).find(
					(p) => p.identifier.rawId === `4:${CALLEE}`,
				)?.isMuted,
			).toBe(true);
		});
	});

	describe('cancelAdd', () => {
		let slow: Emulator;
		beforeAll(async () => {
			// Invitations ring long enough to be withdrawn.
			slow = await startEmulator({ port: 0, addParticipantDelayMs: 60_000 });
		});
		afterAll(async () => await slow.close());

		it('withdraws a ringing invitation using the invitationId from Add', async () => {
			const id = await connectedCall(slow);
			const [added] = outputJson(
				await runAction(slow, {
					parameters: {
						resource: 'participant',
						operation: 'add',
						callConnectionId: id,
						participant: SECOND_PHONE,
						additionalFields: { sourceCallerIdNumber: CALLER_ID, operationContext: 'ring' },
					},
				}),
			);
			const pending = () =>
				(callSnapshot(slow, id)?.pendingInvitations ?? []) as Array<{ invitationId: string }>;
			expect(pending().map((p) => p.invitationId)).toEqual([added.invitationId]);
			const [out] = outputJson(
				await runAction(slow, {
					parameters: {
						resource: 'participant',
						operation: 'cancelAdd',
						callConnectionId: id,
						invitationId: '={{ $json.invitationId }}',
						operationContext: 'never-mind',
					},
					items: [{ invitationId: added.invitationId }],
				}),
			);
			expect(out).toEqual({
				callConnectionId: id,
				invitationId: added.invitationId,
				operationContext: 'never-mind',
				cancelRequested: true,
			});
			const canceled = await slow.waitForEvent('CancelAddParticipantSucceeded', {
				callConnectionId: id,
				operationContext: 'never-mind',
			});
			expect(canceled.data.invitationId).toBe(added.invitationId);
			expect(pending()).toEqual([]);
			expect(
				(callSnapshot(slow, id)?.participants as Participant[]).map((p) => p.identifier.rawId),
			).toEqual([`4:${CALLEE}`]);
		});

		it('an invitation that is not pending ends in CancelAddParticipantFailed', async () => {
			const id = await connectedCall(slow);
			const [out] = outputJson(
				await runAction(slow, {
					parameters: {
						resource: 'participant',
						operation: 'cancelAdd',
						callConnectionId: id,
						invitationId: 'no-such-invitation',
					},
				}),
			);
			expect(out.operationContext).toMatch(UUID);
			const failed = await slow.waitForEvent('CancelAddParticipantFailed', {
				callConnectionId: id,
				operationContext: String(out.operationContext),
			});
			expect(failed.data.invitationId).toBe('no-such-invitation');
		});

		it('an empty invitation id is refused before sending', async () => {
			const id = await connectedCall(emu);
			await expectRefused(
				{ operation: 'cancelAdd', callConnectionId: id, invitationId: '={{ $json.nothing }}' },
				/Invitation ID is empty/,
			);
		});
	});

	describe('errors', () => {
		it('an unknown call id says the call may have ended', async () => {
			for (const parameters of [
				{ operation: 'add', participant: ACS_USER },
				{ operation: 'remove', participant: ACS_USER },
				{ operation: 'list', returnAll: true },
				{ operation: 'get', participant: ACS_USER },
				{ operation: 'mute', participant: ACS_USER },
				{ operation: 'cancelAdd', invitationId: 'inv' },
			]) {
				const result = await run({ ...parameters, callConnectionId: 'no-such-call' });
				expect(result.error?.httpCode).toBe('404');
				expect(`${result.error?.message} ${result.error?.description}`).toMatch(
					/call may have ended/,
				);
			}
		});

		it('Continue On Fail: a bad item becomes an error item paired with its input, the others go through', async () => {
			const id = await connectedCall(emu);
			const result = await run(
				{
					operation: 'add',
					callConnectionId: id,
					participant: '={{ $json.who }}',
					additionalFields: { operationContext: '={{ $json.who }}' },
				},
				{
					items: [{ who: ACS_USER }, { who: 'nobody' }, { who: TEAMS_USER }],
					continueOnFail: true,
				},
			);
			const items = result.outputs[0];
			expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
			expect(items[0].json).toMatchObject({ participant: ACS_USER, invited: true });
			expect(items[1].json.error).toMatch(/^Participant "nobody"/);
			expect(items[2].json).toMatchObject({ participant: TEAMS_USER, invited: true });
			await emu.waitForEvent('AddParticipantSucceeded', {
				callConnectionId: id,
				operationContext: TEAMS_USER,
			});
		});

		it('Continue On Fail: an ACS error becomes an error item with its status', async () => {
			const result = await run(
				{ operation: 'mute', callConnectionId: '={{ $json.call }}', participant: CALLEE },
				{ items: [{ call: 'gone-call' }], continueOnFail: true },
			);
			expect(result.error).toBeUndefined();
			expect(result.outputs[0]).toHaveLength(1);
			expect(result.outputs[0][0].pairedItem).toEqual({ item: 0 });
			expect(result.outputs[0][0].json.error).toMatch(/^ACS returned 404 /);
		});
	});
});
