/** Response writers shared by the routers. */
import type { ServerResponse } from 'node:http';
import type { AcsError } from './errors';

export function sendJson(
	res: ServerResponse,
	status: number,
	body?: unknown,
	headers: Record<string, string> = {},
): void {
	if (res.headersSent || res.destroyed) return;
	if (body === undefined) {
		res.writeHead(status, { ...headers, 'content-length': '0' });
		res.end();
		return;
	}
	const text = JSON.stringify(body);
	res.writeHead(status, {
		...headers,
		'content-type': 'application/json; charset=utf-8',
		'content-length': String(Buffer.byteLength(text)),
	});
	res.end(text);
}

export function sendError(res: ServerResponse, error: AcsError): void {
	sendJson(res, error.status, error.toBody(), error.headers);
}
