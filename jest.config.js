/**
 * Two projects run the same tests in n8n's engine: n8n 1.x (n8n-core 1.122 / n8n-workflow 1.120)
 * and n8n 2.x (n8n-core 2.41 / n8n-workflow 2.41, installed under npm aliases and swapped in here).
 */
const base = {
	testEnvironment: 'node',
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.dev.json', diagnostics: false }],
	},
	moduleFileExtensions: ['ts', 'js', 'json'],
	testMatch: ['<rootDir>/test/**/*.test.ts'],
	setupFiles: ['<rootDir>/test/setup-env.ts'],
};

module.exports = {
	testTimeout: 60_000,
	// n8n-core keeps process-wide timers (e.g. its instance settings/telemetry) that tests cannot stop.
	forceExit: true,
	// No watchman here; without this jest has been seen to wait on it forever before running anything.
	watchman: false,
	projects: [
		{ ...base, displayName: 'n8n-1.x' },
		{
			...base,
			displayName: 'n8n-2.x',
			// Only tests that run nodes in the engine need the second line.
			testMatch: ['<rootDir>/test/**/*.engine.test.ts'],
			moduleNameMapper: {
				'^n8n-workflow$': '<rootDir>/node_modules/n8n-workflow-v2',
				'^n8n-core$': '<rootDir>/node_modules/n8n-core-v2',
				// One DI container: npm nests several copies of @n8n/di 0.17 under the 2.x packages.
				'^@n8n/di$': '<rootDir>/node_modules/n8n-core-v2/node_modules/@n8n/di',
			},
		},
	],
};
