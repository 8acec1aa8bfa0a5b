import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSourceError, type HkubeApi } from '@hkube-ts/codeapi';
import { debug, silentLogger, type Algorithm } from '@hkube-ts/wrapper-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../../src/index.js';
import { expectCompleted, FAST_STREAMING, streamPipeline, untilStopped } from './helpers.js';

// The Code API of a stream debug node's debugger (worker-protocol §1.6, §6): its requests are served
// as any node's, by the relayed task's services.
const sessions: AbortController[] = [];
let emulator: Emulator | undefined;
let dataSources: string;

beforeEach(async () => {
  dataSources = await mkdtemp(join(tmpdir(), 'hkube-ts-debug-code-api-'));
  await mkdir(join(dataSources, 'images'));
  await writeFile(join(dataSources, 'images', 'cat.png'), 'meow');
});

afterEach(async () => {
  for (const controller of sessions.splice(0)) controller.abort();
  await emulator?.close();
  emulator = undefined;
  await rm(dataSources, { recursive: true, force: true });
});

/** Attaches `algorithm` as the debugger of `algorithmName`, in this process. */
async function attach(algorithmName: string, algorithm: Algorithm): Promise<unknown> {
  const controller = new AbortController();
  sessions.push(controller);
  return debug(await emulator!.debugUrl(algorithmName), algorithm, { exitProcess: false, logger: silentLogger, signal: controller.signal });
}

/** An emulator with `square`, a stored pipeline running it on `@flowInput.n`, and the `images` data source. */
async function squaringEmulator(): Promise<Emulator> {
  // No restarts: a refused request fails the job instead of restarting the node.
  const created = await createEmulator({ streaming: { ...FAST_STREAMING, statefulRetryLimit: 0 }, dataSourcesDir: dataSources });
  created.registerAlgorithm('square', { start: ({ input: [n] }) => (n as number) ** 2 });
  created.storePipeline({ name: 'stored-square', nodes: [{ nodeName: 'sq', algorithmName: 'square', input: ['@flowInput.n'] }], flowInput: { n: 0 } });
  return created;
}

/** What a debugger gets from sub-pipelines and data sources (the same whatever the node). */
async function subPipelinesAndDataSources(api: HkubeApi): Promise<unknown> {
  const stored = await api.startStoredSubpipeline('stored-square', { n: 3 });
  const raw = await api.startRawSubpipeline('raw-square', [{ nodeName: 'sq', algorithmName: 'square', input: [4] }]);
  const { files } = await api.getDataSource({ dataSourceId: 'images' });
  const missing = await api.getDataSource({ dataSourceId: 'nope' }).then(
    () => 'found',
    (error: unknown) => (error instanceof DataSourceError ? { code: error.code, workerMessage: error.workerMessage } : String(error)),
  );
  return { stored, raw, files: files.map(({ name, size }) => ({ name, size })), missing };
}

const EXPECTED = {
  stored: [{ nodeName: 'sq', algorithmName: 'square', result: 9 }],
  raw: [{ nodeName: 'sq', algorithmName: 'square', result: 16 }],
  files: [{ name: 'cat.png', size: 4 }],
  missing: { code: 'DATA_SOURCE_FAILED', workerMessage: 'unable to find matching data-source' },
};

describe('the Code API of a stream debug node', () => {
  it('serves the debugger\u2019s child executions, stored and raw sub-pipelines and data sources as a batch debug node does', async () => {
    emulator = await squaringEmulator();
    emulator.registerAlgorithm('src', {
      start: async ({ signal }, api) => {
        api.sendMessage(1);
        api.sendMessage(2);
        await untilStopped(signal);
      },
    });
    const job = emulator.runPipeline(streamPipeline('code-api', { src: 'stateful', mid: { stateType: 'stateful', kind: 'debug' } }, { main: 'src >> mid' }));
    const attached = attach('mid', {
      start: async (_args, api) => {
        const squares: unknown[] = [];
        for await (const { message } of api.messages()) {
          squares.push(await api.startAlgorithm('square', [message]));
          if (squares.length === 2) break;
        }
        return { squares, ...(await subPipelinesAndDataSources(api)) as object };
      },
    });
    const result = await job.result;
    expectCompleted(result);
    expect(result.data).toEqual([{ nodeName: 'mid', algorithmName: 'mid', result: { squares: [1, 4], ...EXPECTED } }]);
    await expect(attached).resolves.toMatchObject({ reason: 'exit' });

    // The same requests from the debugger of a batch debug node.
    const batch = emulator.runPipeline({ name: 'batch-code-api', nodes: [{ nodeName: 'mid', algorithmName: 'mid', kind: 'debug', input: [] }] });
    const again = attach('mid', { start: (_args, api) => subPipelinesAndDataSources(api) });
    const batchResult = await batch.result;
    expectCompleted(batchResult);
    expect(batchResult.data).toEqual([{ nodeName: 'mid', algorithmName: 'mid', result: EXPECTED }]);
    await again;
  });

  it('stops the sub-pipelines a stateless debugger task started when the job stops', async () => {
    emulator = await squaringEmulator();
    let subStarted: () => void = () => undefined;
    const started = new Promise<void>((resolve) => (subStarted = resolve));
    let subStopped: () => void = () => undefined;
    const stopped = new Promise<void>((resolve) => (subStopped = resolve));
    emulator.registerAlgorithm('slow', {
      start: async ({ signal }) => {
        subStarted();
        await untilStopped(signal);
        subStopped();
      },
    });
    emulator.registerAlgorithm('src', {
      start: async ({ signal }, api) => {
        api.sendMessage('go');
        await untilStopped(signal);
      },
    });
    const job = emulator.runPipeline(streamPipeline('sub-stop', { src: 'stateful', mid: { stateType: 'stateless', kind: 'debug' } }, { main: 'src >> mid' }));
    const attached = attach('mid', { start: (_args, api) => api.startRawSubpipeline('slow-sub', [{ nodeName: 's', algorithmName: 'slow', input: [] }]) });
    await started;
    expect(await job.stop('enough')).toMatchObject({ status: 'stopped', reason: 'enough' });
    await stopped;
    await expect(attached).resolves.toMatchObject({ reason: 'exit' });
  });
});
