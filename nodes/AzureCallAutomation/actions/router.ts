/**
 * Runs the chosen operation for every input item. Items are sent with bounded concurrency
 * (a 5,000-row list must not take 5,000 sequential round trips); results keep input order and
 * pairing; with "Continue On Fail" a failed item becomes an error item (errorItems.ts) instead of stopping
 * the run (failureSummary.ts). The run itself is started here (transport/run.ts).
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import * as call from './call';
import * as media from './media';
import * as participant from './participant';
import * as recording from './recording';
import type { Resource } from './node.type';
import { toExecutionData } from './binaryItem';
import { errorOutput, itemError } from './errorItems';
import { firstFailure, type ItemFailure } from './failureSummary';
import { takeSuppliedIds } from './repeatabilityIds';
import { Pacer, pacingSettings } from '../transport/pacing';
import { startRun } from '../transport/run';
import { itemsAtOnce } from '../descriptions/requestOptions';

export type OperationExecute = (
	this: IExecuteFunctions,
	itemIndex: number,
) => Promise<IDataObject | IDataObject[]>;

const resources: Record<Resource, Record<string, { execute: OperationExecute } | unknown>> = {
	call,
	media,
	participant,
	recording,
};

export function findOperation(
	ctx: IExecuteFunctions,
	resource: string,
	operation: string,
): OperationExecute {
	const module = (resources as Record<string, Record<string, unknown>>)[resource]?.[operation] as
		| { execute?: OperationExecute }
		| undefined;
	if (typeof module?.execute !== 'function') {
		throw new NodeOperationError(
			ctx.getNode(),
			`The operation "${operation}" is not known for resource "${resource}"`,
		);
	}
	return module.execute;
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	if (items.length === 0) return [[]];
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const execute = findOperation(this, resource, operation);
	const concurrency = itemsAtOnce(this);
	// Every item and request of this run shares one pacer: throttling slows the run, not one item.
	const pacer = new Pacer(pacingSettings(this, concurrency), this.getExecutionCancelSignal?.());
	const run = startRun(this, { pacer });
	const continueOnFail = this.continueOnFail();
	const toErrorOutput = this.getNode().onError === 'continueErrorOutput';

	const results: INodeExecutionData[][] = new Array(items.length);
	let next = 0;
	const failures: ItemFailure[] = [];

	const runItem = async (itemIndex: number) => {
		try {
			takeSuppliedIds(this, run, itemIndex);
			const data = await execute.call(this, itemIndex);
			results[itemIndex] = (Array.isArray(data) ? data : [data]).map((entry) =>
				toExecutionData(entry, itemIndex),
			);
		} catch (error) {
			const nodeError = itemError(this, error, itemIndex);
			if (continueOnFail) {
				results[itemIndex] = errorOutput(nodeError, itemIndex, toErrorOutput);
			} else {
				failures.push({ itemIndex, error: nodeError });
			}
		}
	};
	// Up to `concurrency` items at work at once. An item that waits out a failure of its own (pacer.park)
	// leaves that count for good, so the healthy items keep their pace; the pacer still bounds what is on the wire.
	await new Promise<void>((resolve) => {
		let working = 0;
		let started = 0;
		let finished = 0;
		const left = new Set<number>();
		const fill = () => {
			// Stop taking new items once one failed (without Continue On Fail), as a sequential loop would.
			while (failures.length === 0 && working < concurrency && next < items.length) {
				const itemIndex = next++;
				working++;
				started++;
				void runItem(itemIndex).finally(() => {
					if (!left.delete(itemIndex)) working--;
					finished++;
					fill();
				});
			}
			if (finished === started && (failures.length > 0 || next >= items.length)) resolve();
		};
		pacer.onPark = (itemIndex) => {
			if (left.has(itemIndex) || itemIndex < 0 || itemIndex >= items.length) return;
			left.add(itemIndex);
			working--;
			fill();
		};
		fill();
	});
	if (failures.length > 0) throw firstFailure(failures, results);
	return [results.flat()];
}
