#!/usr/bin/env node
// Runs every vitest project and ends with the totals on a line of their own:
// `N passed, N failed` (and `, N skipped` when some were skipped).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const report = join(root, '.vitest-results.json');
rmSync(report, { force: true });
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
const result = spawnSync(
  process.execPath,
  [vitest, 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit' },
);
const json = existsSync(report) ? JSON.parse(readFileSync(report, 'utf8')) : {};
const passed = json.numPassedTests ?? 0;
// A failed test also fails its describe blocks and its file: count tests, plus files that failed
// without a failed test (a file that does not load, a failing hook).
const brokenFiles = (json.testResults ?? []).filter(
  (file) => file.status === 'failed' && !(file.assertionResults ?? []).some((test) => test.status === 'failed'),
).length;
let failed = (json.numFailedTests ?? 0) + brokenFiles;
const skipped = (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0);
const code = result.status ?? 1;
if (code !== 0 && failed === 0) failed = 1;
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(code !== 0 || failed > 0 || passed === 0 ? 1 : 0);
