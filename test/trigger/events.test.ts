/** Unit tests of event parsing, normalisation, families and filters. */
import { BodyError, parseEvents } from '../../nodes/AzureCallAutomation/callbacks/body';
import {
	familyOf,
	isCallbackType,
	isEventGridType,
} from '../../nodes/AzureCallAutomation/callbacks/eventTypes';
import {
	buildFilter,
	matches,
	parseCalledNumbers,
} from '../../nodes/AzureCallAutomation/callbacks/filter';
import { normalizeEvent } from '../../nodes/AzureCallAutomation/callbacks/normalize';
import { keyOfTone } from '../../nodes/AzureCallAutomation/helpers/tones';
import {
	includedEventTypesFor,
	endpointUrlFor,
	subscriptionNameFor,
} from '../../nodes/AzureCallAutomation/trigger/eventGrid';

const P = 'Microsoft.Communication.';

describe('parseEvents', () => {
	it('reads CloudEvents arrays, single CloudEvents and Event Grid schema events', () => {
		const [cloud] = parseEvents([
			{
				type: `${P}CallConnected`,
				specversion: '1.0',
				id: '1',
				time: 't',
				data: { callConnectionId: 'c' },
			},
		]);
		expect(cloud).toMatchObject({
			schema: 'CloudEvents',
			type: `${P}CallConnected`,
			id: '1',
			time: 't',
			data: { callConnectionId: 'c' },
		});
		const [single] = parseEvents({
			type: `${P}IncomingCall`,
			specversion: '1.0',
			source: '/topic',
			data: {},
		});
		expect(single).toMatchObject({ schema: 'CloudEvents', source: '/topic' });
		const [grid] = parseEvents([
			{ eventType: `${P}IncomingCall`, eventTime: 'e', topic: '/t', subject: '/s', data: { a: 1 } },
		]);
		expect(grid).toMatchObject({
			schema: 'EventGrid',
			type: `${P}IncomingCall`,
			time: 'e',
			source: '/t',
			subject: '/s',
		});
		// An event without data still yields an object to read from.
		expect(parseEvents([{ type: 'x.y' }])[0].data).toEqual({});
	});

	it('refuses anything else with 400', () => {
		for (const body of [42, 'text', null, [], [1], [{}], { foo: 1 }, [{ type: 5 }]]) {
			expect(() => parseEvents(body)).toThrow(BodyError);
		}
	});
});

describe('normalizeEvent', () => {
	const one = (event: Record<string, unknown>) => normalizeEvent(parseEvents([event])[0]);

	it('gives short and full type, family, ids, result fields and the raw event', () => {
		const raw = {
			type: `${P}PlayCompleted`,
			specversion: '1.0',
			id: 'e1',
			data: {
				callConnectionId: 'c',
				serverCallId: 's',
				correlationId: 'k',
				operationContext: 'o',
				resultInformation: { code: 200, subCode: 0, message: 'ok' },
			},
		};
		expect(one(raw)).toEqual({
			eventType: 'PlayCompleted',
			type: `${P}PlayCompleted`,
			family: 'media',
			schema: 'CloudEvents',
			id: 'e1',
			time: undefined,
			subject: undefined,
			callConnectionId: 'c',
			serverCallId: 's',
			correlationId: 'k',
			operationContext: 'o',
			resultInformation: { code: 200, subCode: 0, message: 'ok' },
			resultCode: 200,
			resultSubCode: 0,
			resultMessage: 'ok',
			raw,
		});
	});

	it('flattens tones, participants and identifiers', () => {
		const dtmf = one({
			type: `${P}RecognizeCompleted`,
			data: {
				recognitionType: 'dtmf',
				dtmfResult: { tones: ['one', 'two', 'asterisk', 'pound', 'zero', 'A'] },
			},
		});
		expect(dtmf).toMatchObject({
			dtmfTones: '12*#0A',
			tones: ['one', 'two', 'asterisk', 'pound', 'zero', 'A'],
		});
		const roster = one({
			type: `${P}ParticipantsUpdated`,
			data: {
				participants: [
					{ identifier: { phoneNumber: { value: '+1425' } }, isMuted: true },
					{ identifier: { rawId: '8:acs:u' }, isOnHold: true },
				],
			},
		});
		expect(roster.participants).toEqual(['4:+1425', '8:acs:u']);
		expect(roster.participantDetails).toMatchObject([
			{ rawId: '4:+1425', isMuted: true },
			{ rawId: '8:acs:u', isOnHold: true },
		]);
		const added = one({
			type: `${P}AddParticipantSucceeded`,
			data: { participant: { communicationUser: { id: '8:acs:x' } } },
		});
		expect(added).toMatchObject({
			participant: '8:acs:x',
			participantIdentifier: { communicationUser: { id: '8:acs:x' } },
		});
	});

	it('gives IncomingCall its context and raw ids and phone numbers', () => {
		const item = one({
			eventType: `${P}IncomingCall`,
			data: {
				from: { kind: 'PhoneNumber', rawId: '4:+1555', phoneNumber: { value: '+1555' } },
				to: {
					kind: 'communicationUser',
					rawId: '8:acs:bot',
					communicationUser: { id: '8:acs:bot' },
				},
				incomingCallContext: 'ctx',
				serverCallId: 's',
				correlationId: 'k',
			},
		});
		expect(item).toMatchObject({
			family: 'incomingCall',
			from: '4:+1555',
			fromPhoneNumber: '+1555',
			to: '8:acs:bot',
			toPhoneNumber: undefined,
			incomingCallContext: 'ctx',
			serverCallId: 's',
		});
	});

	it('takes serverCallId of RecordingFileStatusUpdated from its subject', () => {
		const item = one({
			eventType: `${P}RecordingFileStatusUpdated`,
			subject: '/recording/call/c1/serverCallId/abc%3D',
			data: { recordingStorageInfo: { recordingChunks: [] } },
		});
		expect(item).toMatchObject({ family: 'recording', serverCallId: 'abc=', recordingChunks: [] });
	});
});

describe('families, kinds and filters', () => {
	it('classifies event types', () => {
		expect(familyOf(`${P}CallConnected`)).toBe('call');
		expect(familyOf(`${P}ContinuousDtmfRecognitionToneReceived`)).toBe('recognize');
		expect(familyOf(`${P}RecordingFileStatusUpdated`)).toBe('recording');
		expect(familyOf(`${P}SomethingNew`)).toBe('other');
		expect(familyOf('Other.Type')).toBe('other');
		expect(isCallbackType(`${P}PlayCompleted`)).toBe(true);
		expect(isCallbackType(`${P}IncomingCall`)).toBe(false);
		expect(isEventGridType(`${P}IncomingCall`)).toBe(true);
		expect(isEventGridType('Microsoft.EventGrid.SubscriptionValidationEvent')).toBe(true);
		expect(isEventGridType(`${P}CallConnected`)).toBe(false);
	});

	it('filters by type (full or short, any case), call ids and operation context', () => {
		const [a, b] = parseEvents([
			{ type: `${P}PlayCompleted`, data: { callConnectionId: 'c1', operationContext: 'x' } },
			{ type: `${P}CallConnected`, data: { callConnectionId: 'c2' } },
		]);
		expect(matches(buildFilter([], '', ''), a)).toBe(true);
		expect(matches(buildFilter([`${P}playcompleted`], '', ''), a)).toBe(true);
		expect(matches(buildFilter(['CallConnected'], '', ''), a)).toBe(false);
		expect(matches(buildFilter(['CallConnected'], '', ''), b)).toBe(true);
		expect(matches(buildFilter([], ' c2 , c3', ''), a)).toBe(false);
		expect(matches(buildFilter([], 'c2,c3', ''), b)).toBe(true);
		expect(matches(buildFilter([], '', 'x'), a)).toBe(true);
		expect(matches(buildFilter([], '', 'x'), b)).toBe(false);
	});

	it('filters incoming calls by the number called, in any spelling of it, and nothing else', () => {
		const to = (value: string) =>
			parseEvents([
				{
					eventType: `${P}IncomingCall`,
					id: value,
					subject: 'x',
					eventTime: '2026-01-01T00:00:00Z',
					dataVersion: '1',
					data: {
						to: { kind: 'phoneNumber', rawId: `4:${value}`, phoneNumber: { value } },
						from: { kind: 'phoneNumber', rawId: '4:+14255550123' },
						incomingCallContext: 'ctx',
					},
				},
			])[0];
		const ours = to('+18005550100');
		const theirs = to('+18005550101');
		const [played] = parseEvents([{ type: `${P}PlayCompleted`, data: { callConnectionId: 'c1' } }]);
		const numbers = buildFilter([], '', '', '+1 (800) 555-0100, +18005550199');
		expect(matches(numbers, ours)).toBe(true);
		expect(matches(numbers, theirs)).toBe(false);
		expect(matches(numbers, played)).toBe(true);
		expect(matches(buildFilter([], '', ''), theirs)).toBe(true);
		// A typo matches no call, rather than turning the filter off.
		expect(matches(buildFilter([], '', '', '800-CALL-NOW'), ours)).toBe(false);
		expect(parseCalledNumbers(' +18005550100 ;0044 20 7946 0000, 12345 ')).toEqual({
			numbers: ['+18005550100', '+442079460000'],
			invalid: ['12345'],
		});
	});

	it('maps tone names to keys', () => {
		expect(
			['zero', 'nine', 'pound', 'asterisk', 'b', 'flash', 'weird'].map(keyOfTone).join(','),
		).toBe('0,9,#,*,B,!,weird');
	});
});

describe('Event Grid registration helpers', () => {
	it('registers the chosen Event Grid types, IncomingCall by default', () => {
		expect(includedEventTypesFor([])).toEqual([`${P}IncomingCall`]);
		expect(includedEventTypesFor([`${P}PlayCompleted`])).toEqual([`${P}IncomingCall`]);
		expect(includedEventTypesFor([`${P}RecordingFileStatusUpdated`, `${P}CallConnected`])).toEqual([
			`${P}RecordingFileStatusUpdated`,
		]);
	});

	it('puts the secret into the endpoint URL and names subscriptions stably', () => {
		expect(endpointUrlFor('https://n8n.example/webhook/id/webhook', '')).toBe(
			'https://n8n.example/webhook/id/webhook',
		);
		expect(endpointUrlFor('https://n8n.example/webhook/id/webhook', 'a b&c')).toBe(
			'https://n8n.example/webhook/id/webhook?secret=a%20b%26c',
		);
		const name = subscriptionNameFor('https://n8n.example/webhook/id/webhook');
		expect(name).toMatch(/^[a-z0-9-]{3,64}$/);
		expect(subscriptionNameFor('https://n8n.example/webhook/id/webhook')).toBe(name);
		expect(subscriptionNameFor('https://n8n.example/webhook/other/webhook')).not.toBe(name);
	});
});
