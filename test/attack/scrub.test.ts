/**
 * An HTTP client error carries the request it failed on, signed headers included (axios keeps
 * `config.headers`; its toJSON serialises them). The transport scrubs that before an error can reach
 * execution data. Real axios (the client under n8n's helpers), a real refused loopback connection.
 */
import axios, { type AxiosError } from 'axios';

import { signRequest } from '../../acs/signing';
import { scrubRequestError } from '../../nodes/AzureCallAutomation/helpers/scrub';
import { closedPort } from './rawServer';

const KEY = Buffer.from('attack-scrub-secret-key-0123456789');

async function failedRequest(): Promise<{ error: AxiosError; signature: string }> {
	const url = `http://127.0.0.1:${await closedPort()}/calling/callConnections/c?api-version=2026-03-12`;
	const headers = signRequest({ method: 'GET', url, key: KEY });
	const signature = headers.Authorization.split('Signature=')[1];
	try {
		await axios.get(url, { headers: { ...headers } });
	} catch (error) {
		return { error: error as AxiosError, signature };
	}
	throw new Error('the request to a closed port succeeded');
}

const serialised = (value: unknown) => {
	const seen = new Set<object>();
	return JSON.stringify(value, (_k, v: unknown) => {
		if (typeof v === 'object' && v !== null) {
			if (seen.has(v)) return '[circular]';
			seen.add(v);
		}
		return v;
	});
};

describe('transport errors are scrubbed of the signed request', () => {
	it('an axios error holds the signature until scrubbed; its code stays for the retry logic', async () => {
		const { error, signature } = await failedRequest();
		expect(serialised(error)).toContain(signature);
		scrubRequestError(error);
		expect(serialised(error)).not.toContain(signature);
		expect(serialised(error)).not.toContain('Signature=');
		expect(error.config).toBeUndefined();
		expect(error.code).toBe('ECONNREFUSED');
	});

	it('a wrapped error (cause / errorResponse) is scrubbed too', async () => {
		const { error, signature } = await failedRequest();
		const wrapper = Object.assign(new Error('wrapped'), { cause: { errorResponse: error } });
		scrubRequestError(wrapper);
		expect(serialised(wrapper)).not.toContain(signature);
		expect(serialised({ ...wrapper, cause: wrapper.cause })).not.toContain('Signature=');
	});
});
