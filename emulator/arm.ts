/**
 * Azure Resource Manager routes (Event Grid subscriptions on the resource) and the token endpoint.
 * Returns true when it handled the request; the router answers 404 otherwise.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorContext } from './context';

export async function handleArmRequest(
	_ctx: EmulatorContext,
	_req: IncomingMessage,
	_res: ServerResponse,
	_rawBody: Buffer,
): Promise<boolean> {
	return false;
}
