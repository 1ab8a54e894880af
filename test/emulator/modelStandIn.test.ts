/**
 * The model stand-in driven by the real @langchain/openai ChatOpenAI client (what n8n's OpenAI Chat Model wraps),
 * over both APIs it may use (chat completions; Responses from lmChatOpenAi 1.3), plain and streamed.
 */
import {
	AIMessageChunk,
	HumanMessage,
	SystemMessage,
	ToolMessage,
	type AIMessage,
	type BaseMessage,
} from '@langchain/core/messages';
import { tool, type StructuredToolInterface } from '@langchain/core/tools';
import { ChatOpenAI } from '@langchain/openai';
import { z } from 'zod';
import { startModelStandIn, STAND_IN_MODEL, type ModelStandIn } from '../../emulator';
import { TOOL_APOLOGY } from '../../emulator/model/rules';

const transfer = tool(async () => 'transferred', {
	name: 'transfer_call',
	description: 'Transfer the caller to a person in a department',
	schema: z.object({ department: z.enum(['sales', 'support', 'billing']), reason: z.string() }),
});
const endCall = tool(async () => 'ended', {
	name: 'end_call',
	description: 'Hang up the call',
	schema: z.object({ farewell: z.string() }),
});
const hours = tool(async () => 'Mon-Fri 9:00-17:00', {
	name: 'opening_hours',
	description: 'Look up the opening hours of the shop',
	schema: z.object({ question: z.string() }),
});
const TOOLS = [transfer, endCall, hours];

type Mode = { api: 'chat.completions' | 'responses'; stream: boolean };
const MODES: Mode[] = [
	{ api: 'chat.completions', stream: false },
	{ api: 'chat.completions', stream: true },
	{ api: 'responses', stream: false },
	{ api: 'responses', stream: true },
];

describe('model stand-in (real ChatOpenAI client)', () => {
	let model: ModelStandIn;

	beforeAll(async () => {
		model = await startModelStandIn();
	});

	afterAll(async () => {
		await model.close();
	});

	function client(mode: Mode): ChatOpenAI {
		return new ChatOpenAI({
			model: 'gpt-4o-mini',
			apiKey: 'any-key-works',
			configuration: { baseURL: model.url },
			useResponsesApi: mode.api === 'responses',
			maxRetries: 0,
		});
	}

	/** invoke, or stream and concatenate the chunks (what a streaming agent does). */
	async function ask(
		mode: Mode,
		messages: BaseMessage[],
		tools: StructuredToolInterface[] = TOOLS,
	): Promise<AIMessage> {
		const bound = client(mode).bindTools(tools);
		if (!mode.stream) return bound.invoke(messages);
		let acc: AIMessageChunk | undefined;
		for await (const chunk of await bound.stream(messages)) acc = acc ? acc.concat(chunk) : chunk;
		return acc as AIMessageChunk;
	}

	const text = (m: AIMessage): string =>
		typeof m.content === 'string'
			? m.content
			: m.content.map((p) => ('text' in p ? p.text : '')).join('');

	it('serves the credential test (GET /v1/models) with any key', async () => {
		const res = await fetch(`${model.url}/models`, {
			headers: { authorization: 'Bearer whatever' },
		});
		expect(res.status).toBe(200);
		expect(res.headers.get('x-stand-in')).toBe(STAND_IN_MODEL);
		expect(await res.json()).toEqual({
			object: 'list',
			data: [
				{
					id: STAND_IN_MODEL,
					object: 'model',
					created: expect.any(Number),
					owned_by: 'acs-emulator',
				},
			],
		});
		const logged = model.requests().at(-1);
		expect(logged).toMatchObject({
			method: 'GET',
			path: '/v1/models',
			api: 'models',
			status: 200,
			authorization: 'Bearer <redacted>',
		});
	});

	describe.each(MODES)('$api, stream: $stream', (mode) => {
		it('calls the transfer tool when the caller asks for a person (enum argument from the caller words)', async () => {
			const reply = await ask(mode, [
				new SystemMessage('You are the phone agent of a shop.'),
				new HumanMessage('Can I speak to a person in billing please?'),
			]);
			expect(reply.tool_calls).toEqual([
				expect.objectContaining({
					name: 'transfer_call',
					args: { department: 'billing', reason: 'Can I speak to a person in billing please?' },
					id: expect.stringMatching(/^call_/),
				}),
			]);
			expect(model.requests().at(-1)).toMatchObject({
				api: mode.api,
				stream: mode.stream,
				status: 200,
				reply: { kind: 'toolCalls' },
			});
		});

		it('round-trips a lookup tool: tool call, then an answer quoting the tool result', async () => {
			const messages: BaseMessage[] = [
				new SystemMessage('You are the phone agent of a shop.'),
				new HumanMessage('What are your opening hours on Friday?'),
			];
			const call = await ask(mode, messages);
			expect(call.tool_calls?.map((c) => [c.name, c.args])).toEqual([
				['opening_hours', { question: 'What are your opening hours on Friday?' }],
			]);
			const result = await hours.invoke(call.tool_calls?.[0].args as { question: string });
			messages.push(
				call,
				new ToolMessage({ content: result, tool_call_id: call.tool_calls?.[0].id as string }),
			);
			const answer = await ask(mode, messages);
			expect(answer.tool_calls ?? []).toEqual([]);
			expect(text(answer)).toBe('Here is what I found: Mon-Fri 9:00-17:00');
		});

		it.each([
			['n8n 1.x', '[{"response":"There was an error: \\"The calendar is unavailable\\""}]'],
			['n8n 2.x', '[{"error":"The calendar is unavailable [line 1]"}]'],
		])(
			'apologises when the tool result reports an error (as %s hands a failed tool back)',
			async (_line, content) => {
				const messages: BaseMessage[] = [new HumanMessage('What are your opening hours?')];
				const call = await ask(mode, messages);
				messages.push(
					call,
					new ToolMessage({ content, tool_call_id: call.tool_calls?.[0].id as string }),
				);
				expect(text(await ask(mode, messages))).toBe(TOOL_APOLOGY);
			},
		);

		it('ends the call when the caller says goodbye', async () => {
			const reply = await ask(mode, [new HumanMessage("No, that's all, goodbye!")]);
			expect(reply.tool_calls?.map((c) => c.name)).toEqual(['end_call']);
		});

		it('remembers a name across turns and echoes otherwise', async () => {
			const history: BaseMessage[] = [
				new SystemMessage('Be brief.'),
				new HumanMessage('Hi, my name is ada lovelace'),
			];
			const hello = await ask(mode, history, []);
			expect(text(hello)).toBe('Nice to meet you, Ada Lovelace. How can I help?');
			history.push(hello, new HumanMessage('I wanted to ask something.'));
			const echo = await ask(mode, history, []);
			expect(text(echo)).toBe('You said: "I wanted to ask something.". How can I help with that?');
			history.push(echo, new HumanMessage('Sorry, what is my name?'));
			expect(text(await ask(mode, history, []))).toBe('Your name is Ada Lovelace.');
		});
	});

	it("remembers a name from a transcript carried in the system prompt (the examples' queue-safe memory)", async () => {
		const system = new SystemMessage(
			'You are a receptionist.\n\nConversation so far:\nCaller: Hi, my name is Dana.\nReceptionist: Nice to meet you, Dana.',
		);
		expect(text(await ask(MODES[0], [system, new HumanMessage('What is my name?')], []))).toBe(
			'Your name is Dana.',
		);
		expect(
			text(
				await ask(
					MODES[0],
					[new SystemMessage('You are a receptionist.'), new HumanMessage('What is my name?')],
					[],
				),
			),
		).toBe('I do not know your name yet.');
	});

	it('answers the reminder flow: confirm, or reschedule naming the day', async () => {
		const mode = MODES[0];
		const system = new SystemMessage(
			'You call to remind the customer of their appointment tomorrow at 10.',
		);
		expect(text(await ask(mode, [system, new HumanMessage('Yes, that works for me')], []))).toBe(
			'Thank you, your appointment is confirmed. Goodbye!',
		);
		expect(
			text(await ask(mode, [system, new HumanMessage('Could we do Thursday instead?')], [])),
		).toBe('No problem, I have moved your appointment to Thursday.');
		expect(text(await ask(mode, [system, new HumanMessage('I need to reschedule')], []))).toBe(
			'No problem. Which day would suit you better?',
		);
	});

	it.each(MODES.filter((m) => !m.stream))(
		'summarises a transcript as JSON when the system prompt asks for it ($api)',
		async (mode) => {
			const transcript =
				'Agent: Hello, how can I help?\nCaller: I would like to talk to a human about my invoice.\nAgent: Transferring you.';
			const reply = await ask(
				mode,
				[
					new SystemMessage(
						'Summarize the call. Answer with JSON only: summary, intent, followUp.',
					),
					new HumanMessage(transcript),
				],
				[],
			);
			expect(JSON.parse(text(reply))).toEqual({
				summary: 'The caller said: "I would like to talk to a human about my invoice."',
				intent: 'transfer',
				followUp: true,
			});
		},
	);

	it('fails with HTTP 500 on "model error" and answers empty content on "empty answer"', async () => {
		for (const mode of [MODES[0], MODES[2]]) {
			await expect(
				ask(mode, [new HumanMessage('please cause a model error')], []),
			).rejects.toMatchObject({ status: 500 });
			expect(model.requests().at(-1)).toMatchObject({
				status: 500,
				reply: { kind: 'error', status: 500 },
			});
			expect(text(await ask(mode, [new HumanMessage('give me an empty answer')], []))).toBe('');
		}
	});

	it('does not take a transfer tool that also mentions ending the call for an end-call tool', async () => {
		const blindTransfer = tool(async () => 'ok', {
			name: 'blind_transfer',
			description: 'Transfer the caller to a person, which ends the call for the agent',
			schema: z.object({ reason: z.string() }),
		});
		const reply = await ask(MODES[0], [new HumanMessage('Goodbye!')], [blindTransfer]);
		expect(reply.tool_calls ?? []).toEqual([]);
		expect(text(reply)).toBe('Goodbye, and thank you for calling.');
	});

	it('labels every reply a stand-in and streams chat tool calls as deltas, then [DONE]', async () => {
		const body = {
			model: 'anything',
			stream: true,
			stream_options: { include_usage: true },
			messages: [{ role: 'user', content: 'I want to talk to an operator' }],
			tools: [
				{
					type: 'function',
					function: {
						name: 'transfer_call',
						description: 'Transfer the call',
						parameters: {
							type: 'object',
							properties: { department: { type: 'string', enum: ['sales', 'support'] } },
						},
					},
				},
			],
		};
		const res = await fetch(`${model.url}/chat/completions`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		expect(res.headers.get('content-type')).toContain('text/event-stream');
		const events = (await res.text())
			.split('\n\n')
			.filter(Boolean)
			.map((e) => e.replace(/^data: /, ''));
		expect(events.at(-1)).toBe('[DONE]');
		const chunks = events.slice(0, -1).map(
			(e) =>
				JSON.parse(e) as {
					model: string;
					system_fingerprint: string;
					choices: Array<{
						delta: { tool_calls?: Array<{ function: { name?: string; arguments?: string } }> };
						finish_reason: string | null;
					}>;
					usage?: unknown;
				},
		);
		expect(new Set(chunks.map((c) => `${c.model}/${c.system_fingerprint}`))).toEqual(
			new Set([`${STAND_IN_MODEL}/stand-in`]),
		);
		const calls = chunks.flatMap((c) => c.choices.flatMap((ch) => ch.delta.tool_calls ?? []));
		expect(calls[0].function.name).toBe('transfer_call');
		expect(calls.length).toBeGreaterThan(2);
		expect(JSON.parse(calls.map((c) => c.function.arguments ?? '').join(''))).toEqual({
			department: 'sales',
		});
		expect(chunks.find((c) => c.choices[0]?.finish_reason)?.choices[0].finish_reason).toBe(
			'tool_calls',
		);
		// include_usage: a last chunk without choices carries the usage.
		const usage = chunks.at(-1)?.usage as {
			prompt_tokens: number;
			completion_tokens: number;
			total_tokens: number;
		};
		expect(chunks.at(-1)?.choices).toEqual([]);
		expect(usage.total_tokens).toBe(usage.prompt_tokens + usage.completion_tokens);
		expect(usage.prompt_tokens).toBeGreaterThan(0);

		const plain = await fetch(`${model.url}/responses`, {
			method: 'POST',
			body: JSON.stringify({ model: 'anything', input: 'hello there' }),
		});
		expect(await plain.json()).toMatchObject({
			object: 'response',
			model: STAND_IN_MODEL,
			system_fingerprint: 'stand-in',
			status: 'completed',
			output_text: 'You said: "hello there". How can I help with that?',
		});
		const bad = await fetch(`${model.url}/chat/completions`, {
			method: 'POST',
			body: JSON.stringify({ model: 'x', messages: [] }),
		});
		expect(bad.status).toBe(400);
		expect(((await bad.json()) as { error: { param: string } }).error.param).toBe('messages');
		const inspected = (await (
			await fetch(`${model.url.replace(/\/v1$/, '')}/__stand-in/requests`)
		).json()) as { requests: unknown[] };
		expect(inspected.requests).toHaveLength(model.requests().length);
	});
});
