/** ACS-shaped errors: `{"error":{"code","message","target"?}}` with the HTTP status the service uses. */
export class AcsError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
		readonly target?: string,
		readonly headers: Record<string, string> = {},
	) {
		super(message);
		this.name = 'AcsError';
	}

	toBody(): { error: { code: string; message: string; target?: string } } {
		return {
			error: {
				code: this.code,
				message: this.message,
				...(this.target ? { target: this.target } : {}),
			},
		};
	}
}

/** 400/8523: invalid argument; the message names the field the way a developer wrote it in the body. */
export function invalidField(field: string, problem: string): AcsError {
	return new AcsError(400, '8523', `Invalid request: '${field}' ${problem}.`, field);
}

export function badRequest(message: string, code = '8523', target?: string): AcsError {
	return new AcsError(400, code, message, target);
}

export function notFound(message: string): AcsError {
	return new AcsError(404, '8522', message);
}

export function unauthorized(message: string): AcsError {
	return new AcsError(401, '7509', `HMAC validation failed: ${message}`);
}
