import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The emulator package root. */
export const PACKAGE_ROOT = join(here, '..', '..');
/** The algorithm modules the tests use. */
export const FIXTURES = join(here, '..', 'fixtures');
/** The repository root. */
export const REPO_ROOT = join(PACKAGE_ROOT, '..', '..');

function built(path: string): string {
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`npm run build\` first (npm test builds before testing)`);
  return path;
}

/** The built `hkube-wrapper` bin of @hkube-ts/wrapper-node. */
export function wrapperBin(): string {
  return built(join(PACKAGE_ROOT, '..', 'wrapper-node', 'dist', 'bin.js'));
}

/** The built `hkube-ts` CLI. */
export function cliBin(): string {
  return built(join(PACKAGE_ROOT, 'dist', 'cli.js'));
}

/** A command running a fixture module under the real `hkube-wrapper` bin, as a process. */
export function wrapperCommand(entryPoint: string, env: Record<string, string> = {}): { command: string[]; cwd: string; env: Record<string, string> } {
  return { command: [process.execPath, wrapperBin()], cwd: FIXTURES, env: { ALGORITHM_PATH: '.', ALGORITHM_ENTRY_POINT: entryPoint, ...env } };
}

/** True when the process `pid` still runs. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
