// n8n's community node lint, exactly as `n8n-node lint` (@n8n/node-cli) runs it: `eslint .` with the
// CLI's own config. It applies to what the package ships (nodes/, credentials/, package.json), the
// same files n8n's scanner lints; the emulator, tests, bench and scripts are development tooling.
import { config } from '@n8n/node-cli/eslint';
import { globalIgnores } from 'eslint/config';

export default [
	globalIgnores([
		'bench/',
		'coverage/',
		'docs/',
		'e2e/',
		'emulator/',
		'examples/',
		'scripts/',
		'test/',
		'.n8n-test/',
		'gulpfile.js',
		'jest.config.js',
	]),
	...config,
];
