/**
 * A run that stops on a failed item (no Continue On Fail) reports its first failed item; n8n drops the
 * run's output, so the error also says which other items were carried out and how many more failed.
 */
import type {
	IDataObject,
	INodeExecutionData,
	NodeApiError,
	NodeOperationError,
} from 'n8n-workflow';

export interface ItemFailure {
	itemIndex: number;
	error: NodeApiError | NodeOperationError;
}

/** "0–41, 43, 45": item numbers as ranges. */
export function ranges(indexes: number[]): string {
	const parts: string[] = [];
	for (let i = 0; i < indexes.length; i++) {
		let j = i;
		while (j + 1 < indexes.length && indexes[j + 1] === indexes[j] + 1) j++;
		parts.push(j > i ? `${indexes[i]}–${indexes[j]}` : String(indexes[i]));
		i = j;
	}
	return parts.length > 12 ? `${parts.slice(0, 12).join(', ')}, …` : parts.join(', ');
}

/** The error to throw for a run with failed items (one at least): the first failed item's, with the notes. */
export function firstFailure(
	failures: ItemFailure[],
	results: Array<INodeExecutionData[] | undefined>,
): NodeApiError | NodeOperationError {
	// Report the first failed item, whichever finished first.
	const first = failures.reduce((a, b) => (b.itemIndex < a.itemIndex ? b : a)).error;
	// n8n drops a failed run's output: say which items were carried out anyway, so no call goes unseen.
	const done = results.flatMap((r, i) => (r === undefined ? [] : [i]));
	const unknown = failures.filter(
		(f) => f !== undefined && (f.error as { context?: IDataObject }).context?.outcome === 'unknown',
	).length;
	const notes: string[] = [];
	if (done.length > 0) {
		notes.push(
			`${done.length} other item${done.length === 1 ? '' : 's'} (${ranges(done)}) succeeded before the run stopped: their requests were carried out, but a failed run has no output. Turn on Settings > On Error > Continue to get one item per input, errors included.`,
		);
	}
	if (failures.length > 1)
		notes.push(
			`${failures.length - 1} more item${failures.length === 2 ? '' : 's'} failed${unknown > 0 ? ` (${unknown} of all failed items may have been carried out)` : ''}.`,
		);
	if (notes.length > 0) first.description = [first.description, ...notes].filter(Boolean).join(' ');
	return first;
}
