/**
 * Requests for recording files on ACS's storage host. They are signed with the access key as if they went
 * to the ACS endpoint (`x-ms-host`, storage path) and sent to the storage host, as the SDK's
 * contentDownloader does. The credential's own `authenticate` never signs for another host: this is the
 * one narrow path that does, and only after `checkRecordingUrl` accepted the URL.
 */
import type { IExecuteFunctions, IHttpRequestMethods, IN8nHttpFullResponse } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { parseConnectionString } from '../../../acs/connectionString';
import { recordingUrlOrProblem } from '../helpers/recordingUrl';
import { signRequest } from '../../../acs/signing';
import { CREDENTIAL_NAME } from './endpoint';
import { acsError } from './errors';

/** The response body as a stream, the form prepareBinaryData takes without buffering it. */
type BodyStream = Exclude<Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0], Buffer>;

export interface RecordingFileRequest {
	method: Extract<IHttpRequestMethods, 'GET' | 'DELETE'>;
	url: string;
	/** Names the field in errors. */
	label: string;
	itemIndex: number;
	timeoutMs?: number;
}

async function readAll(stream: BodyStream): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of stream as AsyncIterable<Buffer | string>)
		chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
	return Buffer.concat(chunks);
}

/** Sends one signed recording request; the body comes back as a stream (download) or is drained. */
export async function recordingFileRequest(
	ctx: IExecuteFunctions,
	request: RecordingFileRequest,
): Promise<{ statusCode: number; headers: Record<string, string>; body: BodyStream }> {
	const credentials = await ctx.getCredentials(CREDENTIAL_NAME);
	const { endpoint, key } = parseConnectionString(credentials.connectionString);
	// Event data chose this URL: it is checked before anything is signed.
	const url = recordingUrlOrProblem(request.url, endpoint, request.label);
	if (typeof url === 'string')
		throw new NodeOperationError(ctx.getNode(), url, { itemIndex: request.itemIndex });
	const acs = new URL(endpoint);
	// The SDK signs the ACS origin plus the storage path, without the query.
	const signed = signRequest({ method: request.method, url: `${acs.origin}${url.pathname}`, key });
	const response = (await ctx.helpers.httpRequest({
		method: request.method,
		url: url.href,
		headers: { accept: 'application/json', 'x-ms-host': acs.host, ...signed },
		encoding: 'stream',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		// A redirect would carry the signed headers to a host nobody checked.
		disableFollowRedirect: true,
		timeout: request.timeoutMs ?? 120_000,
	})) as IN8nHttpFullResponse & { body: BodyStream };
	const ok =
		request.method === 'GET'
			? response.statusCode === 200 || response.statusCode === 206
			: response.statusCode === 200;
	if (!ok) {
		const text = (await readAll(response.body)).toString('utf8').slice(0, 2000);
		let parsed: unknown = text;
		try {
			const json = JSON.parse(text) as { message?: string; error?: unknown };
			parsed = json.error
				? json
				: { error: { code: String(response.statusCode), message: json.message ?? text } };
		} catch {
			// not JSON: the text is the message
		}
		throw acsError(ctx, response.statusCode, parsed, request.itemIndex);
	}
	return {
		statusCode: response.statusCode,
		headers: response.headers as Record<string, string>,
		body: response.body,
	};
}

export { readAll };
