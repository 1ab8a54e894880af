/**
 * `npx tsx bench/profile-summary.ts <file.cpuprofile> [top]`: where the CPU time of a scenario went
 * (profiles from `npm run bench -- --profile <dir>`): self time by package and by function, and the
 * inclusive time of the heaviest frames from this package and from n8n.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number };
	children?: number[];
}
interface Profile {
	nodes: ProfileNode[];
	samples: number[];
	timeDeltas: number[];
}

function owner(url: string): string {
	if (!url) return '(native/gc/idle)';
	const nm = url.lastIndexOf('node_modules/');
	if (nm >= 0) {
		const rest = url.slice(nm + 'node_modules/'.length).split('/');
		return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
	}
	if (url.startsWith('node:')) return 'node:*';
	const m = /\/work\/[^/]+\/(.*)$/.exec(url) ?? /\/([^/]+\/[^/]+)$/.exec(url);
	return m ? `./${m[1].split('/').slice(0, 2).join('/')}` : url;
}

function main(): void {
	const [file, topArg] = process.argv.slice(2);
	if (!file) throw new Error('usage: tsx bench/profile-summary.ts <file.cpuprofile> [top]');
	const top = Number(topArg ?? 25);
	const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
	const byId = new Map(profile.nodes.map((n) => [n.id, n]));
	const parent = new Map<number, number>();
	for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
	const self = new Map<number, number>();
	let total = 0;
	profile.samples.forEach((id, i) => {
		const dt = profile.timeDeltas[i] ?? 0;
		self.set(id, (self.get(id) ?? 0) + dt);
		total += dt;
	});
	const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
	const byPackage = new Map<string, number>();
	const byFunction = new Map<string, number>();
	const inclusive = new Map<string, number>();
	for (const [id, t] of self) {
		const n = byId.get(id);
		if (!n) continue;
		const { functionName, url, lineNumber } = n.callFrame;
		add(byPackage, owner(url), t);
		add(byFunction, `${functionName || '(anonymous)'} ${owner(url)}:${lineNumber + 1}`, t);
		// Inclusive: count each distinct frame once per sample's stack.
		const seen = new Set<string>();
		for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
			const f = byId.get(cur)?.callFrame;
			if (!f) continue;
			const key = `${f.functionName || '(anonymous)'} ${owner(f.url)}:${f.lineNumber + 1}`;
			if (!seen.has(key)) {
				seen.add(key);
				add(inclusive, key, t);
			}
		}
	}
	const pct = (t: number) => `${((100 * t) / total).toFixed(1).padStart(5)}%`;
	const print = (
		title: string,
		m: Map<string, number>,
		filter: (k: string) => boolean = () => true,
	) => {
		console.log(`\n${title}`);
		for (const [k, t] of [...m]
			.filter(([k]) => filter(k))
			.sort((a, b) => b[1] - a[1])
			.slice(0, top))
			console.log(`  ${pct(t)}  ${k}`);
	};
	console.log(`${file}: ${(total / 1000).toFixed(0)} ms sampled`);
	print('Self time by package', byPackage);
	print('Self time by function', byFunction);
	print('Inclusive time (n8n, this package)', inclusive, (k) =>
		/n8n-|\.\/(nodes|credentials|bench|test)/.test(k),
	);
}

main();
