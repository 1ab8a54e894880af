#!/usr/bin/env node
/**
 * n8n's community package scan (@n8n/scan-community-package), offline. For a published version the
 * scanner checks its npm provenance, then lints the source commit that provenance names and the
 * tarball from the registry. The provenance and download steps need a published version; the two
 * lint passes are the scanner's own code (analyzePackage, same config, inline disables ignored), run
 * here on this checkout and on the tarball `npm pack` makes of it. Run after `npm run build`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import {
	analyzePackage,
	SOURCE_FILE_PATTERNS,
} from '@n8n/scan-community-package/scanner/scanner.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(path.join(root, 'dist'))) {
	console.error('scan: dist/ is missing; run `npm run build` first.');
	process.exit(1);
}

const work = mkdtempSync(path.join(tmpdir(), 'n8n-scan-'));
try {
	const [{ filename }] = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--silent', '--pack-destination', work], {
			cwd: root,
			encoding: 'utf8',
		}),
	);
	const unpacked = path.join(work, 'package');
	mkdirSync(unpacked);
	execFileSync('tar', ['-xzf', path.join(work, filename), '-C', unpacked, '--strip-components=1']);

	const legs = [
		// The scanner's source patterns name nodes/ and credentials/; acs/ ships too, so it is linted alike.
		[
			'source (acs/, nodes/, credentials/, package.json)',
			await analyzePackage(root, [...SOURCE_FILE_PATTERNS, 'acs/**/*.{js,ts,json}']),
		],
		[`tarball ${filename}`, await analyzePackage(unpacked, ['**/*.js', 'package.json'])],
	];
	let failed = false;
	for (const [what, result] of legs) {
		console.log(
			`${result.passed ? 'passed' : 'FAILED'}: n8n community package scan of the ${what}`,
		);
		if (!result.passed) {
			failed = true;
			console.log(result.message);
			if (result.details) console.log(result.details);
		}
	}
	process.exitCode = failed ? 1 : 0;
} finally {
	rmSync(work, { recursive: true, force: true });
}
