import { AlgorithmExecutionError, ExecutionStoppedError, ExecutionTimeoutError } from '@hkube-ts/codeapi';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator, type TaskEvent } from '../../src/index.js';
import { callerPipeline, deferred, greenAlg, onlyResult, quiet, untilStopped } from './helpers.js';

// pipeline-semantics §3 and §7.2 E: startAlgorithm runs the algorithm as a hidden child task of the job.
let emulator: Emulator;

beforeEach(async () => {
  emulator = await createEmulator({ logger: quiet });
  emulator.registerAlgorithm('green-alg', greenAlg);
});

afterEach(async () => {
  await emulator.close();
});

describe('startAlgorithm in the emulator', () => {
  it.each(['v3', 'v1'] as const)('E1: the child returns 42 to the caller; only the caller is in the results (storage %s)', async (storageMode) => {
    emulator.registerAlgorithm('green-alg', greenAlg, { storageMode });
    emulator.registerAlgorithm('caller', { start: async (_args, api) => api.startAlgorithm<number>('green-alg', [42]) }, { storageMode });
    const events: TaskEvent[] = [];
    const result = await emulator.run(callerPipeline(), { onTaskEvent: (event) => events.push(event) });
    expect(result).toMatchObject({ status: 'completed', data: [{ nodeName: 'caller', algorithmName: 'caller', result: 42 }] });
    expect(result.status === 'completed' && result.data).toHaveLength(1);
    const child = events.filter((event) => event.nodeName === 'caller:green-alg');
    expect(child.map((event) => event.status)).toEqual(['pending', 'active', 'succeed']);
    expect(child[0]!.jobId).toBe(result.jobId);
  });

  it.each(['v3', 'v1'] as const)('the child receives object, string and number inputs (child storage %s)', async (storageMode) => {
    emulator.registerAlgorithm('inspect', { start: ({ input }) => input }, { storageMode });
    emulator.registerAlgorithm('caller', { start: async (_args, api) => api.startAlgorithm('inspect', [{ a: [1, 2] }, 'text', 3]) });
    expect(onlyResult(await emulator.run(callerPipeline()))).toEqual([{ a: [1, 2] }, 'text', 3]);
  });

  it('E6: an unknown algorithm rejects with HKube\'s message', async () => {
    emulator.registerAlgorithm('caller', {
      start: async (_args, api) => {
        try {
          await api.startAlgorithm('nope', []);
          return 'resolved';
        } catch (error) {
          return error instanceof AlgorithmExecutionError ? error.workerMessage : String(error);
        }
      },
    });
    expect(onlyResult(await emulator.run(callerPipeline()))).toBe("Algorithm named 'nope' does not exist");
  });

  it('E7: a child that throws rejects the call with its message; the job completes when the caller catches it', async () => {
    emulator.registerAlgorithm('thrower', {
      start: () => {
        throw new Error('x');
      },
    });
    emulator.registerAlgorithm('caller', {
      start: async (_args, api) => {
        try {
          await api.startAlgorithm('thrower', []);
          return 'resolved';
        } catch (error) {
          return error instanceof AlgorithmExecutionError ? error.workerMessage : String(error);
        }
      },
    });
    const result = await emulator.run(callerPipeline());
    expect(result.status).toBe('completed');
    expect(onlyResult(result)).toBe('x');
  });

  it('E7: a caller that rethrows fails the job with its own error', async () => {
    emulator.registerAlgorithm('thrower', {
      start: () => {
        throw new Error('x');
      },
    });
    emulator.registerAlgorithm('caller', { start: async (_args, api) => api.startAlgorithm('thrower', []) });
    const result = await emulator.run(callerPipeline());
    expect(result).toMatchObject({ status: 'failed', nodeName: 'caller' });
    expect(result.status === 'failed' && result.error).toContain('x');
  });

  it.each(['v3', 'v1'] as const)('E9: includeResult false resolves null (storage %s)', async (storageMode) => {
    emulator.registerAlgorithm('caller', { start: async (_args, api) => api.startAlgorithm('green-alg', [42], { includeResult: false }) }, { storageMode });
    expect(onlyResult(await emulator.run(callerPipeline()))).toBeNull();
  });

  it('a handle stopped mid-flight rejects with ExecutionStoppedError and the child ends stopped', async () => {
    const childStarted = deferred();
    let childAborted = false;
    emulator.registerAlgorithm('slow', untilStopped(() => childStarted.resolve(), () => (childAborted = true)));
    emulator.registerAlgorithm('caller', {
      start: async (_args, api) => {
        const run = api.startAlgorithm('slow', []);
        await childStarted.promise;
        await run.stop('enough');
        return run.then(
          () => 'resolved',
          (error: unknown) => (error instanceof ExecutionStoppedError ? 'stopped' : String(error)),
        );
      },
    });
    const events: TaskEvent[] = [];
    const result = await emulator.run(callerPipeline(), { onTaskEvent: (event) => events.push(event) });
    expect(onlyResult(result)).toBe('stopped');
    expect(childAborted).toBe(true);
    expect(events.filter((event) => event.nodeName === 'caller:slow').at(-1)?.status).toBe('stopped');
  });

  it('timeoutMs rejects with ExecutionTimeoutError and stops the child', async () => {
    let childAborted = false;
    emulator.registerAlgorithm('slow', untilStopped(() => undefined, () => (childAborted = true)));
    emulator.registerAlgorithm('caller', {
      start: async (_args, api) =>
        api.startAlgorithm('slow', [], { timeoutMs: 100 }).then(
          () => 'resolved',
          (error: unknown) => (error instanceof ExecutionTimeoutError ? 'timed out' : String(error)),
        ),
    });
    expect(onlyResult(await emulator.run(callerPipeline()))).toBe('timed out');
    expect(childAborted).toBe(true);
  });

  it('children still running when the caller returns are stopped', async () => {
    let childAborted = false;
    const childStarted = deferred();
    emulator.registerAlgorithm('slow', untilStopped(() => childStarted.resolve(), () => (childAborted = true)));
    emulator.registerAlgorithm('caller', {
      start: async (_args, api) => {
        void api.startAlgorithm('slow', []).catch(() => undefined);
        await childStarted.promise;
        return 'done';
      },
    });
    expect(onlyResult(await emulator.run(callerPipeline()))).toBe('done');
    expect(childAborted).toBe(true);
  });

  it('the child task has HKube\'s node name, parent node, execId and retry policy, in the caller\'s job', async () => {
    emulator.registerAlgorithm('inspect', { start: ({ jobId, nodeName, parentNodeName, execId, retry }) => ({ jobId, nodeName, parentNodeName, execId, retry }) });
    emulator.registerAlgorithm('caller', { start: async ({ jobId }, api) => ({ jobId, child: await api.startAlgorithm('inspect', []) }) });
    const value = onlyResult(await emulator.run(callerPipeline())) as { jobId: string; child: Record<string, unknown> };
    expect(value.child).toMatchObject({ jobId: value.jobId, nodeName: 'caller:inspect', parentNodeName: 'caller', retry: { policy: 'Never' } });
    expect(typeof value.child['execId']).toBe('string');
  });

  it('100 concurrent calls from one task all settle with the right values', async () => {
    emulator.registerAlgorithm('double', { start: ({ input }) => (input[0] as number) * 2 });
    emulator.registerAlgorithm('caller', {
      start: async (_args, api) => Promise.all(Array.from({ length: 100 }, (_, i) => api.startAlgorithm<number>('double', [i]))),
    });
    const values = onlyResult(await emulator.run(callerPipeline()));
    expect(values).toEqual(Array.from({ length: 100 }, (_, i) => i * 2));
  });

  it('a child can start its own children', async () => {
    emulator.registerAlgorithm('middle', { start: async ({ input }, api) => (await api.startAlgorithm<number>('green-alg', input)) + 1 });
    emulator.registerAlgorithm('caller', { start: async (_args, api) => api.startAlgorithm<number>('middle', [41]) });
    expect(onlyResult(await emulator.run(callerPipeline()))).toBe(42);
  });
});
