/** Inspection and control API for tests, people and the end-to-end run (no auth; loopback only). */
import type { ServerResponse } from 'node:http';
import { disconnectCall } from './calls';
import { heardOf, scriptCaller, setCallScript, type ScriptCallerInput } from './caller';
import type { EmulatorContext } from './context';
import { AcsError } from './errors';
import { pressKeys, recognizeTimeout, saySpeech } from './media';
import { sendJson } from './respond';
import { sendSampleEvent } from './sendEvent';
import type { FaultSettings } from './types';

export interface InspectionApi {
	snapshot(): unknown;
	reset(): void;
}

function parseJson(body: Buffer): Record<string, unknown> {
	if (body.length === 0) return {};
	try {
		const v = JSON.parse(body.toString('utf8')) as unknown;
		if (typeof v === 'object' && v !== null && !Array.isArray(v))
			return v as Record<string, unknown>;
	} catch {
		// fall through
	}
	throw new AcsError(400, 'BadRequest', 'The body must be a JSON object.');
}

function callerList(ctx: EmulatorContext): unknown[] {
	return [...ctx.store.callers].map(([number, script]) => ({ number, ...script }));
}

export async function handleInspection(
	ctx: EmulatorContext,
	api: InspectionApi,
	method: string,
	path: string,
	query: URLSearchParams,
	body: Buffer,
	res: ServerResponse,
): Promise<void> {
	try {
		const route = `${method} ${path.replace(/\/+$/, '')}`;
		const heard = /^GET \/__emulator\/calls\/([^/]+)\/heard$/.exec(route);
		if (heard) return sendJson(res, 200, heardOf(ctx, decodeURIComponent(heard[1])));
		const callAction =
			/^POST \/__emulator\/calls\/([^/]+)\/(keys|speech|recognize-timeout|hang-up|caller)$/.exec(
				route,
			);
		if (callAction) {
			const id = decodeURIComponent(callAction[1]);
			const input = parseJson(body);
			switch (callAction[2]) {
				case 'keys': {
					const tones = input.tones;
					if (typeof tones !== 'string' && !Array.isArray(tones))
						throw new AcsError(400, 'BadRequest', 'Send {"tones":"123#"}.');
					return sendJson(res, 200, pressKeys(ctx, id, tones as string | string[]));
				}
				case 'speech':
					if (typeof input.text !== 'string')
						throw new AcsError(400, 'BadRequest', 'Send {"text":"yes"}.');
					return sendJson(res, 200, { recognized: saySpeech(ctx, id, input.text) });
				case 'recognize-timeout':
					return sendJson(res, 200, { failed: recognizeTimeout(ctx, id) });
				case 'caller':
					setCallScript(ctx, id, input);
					return sendJson(res, 200, ctx.store.getCall(id).caller);
				default:
					disconnectCall(ctx, ctx.store.getCall(id), 'remote party hung up');
					return sendJson(res, 204);
			}
		}
		switch (route) {
			case 'GET /__emulator/state':
				return sendJson(res, 200, api.snapshot());
			case 'POST /__emulator/reset':
				api.reset();
				return sendJson(res, 204);
			case 'GET /__emulator/callers':
				return sendJson(res, 200, { callers: callerList(ctx) });
			case 'POST /__emulator/callers': {
				const input = parseJson(body) as unknown as ScriptCallerInput;
				scriptCaller(ctx, input);
				return sendJson(res, 200, { callers: callerList(ctx) });
			}
			case 'DELETE /__emulator/callers':
				ctx.store.callers.clear();
				return sendJson(res, 204);
			case 'GET /__emulator/faults':
				return sendJson(res, 200, ctx.faults.get());
			case 'POST /__emulator/faults':
				ctx.faults.set(parseJson(body) as FaultSettings);
				return sendJson(res, 200, ctx.faults.get());
			case 'POST /__emulator/incoming-call': {
				const input = parseJson(body);
				if (!input.from || !input.to)
					throw new AcsError(
						400,
						'BadRequest',
						'Send {"from":"+14255550123","to":"+18005550100"}.',
					);
				const result = await ctx.eventGrid.simulateIncomingCall(input as never);
				return sendJson(res, 200, result);
			}
			case 'POST /__emulator/send-event':
				return sendJson(res, 200, await sendSampleEvent(ctx, parseJson(body)));
			case 'GET /__emulator/eventgrid/subscriptions':
				return sendJson(res, 200, { value: ctx.eventGrid.list() });
			case 'POST /__emulator/eventgrid/subscriptions': {
				const input = parseJson(body);
				if (typeof input.endpointUrl !== 'string')
					throw new AcsError(400, 'BadRequest', 'Send {"endpointUrl":"http://…"}.');
				return sendJson(res, 201, await ctx.eventGrid.add(input as never));
			}
			case 'GET /__emulator/eventgrid/validate': {
				const ok = ctx.eventGrid.confirmValidation(query.get('code') ?? '');
				return sendJson(
					res,
					ok ? 200 : 404,
					ok
						? { validated: true }
						: { error: { code: 'NotFound', message: 'Unknown validation code.' } },
				);
			}
		}
		const unsubscribe = /^DELETE \/__emulator\/eventgrid\/subscriptions\/([^/]+)$/.exec(route);
		if (unsubscribe) {
			const removed = ctx.eventGrid.remove(decodeURIComponent(unsubscribe[1]));
			return sendJson(res, removed ? 204 : 404);
		}
		return sendJson(res, 404, {
			error: { code: 'NotFound', message: `No inspection route ${method} ${path}.` },
		});
	} catch (error) {
		if (error instanceof AcsError) return sendJson(res, error.status, error.toBody());
		return sendJson(res, 400, { error: { code: 'BadRequest', message: (error as Error).message } });
	}
}
