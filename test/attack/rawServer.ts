/**
 * A loopback HTTP server that keeps each request exactly as it came off the socket (request line,
 * header lines, body bytes), so a test can see whether a user value reached a header. One request per
 * connection; answers what `answer` says.
 */
import { createServer, type AddressInfo, type Socket } from 'node:net';

export interface RawRequest {
	requestLine: string;
	/** Header lines as sent, in order, without the line break. */
	headerLines: string[];
	/** Lower-cased header names. */
	headerNames: string[];
	headers: Record<string, string>;
	body: string;
}

export interface RawAnswer {
	status: number;
	contentType?: string;
	body?: string;
}

export interface RawServer {
	url: string;
	port: number;
	requests: RawRequest[];
	close(): Promise<void>;
}

const HEAD_END = '\r\n\r\n';

export async function startRawServer(
	answer: (request: RawRequest) => RawAnswer,
): Promise<RawServer> {
	const requests: RawRequest[] = [];
	const sockets = new Set<Socket>();
	const server = createServer((socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		socket.on('error', () => socket.destroy());
		let buffer = Buffer.alloc(0);
		socket.on('data', (chunk: Buffer) => {
			buffer = Buffer.concat([buffer, chunk]);
			// A TLS ClientHello on this plain port: answer like any HTTP server would, so the client fails at once.
			if (buffer[0] === 0x16) {
				socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
				return;
			}
			const end = buffer.indexOf(HEAD_END);
			if (end < 0) return;
			const [requestLine, ...headerLines] = buffer
				.subarray(0, end)
				.toString('latin1')
				.split('\r\n');
			const headers: Record<string, string> = {};
			for (const line of headerLines) {
				const colon = line.indexOf(':');
				headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
			}
			const length = Number(headers['content-length'] ?? 0);
			const body = buffer.subarray(end + HEAD_END.length);
			if (body.length < length) return;
			const request: RawRequest = {
				requestLine,
				headerLines,
				headerNames: Object.keys(headers),
				headers,
				body: body.subarray(0, length).toString('utf8'),
			};
			requests.push(request);
			const reply = answer(request);
			const payload = Buffer.from(reply.body ?? '', 'utf8');
			socket.end(
				Buffer.concat([
					Buffer.from(
						`HTTP/1.1 ${reply.status} Status\r\ncontent-type: ${reply.contentType ?? 'application/json'}\r\n` +
							`content-length: ${payload.length}\r\nconnection: close\r\n\r\n`,
						'latin1',
					),
					payload,
				]),
			);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/`,
		port,
		requests,
		async close() {
			for (const socket of sockets) socket.destroy();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

/** A port nothing listens on: bound, then released. */
export async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}
