// Summarises a V8 CPU profile (node --cpu-prof, or HKUBE_BENCH_CPU_PROF=<dir> with tasks.bench.mjs):
// self time by function and by file, and inclusive (total) time of the wrapper's functions.
//
//   node bench/profile-summary.mjs <file.cpuprofile> [rows=25]
import { readFileSync } from 'node:fs';

const [file, rowsArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/profile-summary.mjs <file.cpuprofile> [rows]');
  process.exit(2);
}
const rows = Number(rowsArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));

// Self time per node from the sample deltas.
const self = new Map();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...self.values()].reduce((a, b) => a + b, 0);

const shortUrl = (url) => url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\/\.pnpm\/[^/]+\/node_modules\//, '').replace(/^.*\/packages\//, '');
const label = (n) => {
  const { functionName, url, lineNumber } = n.callFrame;
  return `${functionName || '(anonymous)'} ${url ? `${shortUrl(url)}:${lineNumber + 1}` : ''}`.trim();
};

function top(map, title) {
  const sorted = [...map].sort((a, b) => b[1] - a[1]).slice(0, rows);
  console.log(`\n${title}`);
  for (const [name, us] of sorted) console.log(`${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${name}`);
}

const byFunction = new Map();
const byFile = new Map();
for (const [id, us] of self) {
  const n = nodes.get(id);
  const name = label(n);
  byFunction.set(name, (byFunction.get(name) ?? 0) + us);
  const fileName = n.callFrame.url ? shortUrl(n.callFrame.url) : n.callFrame.functionName;
  byFile.set(fileName, (byFile.get(fileName) ?? 0) + us);
}

// Inclusive time: each sample counts once for every distinct function on its stack.
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const inclusive = new Map();
for (const [id, us] of self) {
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const name = label(nodes.get(cur));
    if (seen.has(name)) continue;
    seen.add(name);
    inclusive.set(name, (inclusive.get(name) ?? 0) + us);
  }
}
const wrapperInclusive = new Map([...inclusive].filter(([name]) => /wrapper-node|codeapi|protocol/.test(name)));

console.log(`${file}: ${(total / 1000).toFixed(0)} ms sampled`);
top(byFile, 'self time by file');
top(byFunction, 'self time by function');
top(wrapperInclusive, 'inclusive time, functions of @hkube-ts packages');
