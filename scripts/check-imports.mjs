#!/usr/bin/env node
/**
 * Import boundaries, run by `npm run lint`. Layers point one way:
 *   acs/          ACS facts (connection strings, signing, API version, identifiers, paths): imports nothing above it
 *   credentials/  may import acs/, never nodes/
 *   nodes/        may import acs/, never credentials/ (n8n finds credentials by name)
 *   emulator/     models ACS on its own: imports nothing of the product (acs/, credentials/, nodes/)
 * Inside nodes/AzureCallAutomation/: helpers/ ← descriptions/, transport/, callbacks/ ← waiting/, trigger/ ←
 * actions/, methods/ ← the node files (NODE_RANKS below).
 * Published code (acs/, credentials/, nodes/) imports no development code and no package but
 * n8n-workflow and Node built-ins. No import cycles anywhere, type-only imports included.
 * Reads the TypeScript sources with the compiler's own pre-processor (no type checking).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SCANNED = ['acs', 'credentials', 'nodes', 'emulator', 'test', 'bench', 'scripts', 'e2e'];
const PRODUCT = new Set(['acs', 'credentials', 'nodes']);
const PRODUCT_PACKAGES = new Set([
	'n8n-workflow',
	...builtinModules,
	...builtinModules.map((m) => `node:${m}`),
]);

/** Imports from one layer to another that are refused, with the reason printed. */
const FORBIDDEN = {
	acs: {
		credentials: 'acs/ holds the ACS facts every side uses; it imports nothing above it',
		nodes: 'acs/ imports nothing above it',
		emulator: 'acs/ imports nothing above it',
	},
	credentials: { nodes: 'credentials import nothing from nodes/ (move what both need to acs/)' },
	nodes: { credentials: 'nodes import nothing from credentials/ (move what both need to acs/)' },
	emulator: {
		acs: 'the emulator models ACS on its own and imports nothing of the product (declare the contract in emulator/)',
		credentials: 'the emulator imports nothing of the product',
		nodes: 'the emulator imports nothing of the product (declare the contract in emulator/)',
	},
};
const DEVELOPMENT = new Set(['emulator', 'test', 'bench', 'scripts', 'e2e']);
/**
 * Inside the action and trigger nodes, rooms point one way too: a folder imports only folders of a lower
 * rank (and itself). helpers/ at the bottom; the transport, descriptions and the receiving of ACS
 * requests on it; the waiting steps and the trigger on those; operations and methods above; the node
 * files on top.
 */
const NODE_DIR = path.join('nodes', 'AzureCallAutomation');
const NODE_RANKS = {
	helpers: 0,
	descriptions: 1,
	transport: 1,
	callbacks: 1,
	waiting: 2,
	trigger: 2,
	actions: 3,
	methods: 3,
	'': 4,
};
function nodeRoom(file) {
	const inside = path.relative(path.join(root, NODE_DIR), file);
	if (inside.startsWith('..')) return undefined;
	const parts = inside.split(path.sep);
	return parts.length === 1 ? '' : parts[0];
}
/**
 * `from -> to` pairs (repository-relative) let through a refused layer edge. n8n needs none today: a node
 * names its credentials by their `name` string and never imports the class.
 */
const ALLOWED = new Set([]);

function sources(dir) {
	if (!existsSync(dir)) return [];
	return readdirSync(dir).flatMap((name) => {
		if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) return [];
		const full = path.join(dir, name);
		if (statSync(full).isDirectory()) return sources(full);
		return /\.(ts|mts|cts)$/.test(name) && !name.endsWith('.d.ts') ? [full] : [];
	});
}

function resolve(from, spec) {
	const base = path.resolve(path.dirname(from), spec);
	for (const candidate of [
		base,
		`${base}.ts`,
		path.join(base, 'index.ts'),
		base.replace(/\.js$/, '.ts'),
	]) {
		if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
	}
	return undefined;
}

const layerOf = (file) => path.relative(root, file).split(path.sep)[0];
const rel = (file) => path.relative(root, file);

const files = SCANNED.flatMap((dir) => sources(path.join(root, dir)));
const graph = new Map();
const problems = [];

for (const file of files) {
	const text = readFileSync(file, 'utf8');
	const { importedFiles } = ts.preProcessFile(text, true, true);
	const edges = [];
	const from = layerOf(file);
	for (const { fileName: spec } of importedFiles) {
		if (!spec.startsWith('.')) {
			if (PRODUCT.has(from) && !PRODUCT_PACKAGES.has(spec)) {
				problems.push(
					`${rel(file)} imports the package '${spec}': published code imports only n8n-workflow and Node built-ins`,
				);
			}
			continue;
		}
		const target = resolve(file, spec);
		if (!target) {
			problems.push(`${rel(file)} imports '${spec}', which resolves to no file`);
			continue;
		}
		if (!target.endsWith('.json')) edges.push(target);
		const to = layerOf(target);
		const [roomFrom, roomTo] = [nodeRoom(file), nodeRoom(target)];
		if (roomFrom !== undefined && roomTo !== undefined && roomFrom !== roomTo) {
			const [a, b] = [NODE_RANKS[roomFrom], NODE_RANKS[roomTo]];
			if (a === undefined || b === undefined)
				problems.push(
					`${rel(file)} imports ${rel(target)}: ${NODE_DIR}/${a === undefined ? roomFrom : roomTo}/ has no rank in NODE_RANKS (scripts/check-imports.mjs)`,
				);
			else if (b >= a)
				problems.push(
					`${rel(file)} imports ${rel(target)}: ${roomFrom || 'the node files'}/ may import only rooms below it (${
						Object.entries(NODE_RANKS)
							.filter(([, r]) => r < a)
							.map(([n]) => `${n}/`)
							.join(', ') || 'none'
					})`,
				);
		}
		if (from === to || ALLOWED.has(`${rel(file)} -> ${rel(target)}`)) continue;
		const reason =
			FORBIDDEN[from]?.[to] ??
			(PRODUCT.has(from) && DEVELOPMENT.has(to)
				? 'published code imports no development code (emulator/, test/, bench/, scripts/, e2e/)'
				: undefined);
		if (reason) problems.push(`${rel(file)} imports ${rel(target)}: ${reason}`);
	}
	graph.set(file, edges);
}

// Cycles: Tarjan's strongly connected components; each component of more than one file (or a file
// importing itself) is reported with one path through it.
let index = 0;
const stack = [];
const state = new Map();
function connect(v) {
	state.set(v, { index, low: index, onStack: true });
	index++;
	stack.push(v);
	for (const w of graph.get(v) ?? []) {
		if (!graph.has(w)) continue;
		if (!state.has(w)) {
			connect(w);
			state.get(v).low = Math.min(state.get(v).low, state.get(w).low);
		} else if (state.get(w).onStack) {
			state.get(v).low = Math.min(state.get(v).low, state.get(w).index);
		}
	}
	if (state.get(v).low === state.get(v).index) {
		const component = [];
		let w;
		do {
			w = stack.pop();
			state.get(w).onStack = false;
			component.push(w);
		} while (w !== v);
		if (component.length > 1 || (graph.get(v) ?? []).includes(v))
			problems.push(`import cycle: ${cyclePath(component)}`);
	}
}
function cyclePath(component) {
	const members = new Set(component);
	const start = component.slice().sort()[0];
	// Shortest way back to the start inside the component (breadth-first).
	const previous = new Map([[start, undefined]]);
	const queue = [start];
	while (queue.length) {
		const v = queue.shift();
		for (const w of graph.get(v) ?? []) {
			if (w === start) {
				const chain = [v];
				while (previous.get(chain[0])) chain.unshift(previous.get(chain[0]));
				return [...chain, start].map(rel).join(' -> ');
			}
			if (members.has(w) && !previous.has(w)) {
				previous.set(w, v);
				queue.push(w);
			}
		}
	}
	return component.map(rel).join(', ');
}
for (const file of graph.keys()) if (!state.has(file)) connect(file);

if (problems.length) {
	console.error(`check-imports: ${problems.length} problem(s)`);
	for (const problem of problems) console.error(`  ${problem}`);
	process.exitCode = 1;
} else {
	console.log(`check-imports: ${files.length} files, layers and cycles clean`);
}
