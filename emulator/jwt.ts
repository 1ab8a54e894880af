/** The emulator's own token issuer: RS256 callback JWTs, OpenID configuration and JWKS like ACS publishes. */
import { generateKeyPair, randomUUID, sign, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';

const generateKeyPairAsync = promisify(generateKeyPair);
const TOKEN_LIFETIME_S = 300;
// A token is reused for a few seconds: RSA signing per event would dominate event-heavy benchmark runs.
const TOKEN_REUSE_S = 10;

function b64url(data: Buffer | string): string {
	return Buffer.from(data).toString('base64url');
}

export class JwtIssuer {
	private cached?: { token: string; iat: number };

	private constructor(
		private readonly privateKey: KeyObject,
		readonly publicJwk: Record<string, unknown>,
		readonly kid: string,
		readonly issuer: string,
		readonly audience: string,
	) {}

	static async create(issuer: string, audience: string): Promise<JwtIssuer> {
		const { privateKey, publicKey } = await generateKeyPairAsync('rsa', { modulusLength: 2048 });
		const kid = randomUUID();
		const jwk = publicKey.export({ format: 'jwk' });
		return new JwtIssuer(
			privateKey,
			{ ...jwk, kid, use: 'sig', alg: 'RS256' },
			kid,
			issuer,
			audience,
		);
	}

	token(now = Date.now()): string {
		const iat = Math.floor(now / 1000);
		if (this.cached && iat - this.cached.iat < TOKEN_REUSE_S) return this.cached.token;
		const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: this.kid }));
		const claims = b64url(
			JSON.stringify({
				iss: this.issuer,
				aud: this.audience,
				iat,
				nbf: iat,
				exp: iat + TOKEN_LIFETIME_S,
				jti: randomUUID(),
			}),
		);
		const signature = sign('RSA-SHA256', Buffer.from(`${header}.${claims}`), this.privateKey);
		const token = `${header}.${claims}.${b64url(signature)}`;
		this.cached = { token, iat };
		return token;
	}

	openIdConfiguration(): Record<string, unknown> {
		return {
			issuer: this.issuer,
			jwks_uri: `${this.issuer}/calling/keys`,
			id_token_signing_alg_values_supported: ['RS256'],
			token_endpoint_auth_signing_alg_values_supported: ['RS256'],
		};
	}

	jwks(): { keys: Array<Record<string, unknown>> } {
		return { keys: [this.publicJwk] };
	}
}
