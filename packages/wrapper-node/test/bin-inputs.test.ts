import { Encoding } from '@hkube/encoding';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initializePayload } from './support/initialize.js';
import { ScriptedWorker } from './support/scripted-worker.js';
import { spawnWrapper, type WrapperProcess } from './support/spawn-wrapper.js';

// v3 inputs written by HKube's own library (@hkube/encoding), as a worker or another wrapper would,
// resolved by the hkube-wrapper bin running as a real process.
let worker: ScriptedWorker;
let wrapper: WrapperProcess | undefined;
let dir: string;

beforeEach(async () => {
  worker = await ScriptedWorker.start();
  dir = await mkdtemp(join(tmpdir(), 'hkube-ts-inputs-'));
});

afterEach(async () => {
  wrapper?.kill();
  await worker.close();
  await rm(dir, { recursive: true, force: true });
});

async function put(path: string, bytes: Buffer): Promise<{ path: string; size: number }> {
  const file = join(dir, path);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, bytes);
  return { path, size: bytes.length };
}

describe.each(['bson', 'msgpack'])('inputs stored with @hkube/encoding (%s)', (storageEncoding) => {
  it('resolves headered and headerless objects, paths, and array links in link order', async () => {
    const encoding = new Encoding({ type: storageEncoding });
    const headered = (value: unknown) => {
      const { header, payload } = encoding.encodeHeaderPayload(value);
      return Buffer.concat([header, Buffer.from(payload)]);
    };
    // A parent's output, a flowInput (headerless, as the api-server writes it) and three batch items.
    const parent = await put('local-hkube/job-1/parent-task', headered({ data: { array: [3, 6, 9] }, name: 'asc' }));
    const flowInput = await put('local-hkube/job-1/job-1', encoding.encode({ files: { link: 'links-1' } }) as Buffer);
    const items = await Promise.all([1, 2, 3].map((i) => put(`local-hkube/job-1/batch-${i}`, headered({ value: i * 10 }))));
    const raw = await put('local-hkube/job-1/raw', headered(Buffer.from('raw bytes')));
    const input = ['$$whole', { x: '$$path', lit: 'literal', n: 5 }, '$$items', '$$flow', '$$raw'];
    const storage = {
      whole: { storageInfo: parent, path: '' },
      path: { storageInfo: parent, path: 'data.array.2' },
      // Listed out of alphabetical/completion order on purpose: results must follow link order.
      items: [2, 0, 1].map((i) => ({ storageInfo: items[i]!, path: 'value' })),
      flow: { storageInfo: flowInput, path: 'files.link' },
      raw: { storageInfo: raw, path: '' },
    };
    const flatInput = { '0': '$$whole', '1.x': '$$path', '1.lit': 'literal', '1.n': 5, '2': '$$items', '3': '$$flow', '4': '$$raw' };

    wrapper = spawnWrapper(worker.port, {
      WORKER_ALGORITHM_ENCODING: 'msgpack',
      STORAGE_PROTOCOL: 'v3',
      STORAGE_ENCODING: storageEncoding,
      BASE_FS_ADAPTER_DIRECTORY: dir,
    });
    await worker.connected();
    worker.send({ command: 'initialize', data: initializePayload({ input, storage, flatInput, info: { savePaths: ['green', 'green.1.x'] } }) });
    await worker.next('initialized');
    worker.send({ command: 'start', data: { spanId: null } });
    const storing = await worker.next('storing');
    await worker.next('done');
    const descriptor = storing.data as { storageInfo: { path: string }; metadata: Record<string, unknown> };
    const output = encoding.decode(await readFile(join(dir, descriptor.storageInfo.path)), { customEncode: true }) as unknown[];
    expect(output[0]).toEqual({ data: { array: [3, 6, 9] }, name: 'asc' });
    expect(output[1]).toEqual({ x: 9, lit: 'literal', n: 5 });
    expect(output[2]).toEqual([30, 10, 20]);
    expect(output[3]).toBe('links-1');
    expect(Buffer.from(output[4] as Uint8Array).toString()).toBe('raw bytes');
    expect(descriptor.metadata).toEqual({ green: { type: 'array', size: 5 }, 'green.1.x': { type: 'number' } });
  });
});
