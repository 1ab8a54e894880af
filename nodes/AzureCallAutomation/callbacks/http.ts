/**
 * The HTTP answers of receiving ACS requests, shared by the trigger and the steps that wait for an
 * outcome: the one JSON reply writer, small fixed refusals, and header reading.
 */
import type { IWebhookResponseData } from 'n8n-workflow';

export interface ResponseLike {
	writeHead(status: number, headers: Record<string, string>): unknown;
	end(body?: string): unknown;
	headersSent?: boolean;
}

export function reply(
	res: ResponseLike,
	status: number,
	body?: unknown,
	headers: Record<string, string> = {},
): IWebhookResponseData {
	if (!res.headersSent) {
		if (body === undefined) {
			res.writeHead(status, { ...headers, 'content-length': '0' });
			res.end();
		} else {
			const text = JSON.stringify(body);
			res.writeHead(status, {
				...headers,
				'content-type': 'application/json; charset=utf-8',
				'content-length': String(Buffer.byteLength(text)),
			});
			res.end(text);
		}
	}
	return { noWebhookResponse: true };
}

export function refuse(
	res: ResponseLike,
	status: number,
	code: string,
	message: string,
): IWebhookResponseData {
	const headers: Record<string, string> = status === 401 ? { 'www-authenticate': 'Bearer' } : {};
	return reply(res, status, { error: { code, message } }, headers);
}

export function header(headers: Record<string, unknown>, name: string): string | undefined {
	const v = headers[name];
	return typeof v === 'string'
		? v
		: Array.isArray(v) && typeof v[0] === 'string'
			? v[0]
			: undefined;
}
