#!/usr/bin/env node
// `npm run demo`: runs examples/pipeline-basics through the built `hkube-ts` CLI — first with both
// algorithms in-process, then with `sum` as its own process under the hkube-wrapper bin — and prints
// what the CLI prints.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join('packages', 'emulator', 'dist', 'cli.js');
const example = join('examples', 'pipeline-basics');

const runs = [
  ['both algorithms in-process', ['run', join(example, 'pipeline.json'), '--algorithms', join(example, 'algorithms.json')]],
  ['sum as an external process, --json', ['run', join(example, 'pipeline.json'), '--algorithms', join(example, 'algorithms.process.json'), '--json']],
];

let failed = false;
for (const [title, args] of runs) {
  console.log(`\n$ node ${cli} ${args.join(' ')}    # ${title}`);
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`demo: the CLI exited with ${result.status ?? result.signal}`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
