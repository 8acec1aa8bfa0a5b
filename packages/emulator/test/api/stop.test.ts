import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator, type TaskEvent } from '../../src/index.js';
import { FIXTURES, isRunning, wrapperCommand } from '../support/built.js';

let emulator: Emulator | undefined;

afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const slowPipeline = { name: 'slow', nodes: [{ nodeName: 'A', algorithmName: 'slow', input: ['#[1,2,3]'] }] };

/** Resolves once `count` tasks are active. */
function whenActive(count: number): { onTaskEvent: (event: TaskEvent) => void; active: Promise<void> } {
  let seen = 0;
  let resolve!: () => void;
  const active = new Promise<void>((r) => (resolve = r));
  return {
    active,
    onTaskEvent: (event) => {
      if (event.status === 'active' && (seen += 1) === count) resolve();
    },
  };
}

/** Collects the pids that processes print. */
function pids(): { pids: number[]; onProcessOutput: (name: string, stream: string, text: string) => void } {
  const found: number[] = [];
  return { pids: found, onProcessOutput: (_name, _stream, text) => found.push(...[...text.matchAll(/pid (\d+)/g)].map((m) => Number(m[1]))) };
}

describe('stopping a job', () => {
  it('in-process: the job ends stopped with the default reason, and the algorithm saw the stop', async () => {
    const stops: boolean[] = [];
    emulator = await createEmulator();
    emulator.registerAlgorithm('slow', {
      start: ({ signal }) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')))),
      stop: ({ forceStop }) => void stops.push(forceStop),
    });
    const { active, onTaskEvent } = whenActive(3);
    const job = emulator.runPipeline(slowPipeline, { onTaskEvent });
    await active;
    const result = await job.stop();
    expect(result).toMatchObject({ jobId: job.jobId, pipeline: 'slow', status: 'stopped', reason: 'stopped due to request' });
    expect(result).not.toHaveProperty('data');
    expect(stops).toEqual([true, true, true]);
    const statuses = [];
    for await (const event of job.progress) statuses.push(event.status);
    expect(statuses).toEqual(['active', 'stopped']);
  });

  it('a stop reason given to stop() or to the signal becomes the job reason', async () => {
    emulator = await createEmulator();
    emulator.registerAlgorithm('slow', { path: join(FIXTURES, 'slow.mjs') });
    const controller = new AbortController();
    const { active, onTaskEvent } = whenActive(1);
    const job = emulator.runPipeline(slowPipeline, { signal: controller.signal, onTaskEvent });
    await active;
    controller.abort('enough');
    expect(await job.result).toMatchObject({ status: 'stopped', reason: 'enough' });
  });

  it('as processes: the job ends stopped and every process has exited', async () => {
    const seen = pids();
    emulator = await createEmulator({ onProcessOutput: seen.onProcessOutput });
    emulator.registerAlgorithm('slow', wrapperCommand('slow-pid.mjs'), { maxWorkers: 2 });
    const { active, onTaskEvent } = whenActive(2);
    const job = emulator.runPipeline(slowPipeline, { onTaskEvent });
    await active;
    const result = await job.stop('stopped by the test');
    expect(result).toMatchObject({ status: 'stopped', reason: 'stopped by the test' });
    expect(seen.pids).toHaveLength(2);
    for (const pid of seen.pids) expect(isRunning(pid)).toBe(false);
  });

  it('a process that never answers stop is killed after the stop timeout', async () => {
    const seen = pids();
    emulator = await createEmulator({ onProcessOutput: seen.onProcessOutput, logger: quiet, timeouts: { stopMs: 300, exitGraceMs: 200 } });
    emulator.registerAlgorithm('slow', { command: [process.execPath, join(FIXTURES, 'deaf-wrapper.mjs')], cwd: FIXTURES }, { maxWorkers: 1 });
    const { active, onTaskEvent } = whenActive(1);
    const job = emulator.runPipeline(slowPipeline, { onTaskEvent });
    await active;
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = Date.now();
    expect(await job.stop()).toMatchObject({ status: 'stopped' });
    expect(Date.now() - started).toBeLessThan(6000);
    expect(seen.pids).toHaveLength(1);
    expect(isRunning(seen.pids[0]!)).toBe(false);
  });

  it('closing the emulator stops its running jobs', async () => {
    emulator = await createEmulator();
    emulator.registerAlgorithm('slow', { path: join(FIXTURES, 'slow.mjs') });
    const { active, onTaskEvent } = whenActive(3);
    const job = emulator.runPipeline(slowPipeline, { onTaskEvent });
    await active;
    await emulator.close();
    expect(await job.result).toMatchObject({ status: 'stopped', reason: 'the emulator was closed' });
  });

  it('a node ttl stops the task and fails it with "Algorithm TTL expired"', async () => {
    emulator = await createEmulator();
    emulator.registerAlgorithm('slow', { path: join(FIXTURES, 'slow.mjs') });
    emulator.registerAlgorithm('echo', { start: ({ input }) => input });
    const result = await emulator.run({
      name: 'ttl',
      nodes: [
        { nodeName: 'A', algorithmName: 'slow', input: ['#[1,2]'], ttl: 1 },
        { nodeName: 'B', algorithmName: 'echo', input: ['@A'] },
      ],
      options: { batchTolerance: 100 },
    });
    expect(result).toMatchObject({ status: 'failed', error: '2/2 (100%) failed tasks, batch tolerance is 100%, error: Algorithm TTL expired' });
  });
});
