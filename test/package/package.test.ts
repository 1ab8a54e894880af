/**
 * Guards n8n's rules for verified community packages: no runtime dependencies, published code
 * imports only n8n-workflow and Node built-ins, and every entry n8n loads has a source file.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';

const root = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

function sourceFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) return sourceFiles(path);
		return path.endsWith('.ts') ? [path] : [];
	});
}

describe('published package', () => {
	it('is a community node package with no runtime dependencies', () => {
		expect(pkg.name).toBe('n8n-nodes-azure-call-automation');
		expect(pkg.keywords).toContain('n8n-community-node-package');
		expect(pkg.dependencies ?? {}).toEqual({});
		expect(Object.keys(pkg.peerDependencies)).toEqual(['n8n-workflow']);
		expect(pkg.license).toBe('MIT');
	});

	it('lists credentials and nodes that exist in the sources', () => {
		for (const entry of [...pkg.n8n.credentials, ...pkg.n8n.nodes] as string[]) {
			const source = join(root, entry.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
			expect(existsSync(source) ? relative(root, source) : `missing: ${entry}`).toBe(
				relative(root, source),
			);
		}
	});

	it('imports only n8n-workflow and Node built-ins from published code', () => {
		const allowed = new Set([
			'n8n-workflow',
			...builtinModules,
			...builtinModules.map((m) => `node:${m}`),
		]);
		const offending: string[] = [];
		for (const file of ['acs', 'nodes', 'credentials'].flatMap((dir) =>
			sourceFiles(join(root, dir)),
		)) {
			const text = readFileSync(file, 'utf8');
			for (const match of text.matchAll(/(?:from\s+|require\()\s*['"]([^'"]+)['"]/g)) {
				const spec = match[1];
				if (spec.startsWith('.')) continue;
				if (!allowed.has(spec)) offending.push(`${relative(root, file)} imports ${spec}`);
			}
			if (/process\.env/.test(text)) offending.push(`${relative(root, file)} reads process.env`);
		}
		expect(offending).toEqual([]);
	});
});
