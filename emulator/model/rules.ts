/**
 * The stand-in's deterministic replies, decided from the conversation alone (same request → same reply).
 * The phrases are documented in emulator/README.md ("Model stand-in"); keep the two in step.
 */
import type { Conversation, Message, ToolSpec } from './conversation';

export type Reply =
	| { kind: 'text'; text: string }
	| { kind: 'toolCalls'; calls: Array<{ name: string; arguments: string }> }
	| { kind: 'error'; status: number; message: string };

const PERSON = /\b(person|human|agent|operator|someone|somebody|representative|real person)\b/i;
const BYE = /\b(bye|goodbye|good bye|that'?s all|that is all|nothing else)\b/i;
const TRANSFER_TOOL = /transfer/i;
const END_TOOL = /hang[\s_-]?up|end[\s_-]?(the[\s_-]?)?call|terminate|end[\s_-]?conversation/i;
const LOOKUP_TOOL = /hours|opening|appointment|look[\s_-]?up/i;
const LOOKUP_QUESTION =
	/\b(hours?|open|opening|close|closing|appointments?|available|availability|slots?|book|booking)\b/i;
const WEEKDAY = /\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow)\b/i;
const RESCHEDULE =
	/\b(reschedule|re-schedule|another day|different day|other day|another time|different time|move it|change the (date|day))\b/i;
const CONFIRM = /\b(yes|yeah|yep|yup|sure|correct|confirm|confirmed|that works)\b/i;
const NAME_IS = /\bmy name is\s+([a-z][\w'-]*(?:\s+[A-Z][\w'-]*)?)/i;
const ASK_NAME = /\bwhat(?:'s| is) my name\b/i;
const E164 = /\+\d{7,15}/;
/** A failed tool's result as n8n hands it back: `There was an error: …` (in `[{"response": …}]` on n8n 1.x), or `[{"error": …}]` (2.x). */
const TOOL_ERROR = /^\W*(\{\s*"response"\s*:\s*")?there was an error\b|^\s*\[?\s*\{\s*"error"\s*:/i;
export const TOOL_APOLOGY = "I'm sorry, I could not check that just now.";

function normalize(text: string): string {
	return text.replace(/[\u2018\u2019]/g, "'");
}

function capitalize(word: string): string {
	return word.charAt(0).toUpperCase() + word.slice(1);
}

function lastUserText(messages: Message[]): string {
	for (let i = messages.length - 1; i >= 0; i--)
		if (messages[i].role === 'user') return normalize(messages[i].text.trim());
	return '';
}

function systemText(messages: Message[]): string {
	return messages
		.filter((m) => m.role === 'system')
		.map((m) => m.text)
		.join('\n');
}

function rememberedName(messages: Message[]): string | undefined {
	let name: string | undefined;
	for (const m of messages) {
		// A conversation's history may come as chat messages or as a transcript in the system prompt.
		if (m.role !== 'user' && m.role !== 'system') continue;
		const match = NAME_IS.exec(normalize(m.text));
		if (match) name = match[1].split(/\s+/).map(capitalize).join(' ');
	}
	return name;
}

function toolText(t: ToolSpec): string {
	return `${t.name} ${t.description}`;
}

/** Argument values from the tool's JSON schema: enum → the value the caller said (else the first), etc. */
export function fillArguments(
	tool: ToolSpec,
	conv: Conversation,
	said: string,
): Record<string, unknown> {
	const props = (tool.parameters.properties ?? {}) as Record<string, Record<string, unknown>>;
	const all = conv.messages.map((m) => m.text).join('\n');
	const args: Record<string, unknown> = {};
	for (const [key, schema] of Object.entries(props)) {
		const hint = `${key} ${typeof schema.description === 'string' ? schema.description : ''}`;
		const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
		if (Array.isArray(schema.enum) && schema.enum.length) {
			args[key] =
				schema.enum.find((v) => said.toLowerCase().includes(String(v).toLowerCase())) ??
				schema.enum[0];
		} else if (schema.default !== undefined) {
			args[key] = schema.default;
		} else if (type === 'number' || type === 'integer') {
			args[key] = 1;
		} else if (type === 'boolean') {
			args[key] = true;
		} else if (type === 'array') {
			args[key] = [];
		} else if (type === 'object') {
			args[key] = {};
		} else if (/phone|number|target|destination|transfer/i.test(hint)) {
			args[key] = E164.exec(systemText(conv.messages))?.[0] ?? E164.exec(all)?.[0] ?? '';
		} else if (/\b(day|date|when)\b/i.test(hint.replace(/_/g, ' '))) {
			args[key] = capitalize(WEEKDAY.exec(said)?.[1]?.toLowerCase() ?? '');
		} else if (/name/i.test(hint)) {
			args[key] = rememberedName(conv.messages) ?? '';
		} else {
			args[key] = said;
		}
	}
	return args;
}

function callTool(tool: ToolSpec, conv: Conversation, said: string): Reply {
	return {
		kind: 'toolCalls',
		calls: [{ name: tool.name, arguments: JSON.stringify(fillArguments(tool, conv, said)) }],
	};
}

/** The tool call a trailing tool result answers (by call id). */
function answeredTool(messages: Message[], result: Message): string | undefined {
	for (const m of messages)
		for (const c of m.toolCalls ?? []) if (c.id === result.toolCallId) return c.name;
	return undefined;
}

function afterToolResult(conv: Conversation, result: Message): Reply {
	const name = answeredTool(conv.messages, result) ?? '';
	const tool = conv.tools.find((t) => t.name === name);
	const what = tool ? toolText(tool) : name;
	if (TRANSFER_TOOL.test(what))
		return { kind: 'text', text: 'I am transferring you now. Please hold.' };
	if (END_TOOL.test(what)) return { kind: 'text', text: 'Thank you for calling. Goodbye!' };
	// A tool that failed (n8n's AI Agent 3 hands the error back as the tool's result): apologise, as a model would.
	if (TOOL_ERROR.test(result.text)) return { kind: 'text', text: TOOL_APOLOGY };
	const quoted = result.text.trim().slice(0, 500);
	return { kind: 'text', text: `Here is what I found: ${quoted}` };
}

const INTENTS: Array<[string, RegExp]> = [
	['transfer', PERSON],
	['reschedule', RESCHEDULE],
	['confirm', CONFIRM],
	['appointment', /\b(appointment|book|booking|reservation|table)\b/i],
	['hours', /\b(hours?|open|opening|close|closing)\b/i],
	['cancel', /\bcancel/i],
	['complaint', /\b(complain|complaint|refund|broken|angry)\b/i],
	['order', /\border\b/i],
];

/** `{"summary","intent","followUp"}` from the transcript the summary request carries. */
export function summarize(conv: Conversation): {
	summary: string;
	intent: string;
	followUp: boolean;
} {
	const transcript = normalize(
		conv.messages
			.filter((m) => m.role === 'user')
			.map((m) => m.text)
			.join('\n'),
	);
	const tagged = transcript
		.split(/\r?\n/)
		.map((l) => /^\s*(?:caller|user|customer|human)\s*[:-]\s*(.+)$/i.exec(l)?.[1]?.trim())
		.filter((l): l is string => !!l);
	const said = tagged.length
		? tagged
		: transcript
				.split(/\r?\n/)
				.map((l) => l.trim())
				.filter(Boolean);
	const text = said.join(' ');
	const intent = INTENTS.find(([, re]) => re.test(text))?.[0] ?? 'general';
	const followUp =
		['transfer', 'reschedule', 'complaint'].includes(intent) ||
		/\b(call (me )?back|callback|follow[\s-]?up)\b/i.test(text);
	const summary = said.length
		? `The caller said: ${said.map((s) => `"${s}"`).join(' ')}`.slice(0, 400)
		: 'The caller said nothing.';
	return { summary, intent, followUp };
}

export function decide(conv: Conversation): Reply {
	const { messages, tools } = conv;
	const said = lastUserText(messages);
	const last = messages[messages.length - 1];
	if (/\bmodel error\b/i.test(said)) {
		return {
			kind: 'error',
			status: 500,
			message: 'The stand-in model was asked to fail ("model error" in the caller text).',
		};
	}
	if (/\bempty answer\b/i.test(said)) return { kind: 'text', text: '' };
	const system = systemText(messages);
	if (/summar/i.test(system) && (/json/i.test(system) || conv.wantsJson))
		return { kind: 'text', text: JSON.stringify(summarize(conv)) };
	if (last?.role === 'tool') return afterToolResult(conv, last);

	const transfer = tools.find((t) => TRANSFER_TOOL.test(toolText(t)));
	if (transfer && PERSON.test(said)) return callTool(transfer, conv, said);
	// A transfer tool whose description also says "ends the call" is still a transfer tool.
	const end = tools.find((t) => !TRANSFER_TOOL.test(toolText(t)) && END_TOOL.test(toolText(t)));
	if (end && BYE.test(said)) return callTool(end, conv, said);
	const lookups = tools.filter(
		(t) =>
			!TRANSFER_TOOL.test(toolText(t)) &&
			!END_TOOL.test(toolText(t)) &&
			LOOKUP_TOOL.test(toolText(t)),
	);
	const topic = LOOKUP_QUESTION.exec(said)?.[1]?.toLowerCase();
	if (lookups.length && topic) {
		const stem = topic.replace(/s$/, '').slice(0, 4);
		return callTool(
			lookups.find((t) => toolText(t).toLowerCase().includes(stem)) ?? lookups[0],
			conv,
			said,
		);
	}

	if (ASK_NAME.test(said)) {
		const name = rememberedName(messages);
		return { kind: 'text', text: name ? `Your name is ${name}.` : 'I do not know your name yet.' };
	}
	const intro = NAME_IS.exec(said);
	if (intro)
		return {
			kind: 'text',
			text: `Nice to meet you, ${intro[1].split(/\s+/).map(capitalize).join(' ')}. How can I help?`,
		};
	const day = WEEKDAY.exec(said)?.[1];
	if (RESCHEDULE.test(said) || day) {
		return {
			kind: 'text',
			text: day
				? `No problem, I have moved your appointment to ${capitalize(day.toLowerCase())}.`
				: 'No problem. Which day would suit you better?',
		};
	}
	if (CONFIRM.test(said))
		return { kind: 'text', text: 'Thank you, your appointment is confirmed. Goodbye!' };
	if (BYE.test(said)) return { kind: 'text', text: 'Goodbye, and thank you for calling.' };
	if (!said) return { kind: 'text', text: 'Hello! How can I help you today?' };
	return { kind: 'text', text: `You said: "${said}". How can I help with that?` };
}
