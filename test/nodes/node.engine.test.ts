/**
 * Node-level behaviour in n8n's engine against the emulator: many items with bounded concurrency,
 * order and pairing, Continue On Fail, per-item expressions, input checks before any request,
 * ACS errors that say what to do, and the credential test.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as core from 'n8n-core';
import type { IDataObject } from 'n8n-workflow';

import type { Emulator } from '../../emulator';
import { AzureCallAutomation } from '../../nodes/AzureCallAutomation/AzureCallAutomation.node';
import {
	CALLBACK,
	CALLER_ID,
	connectedCall,
	expectRefused,
	outputJson,
	runAction,
	runResource,
	withEmulator,
} from '../harness/action';
import { engineLabel, makeAdditionalData } from '../harness/engine';

const phone = (i: number) => `+1425555${String(1000 + i)}`;

/** A loopback pass-through in front of the emulator that counts requests in flight at once. */
async function startInFlightCounter(
	target: Emulator,
): Promise<{ connectionString: string; maxInFlight: () => number; close: () => Promise<void> }> {
	let inFlight = 0;
	let max = 0;
	const upstream = new URL(target.url);
	const server: Server = createServer((req, res) => {
		inFlight++;
		max = Math.max(max, inFlight);
		// The Host header is forwarded unchanged: it is part of the signed content.
		const forward = httpRequest(
			{
				host: upstream.hostname,
				port: upstream.port,
				method: req.method,
				path: req.url,
				headers: req.headers,
			},
			(answer) => {
				res.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(res);
				answer.on('end', () => inFlight--);
			},
		);
		req.pipe(forward);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		connectionString: `endpoint=http://127.0.0.1:${port}/;accesskey=${target.accessKey}`,
		maxInFlight: () => max,
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

describe(`Azure Call Automation node behaviour (${engineLabel})`, () => {
	let emu: Emulator;
	withEmulator({ port: 0 }, (started) => (emu = started));

	const createFromItems = {
		resource: 'call',
		operation: 'create',
		targets: '={{ $json.phone }}',
		callbackUrl: CALLBACK,
		sourceCallerIdNumber: CALLER_ID,
		additionalFields: { operationContext: '={{ "row-" + $json.row }}' },
	};

	describe('many items', () => {
		it('50 items at concurrency 8: all created, in input order, paired, never more than 8 requests at once', async () => {
			const items = Array.from({ length: 50 }, (_, row) => ({ row, phone: phone(row) }));
			// Slow answers make the workers overlap, so the bound is really exercised.
			emu.setFaults({ latencyMs: 30 });
			const counter = await startInFlightCounter(emu);
			let outputs: IDataObject[] = [];
			try {
				const result = await runAction(counter.connectionString, {
					items,
					parameters: { ...createFromItems, requestOptions: { concurrency: 8 } },
				});
				outputs = outputJson(result);
				expect(outputs).toHaveLength(50);
				expect(result.outputs[0].map((o) => o.pairedItem)).toEqual(
					items.map((_, item) => ({ item })),
				);
				expect(counter.maxInFlight()).toBeLessThanOrEqual(8);
				expect(counter.maxInFlight()).toBeGreaterThan(1);
			} finally {
				await counter.close();
			}
			const state = emu.state();
			expect(state.callsCreated).toBe(50);
			expect(state.requests.byRoute.createCall).toEqual({ 201: 50 });
			expect(state.calls).toHaveLength(50);
			// Output i is the call placed for input i.
			const target = new Map(
				state.calls.map((c) => [
					c.callConnectionId,
					(c.targets as Array<{ rawId: string }>)[0].rawId,
				]),
			);
			expect(outputs.map((o) => target.get(o.callConnectionId))).toEqual(
				items.map((item) => `4:${item.phone}`),
			);
		});

		it('output i is the call placed for input i (expressions evaluated per item)', async () => {
			const items = Array.from({ length: 20 }, (_, row) => ({ row, phone: phone(row) }));
			const out = outputJson(
				await runAction(emu, {
					items,
					parameters: { ...createFromItems, requestOptions: { concurrency: 8 } },
				}),
			);
			const calls = new Map(emu.state().calls.map((c) => [c.callConnectionId, c]));
			out.forEach((json, i) => {
				const call = calls.get(json.callConnectionId) as {
					targets: Array<{ rawId: string }>;
					operationContext: string;
				};
				expect(call.targets.map((t) => t.rawId)).toEqual([`4:${phone(i)}`]);
				expect(call.operationContext).toBe(`row-${i}`);
			});
			expect(new Set(out.map((o) => o.callConnectionId)).size).toBe(20);
		});
	});

	describe('failures', () => {
		it('Continue On Fail: failed items become error items (paired, with ACS code), good items succeed', async () => {
			const live = await connectedCall(emu);
			const items = [{ id: live }, { id: 'no-such-call' }, { id: live }, { phone: 'not-a-number' }];
			const result = await runAction(emu, {
				items,
				settings: { onError: 'continueRegularOutput' },
				parameters: {
					resource: 'call',
					operation: 'get',
					callConnectionId: '={{ $json.id ?? "" }}',
					requestOptions: { concurrency: 4 },
				},
			});
			const out = outputJson(result);
			expect(result.outputs[0].map((o) => o.pairedItem)).toEqual(
				items.map((_, item) => ({ item })),
			);
			expect(out[0]).toMatchObject({ callConnectionId: live, callConnectionState: 'connected' });
			expect(out[2]).toMatchObject({ callConnectionId: live, callConnectionState: 'connected' });
			expect(out[1]).toMatchObject({ httpCode: '404', acsCode: '8522' });
			expect(String(out[1].error)).toMatch(/404/);
			expect(String(out[1].description)).toMatch(/call may have ended/);
			// Item 3 never reached ACS: an input error naming the field.
			expect(out[3]).toEqual({
				error: 'Call Connection ID is empty',
				description: expect.stringContaining('Call Connection ID'),
				outcome: 'failed',
			});
			expect(emu.state().requests.byRoute.getCall).toEqual({ 200: 2, 404: 1 });
		});

		it('Continue (using error output): failed items go to the error output, good ones to the main output', async () => {
			const live = await connectedCall(emu);
			const items = [{ id: live }, { id: 'no-such-call' }, { id: live }];
			const result = await runAction(emu, {
				items,
				settings: { onError: 'continueErrorOutput' },
				parameters: { resource: 'call', operation: 'get', callConnectionId: '={{ $json.id }}' },
			});
			expect(result.error).toBeUndefined();
			const [main, errors] = result.outputs;
			expect(main.map((o) => [o.json.callConnectionId, o.pairedItem])).toEqual([
				[live, { item: 0 }],
				[live, { item: 2 }],
			]);
			expect(errors).toHaveLength(1);
			expect(errors[0].pairedItem).toEqual({ item: 1 });
			// The input item's fields stay; the details sit under `error` so they cannot clobber them.
			expect(errors[0].json).toEqual({
				id: 'no-such-call',
				error: expect.objectContaining({
					message: expect.stringMatching(/404/),
					httpCode: '404',
					acsCode: '8522',
					description: expect.stringMatching(/call may have ended/),
				}),
			});
		});

		it('without Continue On Fail the run fails on the first failed item', async () => {
			const live = await connectedCall(emu);
			const items = [{ id: live }, { id: live }, { id: 'gone-1' }, { id: live }, { id: 'gone-2' }];
			const result = await runAction(emu, {
				items,
				parameters: {
					resource: 'call',
					operation: 'get',
					callConnectionId: '={{ $json.id }}',
					requestOptions: { concurrency: 8 },
				},
			});
			expect(result.error?.name).toBe('NodeApiError');
			expect(result.error?.context?.itemIndex).toBe(2);
			expect(result.error?.message).toMatch(/gone-1/);
		});

		it.each<[string, IDataObject, RegExp]>([
			[
				'a non-E.164 number',
				{ targets: '4255550100' },
				/Targets "4255550100" is not an E\.164 phone number/,
			],
			['empty targets', { targets: ' , ' }, /Targets is empty/],
			[
				'a relative callback URL',
				{ callbackUrl: '/webhook/abc/webhook' },
				/Callback URL "\/webhook\/abc\/webhook" is not an absolute URL/,
			],
			[
				'a missing caller id for a phone number',
				{ sourceCallerIdNumber: '' },
				/Caller ID Number is empty/,
			],
			[
				'a malformed caller id',
				{ sourceCallerIdNumber: 'reception' },
				/Caller ID Number "reception" is not an E\.164/,
			],
			[
				'one bad number among several',
				{ targets: '+14255550100, 555-CALL' },
				/Targets #2 "555-CALL"/,
			],
		])(
			'create with %s: input error naming the field, nothing sent',
			async (_label, override, message) => {
				const error = await expectRefused(
					emu,
					async () =>
						await runAction(emu, {
							parameters: {
								resource: 'call',
								operation: 'create',
								targets: '+14255550100',
								callbackUrl: CALLBACK,
								sourceCallerIdNumber: CALLER_ID,
								...override,
							},
						}),
					message,
				);
				expect(error?.context?.itemIndex).toBe(0);
			},
		);

		it.each<[string, IDataObject, RegExp]>([
			[
				'answer without a context',
				{ operation: 'answer', incomingCallContext: '={{ "" }}', callbackUrl: CALLBACK },
				/Incoming Call Context is empty/,
			],
			[
				'answer with a relative callback URL',
				{ operation: 'answer', incomingCallContext: 'x', callbackUrl: 'webhook' },
				/Callback URL "webhook"/,
			],
			[
				'answer by a non-ACS user',
				{
					operation: 'answer',
					incomingCallContext: 'x',
					callbackUrl: CALLBACK,
					additionalFields: { answeredBy: '+14255550100' },
				},
				/Answered By "\+14255550100" is not an ACS user id/,
			],
			[
				'reject with an unknown reason',
				{ operation: 'reject', incomingCallContext: 'x', reason: '={{ "later" }}' },
				/Reason "later" is not valid/,
			],
			[
				'redirect to nobody',
				{ operation: 'redirect', incomingCallContext: 'x', target: '={{ $json.nobody }}' },
				/Target is empty/,
			],
			[
				'transfer without a call id',
				{ operation: 'transfer', callConnectionId: ' ', target: '+14255550100' },
				/Call Connection ID is empty/,
			],
			[
				'transfer to a bad number',
				{ operation: 'transfer', callConnectionId: 'c', target: '+1 425' },
				/Target "\+1 425" is not an E\.164/,
			],
			[
				'transfer with a relative operation callback',
				{
					operation: 'transfer',
					callConnectionId: 'c',
					target: '+14255550100',
					additionalFields: { operationCallbackUrl: 'cb' },
				},
				/Operation Callback URL "cb"/,
			],
			[
				'hang up without a call id',
				{ operation: 'hangUp', callConnectionId: '={{ "" }}' },
				/Call Connection ID is empty/,
			],
		])('%s: input error naming the field, nothing sent', async (_label, parameters, message) => {
			await expectRefused(emu, async () => await runResource(emu, 'call', parameters), message);
		});

		it('a wrong access key: the error says to check the connection string', async () => {
			const wrongKey = emu.connectionString.replace(
				/accesskey=.*/,
				`accesskey=${Buffer.from('not-the-key').toString('base64')}`,
			);
			const result = await runAction(wrongKey, {
				parameters: { ...createFromItems, targets: '+14255550100' },
			});
			expect(result.error?.name).toBe('NodeApiError');
			expect(result.error?.httpCode).toBe('401');
			expect(`${result.error?.message} ${result.error?.description}`).toMatch(
				/check the connection string/i,
			);
			expect(emu.state().callsCreated).toBe(0);
		});

		it('an unknown call id: the error says the call may have ended (Hang Up with Error If Already Ended)', async () => {
			const result = await runAction(emu, {
				parameters: {
					resource: 'call',
					operation: 'hangUp',
					callConnectionId: 'ended-call',
					forEveryone: true,
					errorIfEnded: true,
				},
			});
			expect(result.error?.httpCode).toBe('404');
			expect(`${result.error?.message} ${result.error?.description}`).toMatch(
				/call may have ended/,
			);
		});
	});

	describe('credential test', () => {
		const test = async (connectionString: string) => {
			const ctx = new (
				core as unknown as { CredentialTestContext: new (data: unknown) => unknown }
			).CredentialTestContext(makeAdditionalData({}, { id: 'wf', nodes: [], connections: {} }));
			return await new AzureCallAutomation().methods.credentialTest.acsConnectionTest.call(
				ctx as never,
				{
					id: 'cred-1',
					name: 'ACS',
					type: 'azureCommunicationServicesApi',
					data: { connectionString },
				},
			);
		};

		it("accepts the emulator's key", async () => {
			const before = emu.state().requests.total;
			expect(await test(emu.connectionString)).toEqual({
				status: 'OK',
				message: expect.stringContaining('Connected'),
			});
			expect(emu.state().requests.total).toBe(before + 1);
		});

		it('reports a wrong key as rejected', async () => {
			const wrongKey = emu.connectionString.replace(
				/accesskey=.*/,
				`accesskey=${Buffer.from('wrong').toString('base64')}`,
			);
			const result = await test(wrongKey);
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(/access key was rejected/);
		});

		it('explains a malformed connection string without sending anything', async () => {
			const before = emu.state().requests.total;
			const result = await test('https://acs.example.com');
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(/connection string/i);
			expect(emu.state().requests.total).toBe(before);
		});

		it('explains an unreachable endpoint', async () => {
			const closed = createServer();
			await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
			const { port } = closed.address() as AddressInfo;
			await new Promise<void>((resolve) => closed.close(() => resolve()));
			const result = await test(`endpoint=http://127.0.0.1:${port}/;accesskey=${emu.accessKey}`);
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(new RegExp(`Could not reach 127\\.0\\.0\\.1:${port}`));
			expect(result.message).toMatch(/endpoint/);
		});

		it.each([
			['a web page (200)', 200],
			['a bare 404', 404],
		])('explains an endpoint that is not ACS: %s', async (_label, status) => {
			const other = createServer((_req, res) =>
				res.writeHead(status, { 'content-type': 'text/html' }).end('<html></html>'),
			);
			await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
			const { port } = other.address() as AddressInfo;
			try {
				const result = await test(`endpoint=http://127.0.0.1:${port}/;accesskey=${emu.accessKey}`);
				expect(result.status).toBe('Error');
				expect(result.message).toMatch(/Azure Communication Services/);
			} finally {
				await new Promise<void>((resolve) => other.close(() => resolve()));
			}
		});
	});
});
