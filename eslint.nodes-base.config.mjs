// The classic n8n node rules (eslint-plugin-n8n-nodes-base), set up as n8n-nodes-starter does, over
// nodes/, credentials/ and package.json. n8n's community lint (eslint.config.mjs) runs an older copy
// of the same plugin; this one keeps the current plugin's rules too.
import tsParser from '@typescript-eslint/parser';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';

export default [
	{ ignores: ['**/*.js', '**/node_modules/**', '**/dist/**'] },
	{
		files: ['package.json'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		languageOptions: { parser: tsParser, parserOptions: { extraFileExtensions: ['.json'] } },
		rules: {
			...n8nNodesBase.configs.community.rules,
			'n8n-nodes-base/community-package-json-name-still-default': 'off',
		},
	},
	{
		files: ['credentials/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		languageOptions: { parser: tsParser, parserOptions: { project: ['./tsconfig.json'] } },
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			// Not valid for community nodes (n8n's community config turns it off too).
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		languageOptions: { parser: tsParser, parserOptions: { project: ['./tsconfig.json'] } },
		// As in n8n-nodes-starter: these apply to nodes in n8n's main repository only.
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			'n8n-nodes-base/node-execute-block-missing-continue-on-fail': 'off',
			'n8n-nodes-base/node-resource-description-filename-against-convention': 'off',
			'n8n-nodes-base/node-param-fixed-collection-type-unsorted-items': 'off',
		},
	},
];
