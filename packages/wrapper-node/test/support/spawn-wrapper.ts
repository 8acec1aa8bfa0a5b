import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** The built `hkube-wrapper` bin (npm test builds before testing). */
export const BIN = join(here, '..', '..', 'dist', 'bin.js');
export const FIXTURES = join(here, '..', 'fixtures');

export interface WrapperProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stdout(): string;
  stderr(): string;
  kill(): void;
}

/** Starts `hkube-wrapper` as a real child process, with the environment of an algorithm container. */
export function spawnWrapper(port: number, env: Record<string, string>): WrapperProcess {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` first`);
  let out = '';
  let err = '';
  const child = spawn(process.execPath, [BIN], {
    env: {
      PATH: process.env.PATH ?? '',
      WORKER_SOCKET_HOST: '127.0.0.1',
      WORKER_SOCKET_PORT: String(port),
      ALGORITHM_PATH: FIXTURES,
      ALGORITHM_ENTRY_POINT: 'echo.mjs',
      CLUSTER_NAME: 'local',
      DEFAULT_STORAGE: 'fs',
      HKUBE_LOG_LEVEL: 'debug',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, exited, stdout: () => out, stderr: () => err, kill: () => child.kill('SIGKILL') };
}
