#!/usr/bin/env node
/**
 * Runs first in `npm start` and `npm test` (the scripts call it: .npmrc's ignore-scripts would skip a
 * pre-script): installs the dependencies with `npm ci` when node_modules is missing or older than
 * package-lock.json, so either can be the first command on a fresh clone. Plain Node, no
 * dependencies. When node_modules matches the lock (as after CI's own `npm ci`) it reads two file
 * dates and one hash (a few milliseconds) and prints nothing.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const lockFile = path.join(root, 'package-lock.json');
// npm writes node_modules/.package-lock.json at the end of every install.
const installedLock = path.join(root, 'node_modules', '.package-lock.json');
// The hash of the package-lock.json that node_modules was last seen to match.
const stamp = path.join(root, 'node_modules', '.ensure-deps-lock-sha256');

const lockHash = () => createHash('sha256').update(fs.readFileSync(lockFile)).digest('hex');
const mtime = (file) => fs.statSync(file).mtimeMs;

function whyInstall() {
	if (!fs.existsSync(installedLock)) return 'node_modules is missing';
	// npm install / npm ci ran after the lock was written.
	if (mtime(lockFile) <= mtime(installedLock)) return null;
	// A newer lock with the same content (a checkout rewrote it) needs nothing.
	if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8').trim() === lockHash()) return null;
	return 'package-lock.json is newer than node_modules';
}

const reason = whyInstall();
if (reason) {
	const started = Date.now();
	console.log(`Installing dependencies: ${reason}.`);
	console.log(
		"Running `npm ci`: usually 3 to 5 minutes (n8n-core for both n8n lines, jest, eslint, n8n's lint tools).",
	);
	const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
	const result = spawnSync(npm, ['ci', '--loglevel=error'], { cwd: root, stdio: 'inherit' });
	if (result.status !== 0) {
		console.error(
			`npm ci failed (exit ${result.status ?? result.signal}); fix the error above and run the command again.`,
		);
		process.exit(result.status || 1);
	}
	console.log(`Dependencies installed in ${Math.round((Date.now() - started) / 1000)} s.`);
}
try {
	const hash = lockHash();
	if (!fs.existsSync(stamp) || fs.readFileSync(stamp, 'utf8').trim() !== hash)
		fs.writeFileSync(stamp, `${hash}\n`);
} catch {
	// A read-only node_modules only means the next check compares dates again.
}
