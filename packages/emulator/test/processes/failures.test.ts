import { afterEach, describe, expect, it } from 'vitest';
import { AlgorithmProcessError, createEmulator, ProcessConnectTimeoutError, type Emulator, type JobResult } from '../../src/index.js';
import { FIXTURES, wrapperCommand } from '../support/built.js';

// Processes that misbehave fail their task with a clear message and never hang the job.
let emulator: Emulator | undefined;

afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const single = { name: 'single', nodes: [{ nodeName: 'A', algorithmName: 'bad', input: [1] }] };

async function failure(source: { command: string[]; cwd?: string; env?: Record<string, string> }, connectTimeoutMs?: number): Promise<JobResult & { status: 'failed' }> {
  emulator = await createEmulator({ logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined } });
  emulator.registerAlgorithm('bad', source, connectTimeoutMs === undefined ? {} : { connectTimeoutMs });
  const result = await emulator.run(single);
  if (result.status !== 'failed') expect.fail(`expected a failed job, got ${result.status}`);
  expect(result.nodeName).toBe('A');
  return result;
}

describe('algorithm processes that fail', () => {
  it('a command that exits at once fails its task, naming the command, its exit code and its output', async () => {
    const result = await failure({ command: [process.execPath, '-e', 'console.error("cannot start: missing config"); process.exit(3)'] });
    expect(result.error).toContain('the process of algorithm "bad"');
    expect(result.error).toContain('exited with code 3 before connecting to its worker');
    expect(result.error).toContain('cannot start: missing config');
    // The message class is the typed error's.
    expect(new AlgorithmProcessError({ algorithmName: 'bad', command: ['x'], exitCode: 3 }, 'before connecting to its worker').code).toBe('ALGORITHM_PROCESS_FAILED');
  });

  it('a command that does not exist fails its task', async () => {
    const result = await failure({ command: ['hkube-ts-no-such-command-xyz'] });
    expect(result.error).toMatch(/hkube-ts-no-such-command-xyz.*could not be started \(spawn hkube-ts-no-such-command-xyz ENOENT\)/);
  });

  it('a process that never connects fails its task after the connect timeout, and is killed', async () => {
    const started = Date.now();
    const result = await failure({ command: [process.execPath, '-e', 'console.log("pid " + process.pid); setInterval(() => {}, 1000)'] }, 300);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result.error).toMatch(/^the process of algorithm "bad" \(.+\) did not connect to its worker within 300 ms \(it must dial ws:\/\/\$WORKER_SOCKET_HOST:\$WORKER_SOCKET_PORT\)/);
    expect(new ProcessConnectTimeoutError('bad', ['x'], 300).code).toBe('PROCESS_CONNECT_TIMEOUT');
    const pid = Number(/pid (\d+)/.exec(result.error)?.[1]);
    expect(pid).toBeGreaterThan(0);
    expect(() => process.kill(pid, 0)).toThrow();
  });

  it('a process that exits during a task fails that task with its exit code and output', async () => {
    const result = await failure(wrapperCommand('exit-in-start.mjs'));
    expect(result.error).toMatch(/^the process of algorithm "bad" \(.*bin\.js\) exited with code 5 during task \w{8} of node "A"/);
    expect(result.error).toContain('about to crash');
  });

  it('a module without start, run by the wrapper bin, fails the task with the loader error', async () => {
    const result = await failure(wrapperCommand('no-start.mjs'));
    expect(result.error).toBe(`the algorithm '${FIXTURES}/no-start.mjs' does not export a start function (export \`start\`, or a default object with \`start\`)`);
  });
});
