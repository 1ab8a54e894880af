/** Lets an operation return an item with binary data; the router passes such items on whole. */
import type { IBinaryKeyData, IDataObject, INodeExecutionData } from 'n8n-workflow';

const withBinaryItems = new WeakSet<object>();

export function itemWithBinary(json: IDataObject, binary: IBinaryKeyData): IDataObject {
	const item: INodeExecutionData = { json, binary };
	withBinaryItems.add(item);
	return item as unknown as IDataObject;
}

/** The execution item for what `execute` returned: marked items as they are, anything else as its json. */
export function toExecutionData(data: IDataObject, itemIndex: number): INodeExecutionData {
	if (withBinaryItems.has(data))
		return { ...(data as unknown as INodeExecutionData), pairedItem: { item: itemIndex } };
	return { json: data, pairedItem: { item: itemIndex } };
}
