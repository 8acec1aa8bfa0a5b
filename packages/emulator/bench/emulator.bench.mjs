// Emulator throughput (the built package): a 1,000-task batch node and a 200-node chain of a trivial
// in-process algorithm, each task going through a virtual worker, the in-memory pipe, the real
// wrapper and storage v3. Target on a 2-core machine: under 1 s each.
import { createEmulator } from '@hkube-ts/emulator';

const increment = { start: ({ input: [n] }) => n + 1 };

const batch = {
  name: 'batch-1000',
  nodes: [{ nodeName: 'inc', algorithmName: 'inc', input: ['#@flowInput.items'] }],
  flowInput: { items: Array.from({ length: 1000 }, (_, i) => i) },
};

const chain = {
  name: 'chain-200',
  nodes: Array.from({ length: 200 }, (_, i) => ({ nodeName: `n${i}`, algorithmName: 'inc', input: [i === 0 ? 0 : `@n${i - 1}`] })),
};

function check(result, expected) {
  if (result.status !== 'completed') throw new Error(`job ${result.status}: ${result.error ?? result.reason}`);
  const got = result.data.length === 1 ? result.data[0].result : result.data.length;
  if (got !== expected) throw new Error(`unexpected result ${got}, expected ${expected}`);
}

async function time(emulator, pipeline, expected) {
  const start = process.hrtime.bigint();
  const result = await emulator.run(pipeline);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  check(result, expected);
  return ms;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const emulator = await createEmulator();
emulator.registerAlgorithm('inc', increment);
const rows = [];
for (const [label, pipeline, expected] of [
  ['1,000-task batch node', batch, 1000],
  ['200-node chain', chain, 200],
]) {
  const first = await time(emulator, pipeline, expected);
  const runs = [];
  for (let i = 0; i < 5; i++) runs.push(await time(emulator, pipeline, expected));
  rows.push([label, first, median(runs)]);
}
await emulator.close();

console.log('\nemulator wall time per job (in-process workers, storage v3 in memory, msgpack pipe)');
console.log(`${'job'.padEnd(24)}  ${'first run'.padStart(10)}  ${'median of 5'.padStart(11)}  target`);
for (const [label, first, med] of rows) {
  console.log(`${label.padEnd(24)}  ${`${first.toFixed(0)} ms`.padStart(10)}  ${`${med.toFixed(0)} ms`.padStart(11)}  ${med < 1000 ? '< 1 s ✓' : '≥ 1 s ✗'}`);
}
