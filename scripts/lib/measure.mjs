// Tiny benchmark helpers shared by the packages' bench files. Candidates are measured in
// alternation, several rounds each, and the median is reported so that one noisy round (2 cores,
// other processes) does not decide a ratio.

/** Operations per second of `fn`, measured for about `ms` milliseconds. */
export function opsPerSecond(fn, ms = 150) {
  // Warm up so the JIT has seen the code before timing.
  for (let i = 0; i < 20; i++) fn();
  let ops = 0;
  const start = process.hrtime.bigint();
  const limit = BigInt(ms) * 1_000_000n;
  let elapsed;
  do {
    fn();
    ops++;
    elapsed = process.hrtime.bigint() - start;
  } while (elapsed < limit);
  return (ops * 1e9) / Number(elapsed);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Median ops/s of each candidate over `rounds` alternating rounds. */
export function compare(candidates, { rounds = 7, ms = 150 } = {}) {
  const samples = candidates.map(() => []);
  for (let r = 0; r < rounds; r++) {
    // Alternate who goes first, so neither side always inherits the other's garbage.
    const order = candidates.map((_, i) => i);
    if (r % 2 === 1) order.reverse();
    for (const i of order) samples[i].push(opsPerSecond(candidates[i][1], ms));
  }
  return candidates.map(([name], i) => ({ name, ops: median(samples[i]) }));
}

export function formatOps(ops) {
  if (ops >= 1e6) return `${(ops / 1e6).toFixed(2)} M`;
  if (ops >= 1e3) return `${(ops / 1e3).toFixed(1)} k`;
  return ops.toFixed(1);
}

/** Prints rows `{label, ours, theirs}` as an aligned table with the ratio ours/theirs. */
export function printTable(title, rows, names = ['ours', 'theirs']) {
  console.log(`\n${title}`);
  const header = ['case', `${names[0]} ops/s`, `${names[1]} ops/s`, 'ratio'];
  const lines = rows.map((r) => [r.label, formatOps(r.ours), formatOps(r.theirs), `${(r.ours / r.theirs).toFixed(2)}x`]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cols) => cols.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(fmt(header));
  for (const l of lines) console.log(fmt(l));
}
