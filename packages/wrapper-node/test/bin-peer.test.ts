import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { getCodec } from '@hkube-ts/protocol';
import { FsStorageAdapter, ZmqPeerClient, readStoredValue } from '../src/data/index.js';
import { freePortPair } from './data/peer/helpers.js';
import { initializePayload } from './support/initialize.js';
import { ScriptedWorker } from './support/scripted-worker.js';
import { spawnWrapper, type WrapperProcess } from './support/spawn-wrapper.js';

// Two hkube-wrapper bins as real child processes: the producer serves its output over ZeroMQ, the
// consumer reads it from there (its storage copy is deleted first, so only the peer can provide it).
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function wrapperWith(storageDir: string, env: Record<string, string>): Promise<{ worker: ScriptedWorker; wrapper: WrapperProcess }> {
  const worker = await ScriptedWorker.start();
  cleanups.push(() => worker.close());
  const wrapper = spawnWrapper(worker.port, {
    WORKER_ALGORITHM_ENCODING: 'msgpack',
    STORAGE_ENCODING: 'msgpack',
    DISCOVERY_ENCODING: 'msgpack',
    BASE_FS_ADAPTER_DIRECTORY: storageDir,
    POD_IP: '127.0.0.1',
    ...env,
  });
  cleanups.push(() => wrapper.kill());
  await worker.connected();
  return { worker, wrapper };
}

async function runTask(worker: ScriptedWorker, data: Record<string, unknown>): Promise<Record<string, unknown>> {
  const from = worker.received.length;
  worker.send({ command: 'initialize', data: initializePayload(data) });
  await worker.next('initialized', 10_000, from);
  worker.send({ command: 'start', data: { spanId: null } });
  await worker.next('done', 10_000, from);
  return (await worker.next('storing', 10_000, from)).data as Record<string, unknown>;
}

describe('hkube-wrapper serving outputs to peers', () => {
  it('advertises its output in storing, serves it to a second wrapper and reports servingStatus', async () => {
    const storageDir = await mkdtemp(join(tmpdir(), 'hkube-ts-peer-'));
    cleanups.push(() => rm(storageDir, { recursive: true, force: true }));
    const port = await freePortPair();
    const producer = await wrapperWith(storageDir, { DISCOVERY_PORT: String(port), DISCOVERY_SERVING_REPORT_INTERVAL: '100' });

    const output = { rows: [1, 2, 3], name: 'from the producer' };
    const storing = await runTask(producer.worker, { jobId: 'job-1', taskId: 'A:1', nodeName: 'A', input: [output], info: { savePaths: ['A'] } });

    expect(storing).toMatchObject({ discovery: { host: '127.0.0.1', port }, taskId: 'A:1', storageInfo: { path: 'local-hkube/job-1/A:1' } });
    const storage = new FsStorageAdapter({ baseDirectory: storageDir });
    expect(await readStoredValue('local-hkube/job-1/A:1', { storage, codec: getCodec('msgpack') })).toEqual([output]);
    // From now on only the producer's data server holds the output.
    await storage.delete('local-hkube/job-1/A:1');

    const [direct] = await new ZmqPeerClient({ codec: getCodec('msgpack') }).fetch({ host: '127.0.0.1', port }, ['A:1']);
    expect(direct).toMatchObject({ ok: true, value: [output] });

    const consumer = await wrapperWith(storageDir, { DISCOVERY_ENABLE: 'false' });
    const consumed = await runTask(consumer.worker, {
      jobId: 'job-1', taskId: 'B:1', nodeName: 'B', input: ['$$k'], flatInput: { '0': '$$k' }, storage: { k: { ...storing, path: '0.rows' } },
    });
    expect(consumed).not.toHaveProperty('discovery');
    expect(await readStoredValue('local-hkube/job-1/B:1', { storage, codec: getCodec('msgpack') })).toEqual([[1, 2, 3]]);

    await producer.worker.next('servingStatus');
    expect(producer.worker.received.find((frame) => frame.command === 'servingStatus')?.data).toBe(true);
  });
});
