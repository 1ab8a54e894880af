/**
 * OpenAI wire shapes for a decided reply: chat completions (object and stream chunks) and Responses (object and
 * stream events), as the `openai` client under @langchain/openai parses them. Every body names the stand-in.
 */
import type { Reply } from './rules';

export const STAND_IN_MODEL = 'acs-emulator-stand-in';
export const FINGERPRINT = 'stand-in';

type TextOrCalls = Exclude<Reply, { kind: 'error' }>;

export interface Ids {
	/** Hex digest of the request: ids are stable for the same conversation. */
	hash: string;
	created: number;
	promptTokens: number;
}

function words(text: string): number {
	return text.split(/\s+/).filter(Boolean).length;
}

function outputTokens(reply: TextOrCalls): number {
	return reply.kind === 'text'
		? words(reply.text)
		: reply.calls.reduce((n, c) => n + words(c.arguments) + 1, 0);
}

function callId(ids: Ids, i: number): string {
	return `call_${ids.hash.slice(0, 20)}${i}`;
}

/** Pieces a streamed text arrives in (word by word, spaces kept). */
function pieces(text: string): string[] {
	return text.match(/\S+\s*|\s+/g) ?? [];
}

export function chatCompletion(reply: TextOrCalls, ids: Ids): Record<string, unknown> {
	const completion = outputTokens(reply);
	const message =
		reply.kind === 'text'
			? { role: 'assistant', content: reply.text, refusal: null }
			: {
					role: 'assistant',
					content: null,
					refusal: null,
					tool_calls: reply.calls.map((c, i) => ({
						id: callId(ids, i),
						type: 'function',
						function: { name: c.name, arguments: c.arguments },
					})),
				};
	return {
		id: `chatcmpl-standin-${ids.hash.slice(0, 24)}`,
		object: 'chat.completion',
		created: ids.created,
		model: STAND_IN_MODEL,
		system_fingerprint: FINGERPRINT,
		choices: [
			{
				index: 0,
				message,
				logprobs: null,
				finish_reason: reply.kind === 'text' ? 'stop' : 'tool_calls',
			},
		],
		usage: {
			prompt_tokens: ids.promptTokens,
			completion_tokens: completion,
			total_tokens: ids.promptTokens + completion,
		},
	};
}

export function chatCompletionChunks(
	reply: TextOrCalls,
	ids: Ids,
	includeUsage: boolean,
): Array<Record<string, unknown>> {
	const base = {
		id: `chatcmpl-standin-${ids.hash.slice(0, 24)}`,
		object: 'chat.completion.chunk',
		created: ids.created,
		model: STAND_IN_MODEL,
		system_fingerprint: FINGERPRINT,
	};
	const chunk = (
		delta: Record<string, unknown>,
		finish: string | null = null,
	): Record<string, unknown> => ({
		...base,
		choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
	});
	const out = [
		chunk({ role: 'assistant', content: reply.kind === 'text' ? '' : null, refusal: null }),
	];
	if (reply.kind === 'text') {
		for (const p of pieces(reply.text)) out.push(chunk({ content: p }));
	} else {
		reply.calls.forEach((c, index) => {
			out.push(
				chunk({
					tool_calls: [
						{
							index,
							id: callId(ids, index),
							type: 'function',
							function: { name: c.name, arguments: '' },
						},
					],
				}),
			);
			// Arguments in two deltas, as the service splits them.
			const half = Math.ceil(c.arguments.length / 2);
			for (const part of [c.arguments.slice(0, half), c.arguments.slice(half)]) {
				if (part) out.push(chunk({ tool_calls: [{ index, function: { arguments: part } }] }));
			}
		});
	}
	out.push(chunk({}, reply.kind === 'text' ? 'stop' : 'tool_calls'));
	if (includeUsage) {
		const completion = outputTokens(reply);
		out.push({
			...base,
			choices: [],
			usage: {
				prompt_tokens: ids.promptTokens,
				completion_tokens: completion,
				total_tokens: ids.promptTokens + completion,
			},
		});
	}
	return out;
}

function responseItems(reply: TextOrCalls, ids: Ids): Array<Record<string, unknown>> {
	if (reply.kind === 'text') {
		return [
			{
				type: 'message',
				id: `msg_standin_${ids.hash.slice(0, 24)}`,
				status: 'completed',
				role: 'assistant',
				content: [{ type: 'output_text', text: reply.text, annotations: [] }],
			},
		];
	}
	return reply.calls.map((c, i) => ({
		type: 'function_call',
		id: `fc_standin_${ids.hash.slice(0, 20)}${i}`,
		call_id: callId(ids, i),
		name: c.name,
		arguments: c.arguments,
		status: 'completed',
	}));
}

export function response(
	reply: TextOrCalls,
	ids: Ids,
	request: Record<string, unknown>,
	status = 'completed',
): Record<string, unknown> {
	const completion = outputTokens(reply);
	const done = status === 'completed';
	return {
		id: `resp_standin_${ids.hash.slice(0, 24)}`,
		object: 'response',
		created_at: ids.created,
		status,
		model: STAND_IN_MODEL,
		system_fingerprint: FINGERPRINT,
		output: done ? responseItems(reply, ids) : [],
		output_text: done && reply.kind === 'text' ? reply.text : '',
		error: null,
		incomplete_details: null,
		instructions: request.instructions ?? null,
		metadata: {},
		parallel_tool_calls: request.parallel_tool_calls ?? true,
		temperature: request.temperature ?? null,
		top_p: request.top_p ?? null,
		tool_choice: request.tool_choice ?? 'auto',
		tools: request.tools ?? [],
		text: request.text ?? { format: { type: 'text' } },
		usage: done
			? {
					input_tokens: ids.promptTokens,
					input_tokens_details: { cached_tokens: 0 },
					output_tokens: completion,
					output_tokens_details: { reasoning_tokens: 0 },
					total_tokens: ids.promptTokens + completion,
				}
			: null,
	};
}

/** Responses stream: created, in_progress, per item added / deltas / done, completed. */
export function responseEvents(
	reply: TextOrCalls,
	ids: Ids,
	request: Record<string, unknown>,
): Array<Record<string, unknown>> {
	const events: Array<Record<string, unknown>> = [];
	const push = (type: string, data: Record<string, unknown>): void => {
		events.push({ type, sequence_number: events.length, ...data });
	};
	push('response.created', { response: response(reply, ids, request, 'in_progress') });
	push('response.in_progress', { response: response(reply, ids, request, 'in_progress') });
	responseItems(reply, ids).forEach((item, output_index) => {
		const itemId = item.id as string;
		if (item.type === 'message') {
			const text = reply.kind === 'text' ? reply.text : '';
			push('response.output_item.added', {
				output_index,
				item: { ...item, status: 'in_progress', content: [] },
			});
			push('response.content_part.added', {
				item_id: itemId,
				output_index,
				content_index: 0,
				part: { type: 'output_text', text: '', annotations: [] },
			});
			for (const delta of pieces(text))
				push('response.output_text.delta', {
					item_id: itemId,
					output_index,
					content_index: 0,
					delta,
					logprobs: [],
				});
			push('response.output_text.done', {
				item_id: itemId,
				output_index,
				content_index: 0,
				text,
				logprobs: [],
			});
			push('response.content_part.done', {
				item_id: itemId,
				output_index,
				content_index: 0,
				part: { type: 'output_text', text, annotations: [] },
			});
		} else {
			const args = item.arguments as string;
			push('response.output_item.added', {
				output_index,
				item: { ...item, status: 'in_progress', arguments: '' },
			});
			const half = Math.ceil(args.length / 2);
			for (const delta of [args.slice(0, half), args.slice(half)]) {
				if (delta)
					push('response.function_call_arguments.delta', { item_id: itemId, output_index, delta });
			}
			push('response.function_call_arguments.done', {
				item_id: itemId,
				output_index,
				arguments: args,
			});
		}
		push('response.output_item.done', { output_index, item });
	});
	push('response.completed', { response: response(reply, ids, request) });
	return events;
}
