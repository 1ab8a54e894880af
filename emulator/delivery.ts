/** Outbound webhook POSTs over keep-alive connections, with retries and short exponential back-off. */
import http from 'node:http';
import https from 'node:https';

export interface Agents {
	http: http.Agent;
	https: https.Agent;
}

export function createAgents(): Agents {
	return {
		http: new http.Agent({ keepAlive: true, maxSockets: 64 }),
		https: new https.Agent({ keepAlive: true, maxSockets: 64 }),
	};
}

export interface PostResult {
	ok: boolean;
	status?: number;
	error?: string;
	body?: string;
	headers?: http.IncomingHttpHeaders;
}

export function post(
	url: string,
	body: string,
	headers: Record<string, string>,
	timeoutMs: number,
	agents: Agents,
	method = 'POST',
): Promise<PostResult> {
	return new Promise((resolve) => {
		let target: URL;
		try {
			target = new URL(url);
		} catch {
			resolve({ ok: false, error: `invalid URL ${url}` });
			return;
		}
		const isHttps = target.protocol === 'https:';
		const req = (isHttps ? https : http).request(
			target,
			{
				method,
				agent: isHttps ? agents.https : agents.http,
				headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
				timeout: timeoutMs,
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () => {
					const status = res.statusCode ?? 0;
					resolve({
						ok: status >= 200 && status < 300,
						status,
						body: Buffer.concat(chunks).toString('utf8'),
						headers: res.headers,
					});
				});
				res.on('error', (e) => resolve({ ok: false, status: res.statusCode, error: e.message }));
			},
		);
		req.on('timeout', () => req.destroy(new Error(`no response within ${timeoutMs} ms`)));
		req.on('error', (e) => resolve({ ok: false, error: e.message }));
		req.end(body);
	});
}

/** Retry on network errors, 408, 429 and 5xx — other 4xx mean the receiver rejected the event. */
export function retryable(result: PostResult): boolean {
	if (result.ok) return false;
	const s = result.status;
	return s === undefined || s === 408 || s === 429 || s >= 500;
}

export function isLoopback(url: string): boolean {
	try {
		const host = new URL(url).hostname;
		return host === 'localhost' || host === '[::1]' || host === '::1' || host.startsWith('127.');
	} catch {
		return false;
	}
}

export function closeAgents(agents: Agents): void {
	agents.http.destroy();
	agents.https.destroy();
}
