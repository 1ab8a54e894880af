const path = require('path');
const { task, src, dest, parallel } = require('gulp');

// Node and credential icons live in icons/; n8n resolves `file:acs.svg` next to each built file.
function iconsToNodes() {
	return src('icons/*.svg').pipe(dest(path.resolve('dist', 'nodes', 'AzureCallAutomation')));
}
function iconsToCredentials() {
	return src('icons/*.svg').pipe(dest(path.resolve('dist', 'credentials')));
}
function codexFiles() {
	return src('nodes/**/*.node.json').pipe(dest(path.resolve('dist', 'nodes')));
}

task('build:icons', parallel(iconsToNodes, iconsToCredentials, codexFiles));
