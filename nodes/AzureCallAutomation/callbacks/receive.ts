/**
 * Receiving a delivery, the same way wherever ACS posts: prove the request (token or secret) before the
 * body is read, read it strictly, then check that what was proved covers every event in it.
 */
import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { AuthError, authorizeEvents, proveRequest, type AuthSettings } from './authenticate';
import { BodyError, parseEvents, readBody, type ReceivedEvent } from './body';
import { header, refuse, type ResponseLike } from './http';

export type Received =
	| { events: ReceivedEvent[]; refused?: undefined }
	| { events?: undefined; refused: IWebhookResponseData };

const BODY_CODES: Record<number, string> = {
	413: 'RequestEntityTooLarge',
	415: 'UnsupportedMediaType',
};

/**
 * The delivery's events once authenticated; otherwise the refusal (401/403/400/413/415), already written
 * to the response. `query` is what the secret is looked for in (none for a waiting step's URL).
 */
export async function receiveEvents(
	ctx: IWebhookFunctions,
	settings: AuthSettings,
	query: IDataObject,
): Promise<Received> {
	const req = ctx.getRequestObject() as unknown as {
		headers?: Record<string, unknown>;
		body: unknown;
		rawBody?: unknown;
	};
	const res = ctx.getResponseObject() as unknown as ResponseLike;
	const headers = req.headers ?? {};
	try {
		const proof = await proveRequest(
			{ headers, query },
			settings,
			async (url) => await ctx.helpers.httpRequest({ method: 'GET', url, json: true }),
		);
		const events = parseEvents(readBody(header(headers, 'content-type'), req.body, req.rawBody));
		authorizeEvents(events, proof, settings);
		return { events };
	} catch (error) {
		if (error instanceof AuthError)
			return { refused: refuse(res, error.status, error.code, error.message) };
		if (error instanceof BodyError)
			return {
				refused: refuse(
					res,
					error.status,
					BODY_CODES[error.status] ?? 'InvalidBody',
					error.message,
				),
			};
		throw new NodeOperationError(ctx.getNode(), error as Error);
	}
}
