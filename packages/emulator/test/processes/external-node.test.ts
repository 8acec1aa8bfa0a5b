import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../../src/index.js';
import { FIXTURES, wrapperCommand } from '../support/built.js';
import { fromInput } from '../support/algorithms.js';

// One node runs as an external `node` process under the real hkube-wrapper bin, over a real
// WebSocket on 127.0.0.1; the others run in-process. The result must not depend on where a node runs.
const pipeline = {
  name: 'mixed',
  nodes: [
    { nodeName: 'double', algorithmName: 'double', input: ['#@flowInput.numbers'] },
    { nodeName: 'sum', algorithmName: 'sum', input: ['@double'] },
    { nodeName: 'report', algorithmName: 'report', input: [{ total: '@sum', items: '@double', label: 'literal' }] },
  ],
  flowInput: { numbers: [1, 2, 3, 4, 5, 6] },
};

let emulator: Emulator | undefined;

afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function runWith(sum: 'in-process' | { encoding: string; storage: string }): Promise<unknown> {
  emulator = await createEmulator();
  emulator.registerAlgorithm('double', fromInput(([n]) => (n as number) * 2));
  emulator.registerAlgorithm('report', fromInput(([value]) => value));
  if (sum === 'in-process') emulator.registerAlgorithm('sum', { path: join(FIXTURES, 'sum.mjs') });
  else emulator.registerAlgorithm('sum', wrapperCommand('sum.mjs', { WORKER_ALGORITHM_ENCODING: sum.encoding, STORAGE_PROTOCOL: sum.storage }));
  const result = await emulator.run(pipeline);
  if (result.status !== 'completed') expect.fail(`job ${result.status}: ${result.status === 'failed' ? result.error : result.reason}`);
  return result.data;
}

describe('a node run as an external process', () => {
  it('gives the same result as in-process, and shares the fs storage layout', async () => {
    const expected = await runWith('in-process');
    expect(expected).toEqual([{ nodeName: 'report', algorithmName: 'report', result: { total: 42, items: [2, 4, 6, 8, 10, 12], label: 'literal' } }]);
    await emulator!.close();
    const data = await runWith({ encoding: 'bson', storage: 'v3' });
    expect(data).toEqual(expected);
  });

  it.each([
    ['json', 'v1'],
    ['json', 'v3'],
    ['bson', 'v1'],
    ['msgpack', 'v1'],
    ['msgpack', 'v3'],
  ])('works with encoding %s and storage %s', async (encoding, storage) => {
    const data = await runWith({ encoding, storage });
    expect(data).toEqual([{ nodeName: 'report', algorithmName: 'report', result: { total: 42, items: [2, 4, 6, 8, 10, 12], label: 'literal' } }]);
  });

  it('writes HKube paths in the storage directory it shares with the process', async () => {
    emulator = await createEmulator({ storage: { dir: join(await import('node:os').then((os) => os.tmpdir()), `hkube-ts-layout-${process.pid}-${Date.now()}`) } });
    emulator.registerAlgorithm('double', fromInput(([n]) => (n as number) * 2));
    emulator.registerAlgorithm('report', fromInput(([value]) => value));
    emulator.registerAlgorithm('sum', wrapperCommand('sum.mjs', { WORKER_ALGORITHM_ENCODING: 'msgpack', STORAGE_PROTOCOL: 'v3' }));
    const job = emulator.runPipeline(pipeline);
    const result = await job.result;
    expect(result.status).toBe('completed');
    const dir = emulator.storageDirectory!;
    const jobFiles = await readdir(join(dir, 'local-hkube', job.jobId));
    // flowInput (<jobId>), 6 batch outputs, their 6 stored inputs, sum's input and output, report's inputs and output.
    expect(jobFiles).toContain(job.jobId);
    expect(jobFiles.length).toBeGreaterThan(13);
    expect(await readdir(join(dir, 'local-hkube-results', job.jobId))).toEqual(['result.json']);
    await import('node:fs/promises').then((fs) => fs.rm(dir, { recursive: true, force: true }));
  });
});
