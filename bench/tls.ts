/**
 * `--tls`: an HTTPS front for the emulator (which speaks plain HTTP), so clients pay what they pay against the
 * real service: a TLS handshake per new connection. A self-signed certificate for 127.0.0.1, made with openssl
 * and trusted by the scenario processes through NODE_EXTRA_CA_CERTS (certificate checks stay on).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:tls';

export interface TlsFront {
	/** `https://127.0.0.1:<port>/` */
	url: string;
	/** PEM file to trust (NODE_EXTRA_CA_CERTS). */
	caFile: string;
	/** TLS connections accepted so far (each one a full handshake: no session resumption here). */
	connections(): number;
	close(): Promise<void>;
}

export async function startTlsFront(targetPort: number): Promise<TlsFront> {
	const dir = mkdtempSync(join(tmpdir(), 'acs-bench-tls-'));
	const keyFile = join(dir, 'key.pem');
	const certFile = join(dir, 'cert.pem');
	execFileSync(
		'openssl',
		[
			'req',
			'-x509',
			'-newkey',
			'rsa:2048',
			'-nodes',
			'-keyout',
			keyFile,
			'-out',
			certFile,
			'-days',
			'2',
			'-subj',
			'/CN=127.0.0.1',
			'-addext',
			'subjectAltName=IP:127.0.0.1',
			'-addext',
			'basicConstraints=critical,CA:TRUE',
		],
		{ stdio: 'ignore' },
	);
	let accepted = 0;
	const sockets = new Set<Socket>();
	const server = createServer(
		{ key: readFileSync(keyFile), cert: readFileSync(certFile) },
		(client) => {
			accepted++;
			const upstream = connect(targetPort, '127.0.0.1');
			for (const s of [client, upstream]) {
				sockets.add(s);
				s.on('close', () => sockets.delete(s));
				s.on('error', () => {
					client.destroy();
					upstream.destroy();
				});
			}
			client.pipe(upstream).pipe(client);
		},
	);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as AddressInfo).port;
	return {
		url: `https://127.0.0.1:${port}/`,
		caFile: certFile,
		connections: () => accepted,
		async close() {
			for (const s of sockets) s.destroy();
			await new Promise<void>((resolve) => server.close(() => resolve()));
			rmSync(dir, { recursive: true, force: true });
		},
	};
}
