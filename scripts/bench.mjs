#!/usr/bin/env node
// Runs every package's benchmarks (packages/*/bench/*.bench.mjs) against the built packages.
// Not a test: it prints figures and ratios measured in this one run.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv[2];
let failed = false;
for (const pkg of readdirSync(join(root, 'packages'))) {
  const dir = join(root, 'packages', pkg, 'bench');
  if (!existsSync(dir)) continue;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.bench.mjs')).sort()) {
    if (only && !file.includes(only) && pkg !== only) continue;
    console.log(`\n=== ${pkg}/bench/${file}`);
    const result = spawnSync(process.execPath, ['--expose-gc', join(dir, file)], { cwd: join(root, 'packages', pkg), stdio: 'inherit' });
    if (result.status !== 0) failed = true;
  }
}
process.exit(failed ? 1 : 0);
