import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WorkerMessage } from '@hkube-ts/protocol';
import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../src/storage/emulator-storage.js';
import { AlgorithmExecutions, type ChildExecutionOutcome } from '../../src/services/algorithm-executions.js';
import { SubPipelines } from '../../src/services/subpipelines.js';
import { createTaskServices } from '../../src/services/task-services.js';
import type { CallerConnection } from '../../src/services/types.js';
import { deferred } from './helpers.js';

// The worker-protocol §6 replies, without a wrapper in between.
function caller(storageMode: 'v1' | 'v3' = 'v3'): CallerConnection & { replies: WorkerMessage[] } {
  const replies: WorkerMessage[] = [];
  return { storageMode, replies, reply: (message) => replies.push(message) };
}

describe('algorithm executions', () => {
  it('refuses a duplicate running execId and an unknown stop, and sends nothing for a stopped child', async () => {
    const ended = deferred<ChildExecutionOutcome>();
    let aborted: unknown;
    const executions = new AlgorithmExecutions({
      algorithmExists: () => true,
      run: (_request, signal) => {
        signal.addEventListener('abort', () => (aborted = signal.reason as unknown));
        return ended.promise;
      },
    });
    const to = caller();
    executions.start({ execId: '1', algorithmName: 'a', input: [] }, to);
    executions.start({ execId: '1', algorithmName: 'a', input: [] }, to);
    executions.stop({ execId: '2', reason: 'r' }, to);
    expect(to.replies).toEqual([
      { command: 'algorithmExecutionError', data: { execId: '1', error: 'execution 1 already running' } },
      { command: 'algorithmExecutionError', data: { execId: '2', error: 'unable to find execId 2' } },
    ]);
    executions.stop({ execId: '1', reason: 'r' }, to);
    expect(aborted).toBe('stopped by algorithm: r');
    ended.resolve({ outcome: { status: 'failed', error: 'stopped' }, stored: undefined });
    await ended.promise;
    await Promise.resolve();
    expect(to.replies).toHaveLength(2);
    expect(executions.size).toBe(0);
  });

  it('answers v3 with the storage descriptor and v1 with the value', async () => {
    const stored = { storageInfo: { path: 'local-hkube/j/t', size: 3 } };
    const executions = new AlgorithmExecutions({ algorithmExists: () => true, run: () => Promise.resolve({ outcome: { status: 'succeed', result: 42 }, stored }) });
    const v3 = caller('v3');
    const v1 = caller('v1');
    executions.start({ execId: '1', algorithmName: 'a' }, v3);
    executions.start({ execId: '2', algorithmName: 'a', includeResult: true }, v1);
    executions.start({ execId: '3', algorithmName: 'a', includeResult: false }, v1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(v3.replies).toEqual([{ command: 'algorithmExecutionDone', data: { execId: '1', response: stored } }]);
    expect(v1.replies).toEqual([
      { command: 'algorithmExecutionDone', data: { execId: '2', response: 42 } },
      { command: 'algorithmExecutionDone', data: { execId: '3', response: stored } },
    ]);
  });
});

describe('sub-pipelines', () => {
  it('writes the results array for a v3 caller and answers with its path; an unknown stop is an error', async () => {
    const storage = createMemoryStorage({ clusterName: 'local', encoding: 'msgpack' });
    const data = [{ nodeName: 'one', algorithmName: 'green-alg', result: 42 }];
    const result = Promise.resolve({ status: 'completed' as const, data, jobId: 'sub-1', pipeline: 'p', startTime: 0, timestamp: 0, timeTook: 0 });
    const subPipelines = new SubPipelines(() => ({ jobId: 'sub-1', result }), storage);
    const to = caller('v3');
    subPipelines.start('startRawSubPipeline', { subPipelineId: '7', subPipeline: { name: 'p', nodes: [] } }, to);
    subPipelines.stop({ subPipelineId: '8' }, to);
    await new Promise((resolve) => setImmediate(resolve));
    const path = 'local-hkube-results/sub-1/result.json';
    expect(to.replies).toEqual([
      { command: 'subPipelineStarted', data: { subPipelineId: '7' } },
      { command: 'subPipelineError', data: { subPipelineId: '8', error: 'cannot stop subPipeline - not found: 8' } },
      { command: 'subPipelineDone', data: { subPipelineId: '7', response: { storageInfo: { path } } } },
    ]);
    const object = await storage.adapter.get(path);
    expect(storage.codec.decode(object.body)).toEqual({ ok: true, value: data });
  });
});

describe('data sources', () => {
  async function request(dataSourcesDir: string | undefined, dataSource: Record<string, unknown>): Promise<WorkerMessage[]> {
    const services = createTaskServices({
      executions: { algorithmExists: () => false, run: () => Promise.reject(new Error('unused')) },
      launchSubPipeline: () => {
        throw new Error('unused');
      },
      storage: createMemoryStorage({ clusterName: 'local', encoding: 'msgpack' }),
      dataSourcesDir,
    });
    const to = caller();
    services.handle({ command: 'dataSourceRequest', data: { requestId: 'r1', dataSource: dataSource as { dataSourceId: string } } }, to);
    for (let i = 0; i < 100 && to.replies.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    return to.replies;
  }

  it('lists the files of <dataSourcesDir>/<id> with absolute paths, in name order', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hkube-ts-ds-'));
    try {
      await mkdir(join(dir, 'images', 'sub'), { recursive: true });
      await writeFile(join(dir, 'images', 'b.txt'), 'bb');
      await writeFile(join(dir, 'images', 'sub', 'a.txt'), 'a');
      const replies = await request(dir, { dataSourceId: 'images' });
      expect(replies).toEqual([
        {
          command: 'dataSourceResponse',
          data: {
            requestId: 'r1',
            response: {
              name: 'images',
              files: [
                { name: 'b.txt', path: join(dir, 'images', 'b.txt'), size: 2 },
                { name: 'sub/a.txt', path: join(dir, 'images', 'sub', 'a.txt'), size: 1 },
              ],
            },
          },
        },
      ]);
      expect(await request(dir, { snapshotId: 'images' })).toHaveLength(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('answers HKube’s error for an unknown id, a path-like id, or no directory configured', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hkube-ts-ds-'));
    try {
      const error = (replies: WorkerMessage[]) => (replies[0]?.data as { error?: string }).error;
      expect(error(await request(dir, { dataSourceId: 'missing' }))).toBe('unable to find matching data-source');
      expect(error(await request(dir, { dataSourceId: '../etc' }))).toBe('unable to find matching data-source');
      expect(error(await request(undefined, { dataSourceId: 'images' }))).toMatch(/^unable to find matching data-source/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
