import { ExecutionStoppedError, SubpipelineError } from '@hkube-ts/codeapi';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../../src/index.js';
import { callerPipeline, deferred, greenAlg, onlyResult, quiet, untilStopped } from './helpers.js';

// pipeline-semantics §3 and §7.2 E: sub-pipelines run as separate jobs; the caller gets the results array.
let emulator: Emulator;

beforeEach(async () => {
  emulator = await createEmulator({ logger: quiet });
  emulator.registerAlgorithm('green-alg', greenAlg);
});

afterEach(async () => {
  await emulator.close();
});

/** Runs `start` as the caller and returns what it returned, or the worker's error text when it threw a SubpipelineError. */
async function callerResult(start: Parameters<Emulator['registerAlgorithm']>[1], storageMode: 'v1' | 'v3' = 'v3'): Promise<unknown> {
  emulator.registerAlgorithm('caller', start, { storageMode });
  return onlyResult(await emulator.run(callerPipeline()));
}

function workerMessage(error: unknown): string {
  return error instanceof SubpipelineError ? error.workerMessage : String(error);
}

describe('sub-pipelines in the emulator', () => {
  it.each(['v3', 'v1'] as const)('E2: a raw sub-pipeline returns its results array (storage %s)', async (storageMode) => {
    const value = await callerResult(
      { start: async (_args, api) => api.startRawSubpipeline('raw-simple', [{ nodeName: 'one', algorithmName: 'green-alg', input: [42] }], {}) },
      storageMode,
    );
    expect(value).toEqual([{ nodeName: 'one', algorithmName: 'green-alg', result: 42 }]);
  });

  it('E3: a stored sub-pipeline deep-merges the caller\'s flowInput over the stored one', async () => {
    emulator.storePipeline({
      name: 'simple',
      nodes: [{ nodeName: 'green', algorithmName: 'green-alg', input: ['@flowInput.files.link'] }],
      flowInput: { files: { link: 'links-0', kept: true } },
    });
    const value = await callerResult({
      start: async (_args, api) => {
        const results = await api.startStoredSubpipeline('simple', { files: { link: 'links-1' } });
        return results[0];
      },
    });
    expect(value).toEqual({ nodeName: 'green', algorithmName: 'green-alg', result: 'links-1' });
  });

  it('E3: the stored flowInput keys the caller does not give are kept', async () => {
    emulator.storePipeline({
      name: 'both',
      nodes: [{ nodeName: 'green', algorithmName: 'green-alg', input: ['@flowInput.files'] }],
      flowInput: { files: { link: 'links-0', kept: true } },
    });
    const value = await callerResult({ start: async (_args, api) => (await api.startStoredSubpipeline('both', { files: { link: 'links-1' } }))[0]?.result });
    expect(value).toEqual({ link: 'links-1', kept: true });
  });

  it('E5: a failed sub-pipeline rejects with the batch-tolerance message; the parent job completes when caught', async () => {
    emulator.registerAlgorithm('eval-alg', {
      start: ({ input }) => {
        if (input[0] === 3) throw new Error('eval error, dont know what to do');
        return input[0];
      },
    });
    const nodes = [{ nodeName: 'eval', algorithmName: 'eval-alg', input: ['#@flowInput.items'] }];
    emulator.registerAlgorithm('caller', {
      start: async (_args, api) =>
        api.startRawSubpipeline('failing', nodes, { items: [1, 2, 3, 4, 5] }, { options: { batchTolerance: 20 } }).then(() => 'resolved', workerMessage),
    });
    const result = await emulator.run(callerPipeline());
    expect(result.status).toBe('completed');
    expect(onlyResult(result)).toBe('1/5 (20%) failed tasks, batch tolerance is 20%, error: eval error, dont know what to do');
  });

  it('E5: a caller that rethrows fails its job', async () => {
    emulator.registerAlgorithm('bad', {
      start: () => {
        throw new Error('boom');
      },
    });
    emulator.registerAlgorithm('caller', { start: async (_args, api) => api.startRawSubpipeline('failing', [{ nodeName: 'b', algorithmName: 'bad', input: [] }]) });
    const result = await emulator.run(callerPipeline());
    expect(result).toMatchObject({ status: 'failed', nodeName: 'caller' });
    expect(result.status === 'failed' && result.error).toContain('boom');
  });

  it('an invalid sub-pipeline or an unknown stored pipeline is a subPipelineError with HKube\'s message', async () => {
    const value = await callerResult({
      start: async (_args, api) => [
        await api.startRawSubpipeline('bad', [{ nodeName: 'one', algorithmName: 'missing', input: [] }]).then(() => 'resolved', workerMessage),
        await api.startStoredSubpipeline('not-stored', {}).then(() => 'resolved', workerMessage),
      ],
    });
    expect(value).toEqual(['algorithm missing Not Found', 'pipeline not-stored Not Found']);
  });

  it.each(['v3', 'v1'] as const)('E9: includeResult false resolves null (storage %s)', async (storageMode) => {
    const value = await callerResult(
      { start: async (_args, api) => api.startRawSubpipeline('raw', [{ nodeName: 'one', algorithmName: 'green-alg', input: [1] }], {}, { includeResult: false }) },
      storageMode,
    );
    expect(value).toBeNull();
  });

  it('a sub-pipeline is a separate job whose rootJobId is the caller\'s job', async () => {
    emulator.registerAlgorithm('ids', { start: ({ jobId, info }) => ({ jobId, rootJobId: (info as { readonly rootJobId?: string } | undefined)?.rootJobId }) });
    const value = await callerResult({
      start: async ({ jobId }, api) => {
        const [entry] = await api.startRawSubpipeline('ids', [{ nodeName: 'one', algorithmName: 'ids', input: [] }]);
        return { caller: jobId, sub: entry?.result };
      },
    });
    const { caller, sub } = value as { caller: string; sub: { jobId: string; rootJobId: string } };
    expect(sub.jobId).not.toBe(caller);
    expect(sub.rootJobId).toBe(caller);
  });

  it('a stopped handle stops the sub-pipeline job', async () => {
    const childStarted = deferred();
    let childAborted = false;
    emulator.registerAlgorithm('slow', untilStopped(() => childStarted.resolve(), () => (childAborted = true)));
    const value = await callerResult({
      start: async (_args, api) => {
        const run = api.startRawSubpipeline('slow-sub', [{ nodeName: 's', algorithmName: 'slow', input: [] }]);
        await childStarted.promise;
        await run.stop('enough');
        return run.then(() => 'resolved', (error: unknown) => (error instanceof ExecutionStoppedError ? 'stopped' : String(error)));
      },
    });
    expect(value).toBe('stopped');
    await expect.poll(() => childAborted).toBe(true);
  });

  it('a sub-pipeline still running when the caller returns is stopped', async () => {
    const childStarted = deferred();
    let childAborted = false;
    emulator.registerAlgorithm('slow', untilStopped(() => childStarted.resolve(), () => (childAborted = true)));
    const value = await callerResult({
      start: async (_args, api) => {
        void api.startRawSubpipeline('slow-sub', [{ nodeName: 's', algorithmName: 'slow', input: [] }]).catch(() => undefined);
        await childStarted.promise;
        return 'done';
      },
    });
    expect(value).toBe('done');
    await expect.poll(() => childAborted).toBe(true);
  });
});
