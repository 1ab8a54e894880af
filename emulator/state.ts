/** In-memory state of the emulated resource, plus the read-only snapshot served by GET /__emulator/state. */
import { randomUUID } from 'node:crypto';
import { AcsError, notFound } from './errors';
import type {
	CallerScript,
	CallRecord,
	IdentifierModel,
	Participant,
	RecordingRecord,
} from './types';

export interface StoredResponse {
	status: number;
	body?: unknown;
	headers: Record<string, string>;
	/** Method, path and body of the request first sent with this id: a reuse must match it. */
	fingerprint?: string;
}

export interface IncomingCall {
	id: string;
	serverCallId: string;
	correlationId: string;
	from: IdentifierModel;
	to: IdentifierModel;
	callerDisplayName: string;
	expiresAt: number;
	state: 'ringing' | 'answered' | 'rejected' | 'redirected';
	/** Script for the caller once the call is answered. */
	caller?: Required<CallerScript>;
}

export interface RequestLogEntry {
	time: string;
	method: string;
	path: string;
	route: string;
	status: number | 'dropped';
	fault?: string;
	repeatabilityRequestId?: string;
	replayed?: boolean;
}

const ENDED_LIMIT = 1000;
const REPEATABILITY_LIMIT = 100_000;
const REQUEST_LOG_LIMIT = 500;

export class Store {
	calls = new Map<string, CallRecord>();
	byServerCallId = new Map<string, string>();
	ended: CallRecord[] = [];
	recordings = new Map<string, RecordingRecord>();
	incoming = new Map<string, IncomingCall>();
	repeatability = new Map<string, StoredResponse>();
	counters: Record<string, Record<string, number>> = {};
	requestLog: RequestLogEntry[] = [];
	requestsTotal = 0;
	callsCreated = 0;
	/** Scripted callers by E.164 number. */
	callers = new Map<string, Required<CallerScript>>();

	newCall(
		init: Pick<CallRecord, 'direction' | 'callbackUri' | 'targets'> & Partial<CallRecord>,
	): CallRecord {
		const call: CallRecord = {
			callConnectionId: randomUUID(),
			serverCallId: Buffer.from(`emulator-server-call-${randomUUID()}`).toString('base64url'),
			correlationId: randomUUID(),
			state: 'connecting',
			createdAt: new Date().toISOString(),
			participants: new Map(),
			sequenceNumber: 0,
			invitations: new Map(),
			plays: [],
			continuousDtmf: new Map(),
			dtmfSequenceId: 0,
			recordingIds: new Set(),
			timers: new Set(),
			heard: [],
			...init,
		};
		this.calls.set(call.callConnectionId, call);
		this.byServerCallId.set(call.serverCallId, call.callConnectionId);
		this.callsCreated++;
		return call;
	}

	getCall(id: string): CallRecord {
		const call = this.calls.get(id);
		if (!call)
			throw notFound(`Call connection ${id} was not found (it never existed or has ended).`);
		return call;
	}

	/** Mid-call actions need an established call: 400/8501 otherwise, like the service. */
	connectedCall(id: string): CallRecord {
		const call = this.getCall(id);
		if (call.state !== 'connected') {
			throw new AcsError(
				400,
				'8501',
				`Action is not allowed while the call is ${call.state}; wait for CallConnected.`,
			);
		}
		return call;
	}

	removeCall(call: CallRecord): void {
		this.calls.delete(call.callConnectionId);
		this.byServerCallId.delete(call.serverCallId);
		this.ended.push(call);
		if (this.ended.length > ENDED_LIMIT) this.ended.shift();
	}

	remember(id: string, response: StoredResponse): void {
		this.repeatability.set(id, response);
		if (this.repeatability.size > REPEATABILITY_LIMIT) {
			this.repeatability.delete(this.repeatability.keys().next().value as string);
		}
	}

	count(entry: RequestLogEntry): void {
		this.requestsTotal++;
		const byStatus = (this.counters[entry.route] ??= {});
		const key = String(entry.status);
		byStatus[key] = (byStatus[key] ?? 0) + 1;
		this.requestLog.push(entry);
		if (this.requestLog.length > REQUEST_LOG_LIMIT)
			this.requestLog.splice(0, this.requestLog.length - REQUEST_LOG_LIMIT);
	}

	reset(): void {
		for (const call of this.calls.values()) clearCallTimers(call);
		this.calls.clear();
		this.byServerCallId.clear();
		this.ended = [];
		this.recordings.clear();
		this.incoming.clear();
		this.repeatability.clear();
		this.counters = {};
		this.requestLog = [];
		this.requestsTotal = 0;
		this.callsCreated = 0;
		this.callers.clear();
	}
}

export function clearCallTimers(call: CallRecord): void {
	for (const t of call.timers) clearTimeout(t);
	call.timers.clear();
}

export function participantModel(p: Participant): Participant {
	return { identifier: p.identifier, isMuted: p.isMuted, isOnHold: p.isOnHold };
}

export function callSnapshot(call: CallRecord): Record<string, unknown> {
	return {
		callConnectionId: call.callConnectionId,
		serverCallId: call.serverCallId,
		correlationId: call.correlationId,
		direction: call.direction,
		state: call.state,
		callbackUri: call.callbackUri,
		targets: call.targets,
		source: call.source,
		sourceCallerIdNumber: call.sourceCallerIdNumber,
		sourceDisplayName: call.sourceDisplayName,
		answeredFor: call.answeredFor,
		operationContext: call.operationContext,
		cognitiveServicesEndpoint: call.cognitiveServicesEndpoint,
		createdAt: call.createdAt,
		connectedAt: call.connectedAt,
		endedAt: call.endedAt,
		endReason: call.endReason,
		participants: [...call.participants.values()].map(participantModel),
		pendingInvitations: [...call.invitations.values()].map(({ timer: _t, ...inv }) => inv),
		mediaOperations: {
			plays: call.plays.map(({ timer: _t, ...op }) => op),
			recognize: call.recognize ? (({ timer: _t, ...op }) => op)(call.recognize) : undefined,
			continuousDtmf: [...call.continuousDtmf.values()],
		},
		recordingIds: [...call.recordingIds],
		heard: call.heard.map((h) => ({ ...h })),
		caller: call.caller
			? {
					turns: call.caller.turns,
					next: call.caller.next,
					remaining: Math.max(0, call.caller.turns.length - call.caller.next),
					whenDone: call.caller.whenDone,
				}
			: undefined,
	};
}
