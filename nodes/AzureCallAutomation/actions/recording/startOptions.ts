/** Start Recording's channel options: which participant goes to which channel of an unmixed recording. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { boundedInteger, identifier, identifierList } from '../../helpers/params';

export const channelFields: INodeProperties[] = [
	{
		displayName: 'Channel Affinity',
		name: 'channelAffinity',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		placeholder: 'Add Channel',
		description: 'Unmixed recordings: put a participant on a fixed channel (0 to 4)',
		options: [
			{
				displayName: 'Channel',
				name: 'channels',
				values: [
					{
						displayName: 'Channel',
						name: 'channel',
						type: 'number',
						typeOptions: { minValue: 0, maxValue: 4 },
						default: 0,
					},
					{
						displayName: 'Participant',
						name: 'participant',
						type: 'string',
						default: '',
						placeholder: 'e.g. +14255550100 or 8:acs:…',
						description: 'Phone number or raw ID of the participant',
					},
				],
			},
		],
	},
	{
		displayName: 'Audio Channel Participant Ordering',
		name: 'audioChannelParticipantOrdering',
		type: 'string',
		default: '',
		placeholder: 'e.g. +14255550100, 8:acs:…',
		description: 'Unmixed recordings: participants in channel order, separated by commas',
	},
];

/** `channelAffinity` and `audioChannelParticipantOrdering` of the request, as the SDK sends them. */
export function channelOptions(
	ctx: IExecuteFunctions,
	extra: IDataObject,
	itemIndex: number,
): IDataObject {
	const channels = ((extra.channelAffinity as IDataObject | undefined)?.channels ??
		[]) as IDataObject[];
	const ordering = identifierList(
		ctx,
		extra.audioChannelParticipantOrdering ?? '',
		itemIndex,
		'Audio Channel Participant Ordering',
	);
	return {
		channelAffinity:
			channels.length === 0
				? undefined
				: channels.map((c) => ({
						participant: identifier(
							ctx,
							c.participant,
							itemIndex,
							'Channel Affinity > Participant',
						),
						channel: boundedInteger(ctx, c.channel, itemIndex, 'Channel Affinity > Channel', 0, 4),
					})),
		audioChannelParticipantOrdering: ordering.length === 0 ? undefined : ordering,
	};
}
