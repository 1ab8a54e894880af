/**
 * The fields n8n gets (shared fields given once, descriptions/sharedFields.ts) against the fields as the
 * operation files declare them, judged by n8n-workflow's own NodeHelpers (1.x and 2.x): for every
 * operation, and for every choice of each of its option fields, the editor shows the same fields in the
 * same order and n8n resolves the same parameters.
 */
import { NodeHelpers, type INode, type INodeParameters, type INodeProperties } from 'n8n-workflow';

import { AzureCallAutomation } from '../../nodes/AzureCallAutomation/AzureCallAutomation.node';
import { declaredProperties } from '../../nodes/AzureCallAutomation/actions/versionDescription';
import { engineLabel } from '../harness/engine';

const description = new AzureCallAutomation().description;
const merged = description.properties;

const node = (parameters: INodeParameters): INode => ({
	id: 'n',
	name: 'ACS',
	type: 'n8n-nodes-azure-call-automation.azureCallAutomation',
	typeVersion: 1,
	position: [0, 0],
	parameters,
});

function resolve(properties: INodeProperties[], values: INodeParameters): INodeParameters {
	return (NodeHelpers.getNodeParameters(properties, values, true, false, node(values), {
		...description,
		properties,
	}) ?? {}) as INodeParameters;
}

/** What the editor shows, in order: each shown field as its definition without its conditions. */
function shown(properties: INodeProperties[], values: INodeParameters): string[] {
	const resolved = resolve(properties, values);
	return properties
		.filter((p) =>
			NodeHelpers.displayParameter(resolved, p, node(resolved), { ...description, properties }),
		)
		.map((p) => JSON.stringify({ ...p, displayOptions: undefined }));
}

const operations: Array<[string, string]> = declaredProperties
	.filter((p) => p.name === 'operation')
	.flatMap((p) =>
		((p.displayOptions?.show?.resource ?? []) as string[]).flatMap((resource) =>
			((p.options ?? []) as Array<{ value: string }>).map(
				(o) => [resource, String(o.value)] as [string, string],
			),
		),
	);

describe(`shared fields given once, in ${engineLabel}`, () => {
	it('gives n8n fewer fields than the operations declare', () => {
		expect(merged.length).toBeLessThan(declaredProperties.length);
		expect(merged.filter((p) => p.name === 'callConnectionId').length).toBeLessThan(
			declaredProperties.filter((p) => p.name === 'callConnectionId').length,
		);
	});

	it.each(operations)(
		'%s: %s shows the same fields in the same order, for every choice of its options',
		(resource, operation) => {
			const base: INodeParameters = { resource, operation };
			const states: INodeParameters[] = [base, { ...base, waitForOutcome: true }];
			// Each option field of the operation, set to each of its values in turn (they show other fields).
			for (const p of declaredProperties) {
				if (p.type !== 'options' && p.type !== 'boolean') continue;
				if (p.name === 'resource' || p.name === 'operation') continue;
				const values =
					p.type === 'boolean'
						? [true, false]
						: ((p.options ?? []) as Array<{ value: string }>).map((o) => o.value);
				for (const value of values) states.push({ ...base, [p.name]: value });
			}
			for (const state of states) {
				expect(shown(merged, state)).toEqual(shown(declaredProperties, state));
				expect(resolve(merged, state)).toEqual(resolve(declaredProperties, state));
			}
			expect(shown(merged, base).length).toBeGreaterThan(2);
		},
	);
});
