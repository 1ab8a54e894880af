/** Request Options > Repeatability Request ID / First Sent: an item's re-run of an earlier attempt. */
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { NodeRun } from '../helpers/run';
import { runParameter } from '../helpers/runParameter';
import { checkSupplied } from '../transport/repeatability';

/** Reads an item's ids, checked, into the run (`suppliedIds`), where the item's first repeatable request takes them. */
export function takeSuppliedIds(ctx: IExecuteFunctions, run: NodeRun, itemIndex: number): void {
	const text = (name: string) =>
		String(runParameter(ctx, `requestOptions.${name}`, itemIndex, '') ?? '').trim();
	const requestId = text('repeatabilityRequestId');
	const firstSent = text('repeatabilityFirstSent');
	if (requestId === '' && firstSent === '') return;
	if (requestId === '' || firstSent === '') {
		throw new NodeOperationError(
			ctx.getNode(),
			`Repeatability ${requestId === '' ? 'Request ID' : 'First Sent'} is empty`,
			{
				itemIndex,
				description:
					'Give both, from the same earlier attempt ({{ $json.repeatabilityRequestId }} and {{ $json.repeatabilityFirstSent }} of its error item), or neither.',
			},
		);
	}
	const problem = checkSupplied(requestId, firstSent);
	if (problem)
		throw new NodeOperationError(ctx.getNode(), problem.problem, {
			itemIndex,
			description: problem.hint,
		});
	(run.suppliedIds ??= new Map()).set(itemIndex, { requestId, firstSent });
}
