const path = require('path');
const { task, src, dest, parallel } = require('gulp');

// Node and credential icons live in icons/: the sources name them as `file:../icons/acs.svg`
// (credentials) and `file:../../icons/acs.svg` (nodes), which resolve to dist/icons/ once built.
function icons() {
	return src('icons/*.svg').pipe(dest(path.resolve('dist', 'icons')));
}
function codexFiles() {
	return src('nodes/**/*.node.json').pipe(dest(path.resolve('dist', 'nodes')));
}

task('build:icons', parallel(icons, codexFiles));
