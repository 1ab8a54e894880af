/**
 * One view of a model request, whichever API sent it: chat completions (`messages`, `tools[].function`) or
 * Responses (`input` items, flat `tools[]`, `instructions`), as @langchain/openai (n8n's OpenAI Chat Model) sends them.
 */

export interface ToolSpec {
	name: string;
	description: string;
	/** JSON schema of the arguments (object). */
	parameters: Record<string, unknown>;
}

export interface Message {
	role: 'system' | 'user' | 'assistant' | 'tool';
	text: string;
	/** assistant: the tools it called; tool: the call it answers. */
	toolCalls?: Array<{ id: string; name: string; arguments: string }>;
	toolCallId?: string;
}

export interface Conversation {
	messages: Message[];
	tools: ToolSpec[];
	/** `response_format` / `text.format` asked for JSON. */
	wantsJson: boolean;
}

function isObject(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Text of a content field: a string or parts (`text`, `input_text`, `output_text`). */
export function textOf(content: unknown): string {
	if (typeof content === 'string') return content;
	if (!Array.isArray(content)) return '';
	return content
		.map((p) =>
			isObject(p) && typeof p.text === 'string' ? p.text : typeof p === 'string' ? p : '',
		)
		.filter(Boolean)
		.join('\n');
}

function role(value: unknown): Message['role'] {
	if (value === 'system' || value === 'developer') return 'system';
	if (value === 'assistant') return 'assistant';
	if (value === 'tool' || value === 'function') return 'tool';
	return 'user';
}

function toolSpec(raw: unknown): ToolSpec | undefined {
	if (!isObject(raw) || (raw.type !== undefined && raw.type !== 'function')) return undefined;
	const f = isObject(raw.function) ? raw.function : raw;
	if (typeof f.name !== 'string') return undefined;
	return {
		name: f.name,
		description: typeof f.description === 'string' ? f.description : '',
		parameters: isObject(f.parameters) ? f.parameters : {},
	};
}

function wantsJsonFormat(format: unknown): boolean {
	return isObject(format) && (format.type === 'json_object' || format.type === 'json_schema');
}

export function fromChatCompletions(body: Record<string, unknown>): Conversation {
	const messages: Message[] = [];
	for (const m of Array.isArray(body.messages) ? body.messages : []) {
		if (!isObject(m)) continue;
		const msg: Message = { role: role(m.role), text: textOf(m.content) };
		if (Array.isArray(m.tool_calls)) {
			msg.toolCalls = m.tool_calls.filter(isObject).map((c) => {
				const f = isObject(c.function) ? c.function : {};
				return {
					id: String(c.id ?? ''),
					name: String(f.name ?? ''),
					arguments: String(f.arguments ?? ''),
				};
			});
		}
		if (typeof m.tool_call_id === 'string') msg.toolCallId = m.tool_call_id;
		messages.push(msg);
	}
	return {
		messages,
		tools: (Array.isArray(body.tools) ? body.tools : [])
			.map(toolSpec)
			.filter((t): t is ToolSpec => !!t),
		wantsJson: wantsJsonFormat(body.response_format),
	};
}

export function fromResponses(body: Record<string, unknown>): Conversation {
	const messages: Message[] = [];
	if (typeof body.instructions === 'string' && body.instructions)
		messages.push({ role: 'system', text: body.instructions });
	const input =
		typeof body.input === 'string'
			? [{ type: 'message', role: 'user', content: body.input }]
			: Array.isArray(body.input)
				? body.input
				: [];
	for (const item of input) {
		if (!isObject(item)) continue;
		const type = item.type ?? 'message';
		if (type === 'message') {
			messages.push({ role: role(item.role), text: textOf(item.content) });
		} else if (type === 'function_call') {
			const call = {
				id: String(item.call_id ?? ''),
				name: String(item.name ?? ''),
				arguments: String(item.arguments ?? ''),
			};
			// Consecutive calls belong to one assistant turn.
			const last = messages[messages.length - 1];
			if (last?.role === 'assistant' && last.toolCalls) last.toolCalls.push(call);
			else messages.push({ role: 'assistant', text: '', toolCalls: [call] });
		} else if (type === 'function_call_output') {
			messages.push({
				role: 'tool',
				text: textOf(item.output),
				toolCallId: String(item.call_id ?? ''),
			});
		}
	}
	const text = isObject(body.text) ? body.text : {};
	return {
		messages,
		tools: (Array.isArray(body.tools) ? body.tools : [])
			.map(toolSpec)
			.filter((t): t is ToolSpec => !!t),
		wantsJson: wantsJsonFormat(text.format),
	};
}
