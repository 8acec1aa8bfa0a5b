#!/usr/bin/env node
// Runs the pinned pnpm without a global install: the project's own copy once installed,
// otherwise the same version through npx (which needs only npm and the registry).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PNPM_VERSION = '12.4.2';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const local = join(root, 'node_modules', 'pnpm', 'bin', 'pnpm.mjs');
const args = process.argv.slice(2);
const [cmd, cmdArgs] = existsSync(local)
  ? [process.execPath, [local, ...args]]
  : ['npx', ['--yes', `pnpm@${PNPM_VERSION}`, ...args]];
const result = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit' });
if (result.error) {
  console.error(`pnpm could not be started: ${result.error.message}`);
  process.exit(1);
}
process.exit(result.status ?? 1);
