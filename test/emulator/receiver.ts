/**
 * A webhook receiver for emulator tests: collects callback events (verifying each bearer JWT against the
 * emulator's JWKS with node:crypto) and answers Event Grid handshakes when asked to.
 */
import { createHash, createHmac, createPublicKey, verify, type JsonWebKey } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
	path: string;
	method: string;
	headers: http.IncomingHttpHeaders;
	body: string;
	json: unknown;
	/** Verified JWT claims (undefined when no bearer token came). */
	claims?: Record<string, unknown>;
}

export interface ReceiverOptions {
	/** Answer the Event Grid SubscriptionValidation handshake (default true). */
	answerValidation?: boolean;
	/** Answer the CloudEvents OPTIONS handshake with WebHook-Allowed-Origin (default true). */
	allowCloudEvents?: boolean;
	/** Status to answer normal deliveries with (default 200); a function can vary it per request. */
	status?: number | ((r: Received) => number);
}

export interface Receiver {
	url: string;
	received: Received[];
	jwtErrors: string[];
	close(): Promise<void>;
}

async function fetchJson(url: string): Promise<any> {
	return new Promise((resolve, reject) => {
		http
			.get(url, (res) => {
				let text = '';
				res.on('data', (c) => (text += c));
				res.on('end', () => {
					try {
						resolve(JSON.parse(text));
					} catch (e) {
						reject(e);
					}
				});
			})
			.on('error', reject);
	});
}

/** Validates an RS256 JWT like an ACS webhook should: kid from the JWKS, signature, iss, aud, nbf/exp. */
export async function verifyAcsJwt(
	token: string,
	openIdConfigurationUrl: string,
	audience: string,
): Promise<Record<string, unknown>> {
	const config = await fetchJson(openIdConfigurationUrl);
	const jwks = await fetchJson(config.jwks_uri);
	const [h, p, s] = token.split('.');
	const header = JSON.parse(Buffer.from(h, 'base64url').toString());
	const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
	if (header.alg !== 'RS256') throw new Error(`alg ${header.alg}`);
	const jwk = jwks.keys.find((k: { kid: string }) => k.kid === header.kid) as
		| JsonWebKey
		| undefined;
	if (!jwk) throw new Error(`kid ${header.kid} not in JWKS`);
	const key = createPublicKey({ key: jwk, format: 'jwk' });
	if (!verify('RSA-SHA256', Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url')))
		throw new Error('bad signature');
	if (claims.iss !== config.issuer) throw new Error(`iss ${claims.iss} != ${config.issuer}`);
	if (claims.aud !== audience) throw new Error(`aud ${claims.aud} != ${audience}`);
	const now = Math.floor(Date.now() / 1000);
	if (!(claims.nbf <= now + 60 && claims.exp > now && claims.exp - claims.iat === 300))
		throw new Error('bad lifetime');
	return claims;
}

export async function startReceiver(
	emulator: { openIdConfigurationUrl: string; resourceId: string } | undefined,
	options: ReceiverOptions = {},
): Promise<Receiver> {
	const received: Received[] = [];
	const jwtErrors: string[] = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			void (async () => {
				const body = Buffer.concat(chunks).toString('utf8');
				let json: unknown;
				try {
					json = body ? JSON.parse(body) : undefined;
				} catch {
					json = undefined;
				}
				const entry: Received = {
					path: req.url ?? '',
					method: req.method ?? '',
					headers: req.headers,
					body,
					json,
				};
				if (req.method === 'OPTIONS') {
					received.push(entry);
					if (options.allowCloudEvents ?? true) {
						res.writeHead(200, {
							'WebHook-Allowed-Origin': 'eventgrid.azure.net',
							'WebHook-Allowed-Rate': '*',
							Allow: 'POST',
						});
					} else res.writeHead(405);
					res.end();
					return;
				}
				if (req.headers['aeg-event-type'] === 'SubscriptionValidation') {
					received.push(entry);
					if (options.answerValidation ?? true) {
						const code = (json as Array<{ data: { validationCode: string } }>)[0].data
							.validationCode;
						res.writeHead(200, { 'content-type': 'application/json' });
						res.end(JSON.stringify({ validationResponse: code }));
						return;
					}
					res.writeHead(400);
					res.end();
					return;
				}
				const auth = req.headers.authorization;
				if (auth?.startsWith('Bearer ') && emulator) {
					try {
						entry.claims = await verifyAcsJwt(
							auth.slice(7),
							emulator.openIdConfigurationUrl,
							emulator.resourceId,
						);
					} catch (e) {
						jwtErrors.push((e as Error).message);
					}
				}
				received.push(entry);
				const status =
					typeof options.status === 'function' ? options.status(entry) : (options.status ?? 200);
				res.writeHead(status);
				res.end();
			})();
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		received,
		jwtErrors,
		close: () =>
			new Promise((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}

/** A raw ACS-signed request (independent of the SDK and of the node's signer). */
export async function signedRequest(
	emulatorUrl: string,
	accessKey: string,
	method: string,
	pathAndQuery: string,
	body?: string | Buffer,
	extra: {
		headers?: Record<string, string>;
		date?: Date;
		signKey?: string;
		signPath?: string;
		signBody?: string;
	} = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; json: any; text: string }> {
	const url = new URL(pathAndQuery, emulatorUrl);
	const payload = body === undefined ? Buffer.alloc(0) : Buffer.from(body);
	const date = (extra.date ?? new Date()).toUTCString();
	const hash = createHash('sha256')
		.update(extra.signBody ?? payload)
		.digest('base64');
	const toSign = `${method}\n${extra.signPath ?? pathAndQuery}\n${date};${url.host};${hash}`;
	const signature = createHmac('sha256', Buffer.from(extra.signKey ?? accessKey, 'base64'))
		.update(toSign)
		.digest('base64');
	return new Promise((resolve, reject) => {
		const req = http.request(
			url,
			{
				method,
				headers: {
					'x-ms-date': date,
					'x-ms-content-sha256': hash,
					authorization: `HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=${signature}`,
					'content-type': 'application/json',
					'content-length': String(payload.length),
					...extra.headers,
				},
			},
			(res) => {
				let text = '';
				res.on('data', (c) => (text += c));
				res.on('end', () => {
					let json: unknown;
					try {
						json = text ? JSON.parse(text) : undefined;
					} catch {
						json = undefined;
					}
					resolve({ status: res.statusCode ?? 0, headers: res.headers, json, text });
				});
			},
		);
		req.on('error', reject);
		req.end(payload);
	});
}
