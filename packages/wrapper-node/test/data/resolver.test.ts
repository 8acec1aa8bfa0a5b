import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { encodeStored, getCodec } from '@hkube-ts/protocol';
import { describe, expect, it } from 'vitest';
import {
  FsStorageAdapter,
  InputCache,
  InputFetchError,
  InputPathError,
  InputResolutionError,
  InvalidStorageLinkError,
  MemoryStorageAdapter,
  PeerFetchError,
  StorageKeyMissingError,
  StorageNotFoundError,
  resolveInput,
  type DiscoveryInfo,
  type PeerClient,
  type PeerFetchResult,
  type ResolveInputOptions,
  type ResolveInputTask,
  type StorageLinkSingle,
  type StorageLinks,
} from '../../src/data/index.js';
import { SpyAdapter } from './helpers/adapters.js';
import { hkubeEncoding } from './helpers/hkube-encoding.js';
import { useTempDirs } from './helpers/temp-dir.js';

const tempDir = useTempDirs();
const JOB = 'job1';
const CLUSTER = 'local';
const pathOf = (taskId: string): string => `${CLUSTER}-hkube/${JOB}/${taskId}`;

type EncodingName = 'bson' | 'msgpack';

/** Writes an object the way HKube's components do: header + payload (fs adapter) or bare (api-server flowInput). */
async function writeLikeHkube(base: string, path: string, value: unknown, encoding: EncodingName, headered = true): Promise<void> {
  const hkube = hkubeEncoding(encoding);
  const file = join(base, path);
  await mkdir(dirname(file), { recursive: true });
  if (headered) {
    const { header, payload } = hkube.encodeHeaderPayload(value);
    await writeFile(file, Buffer.concat([header, payload]));
  } else {
    await writeFile(file, hkube.encode(value));
  }
}

function task(input: unknown[], storage: StorageLinks, flatInput?: Record<string, unknown> | null): ResolveInputTask {
  return { input, flatInput, storage, jobId: JOB, clusterName: CLUSTER };
}

const A = { data: { array: [3, 6, 9] }, name: 'A' };
const B = { myValue: 'asc' };

async function fixture(encoding: EncodingName): Promise<{ base: string; storage: SpyAdapter; options: ResolveInputOptions }> {
  const base = await tempDir();
  await writeLikeHkube(base, pathOf('A:t1'), A, encoding);
  await writeLikeHkube(base, pathOf('B:t1'), B, encoding);
  await writeLikeHkube(base, pathOf(JOB), { files: { link: 'http://x' }, list: ['p', 'q'] }, encoding, false);
  await writeLikeHkube(base, pathOf('raw:t1'), Buffer.from('raw bytes'), encoding);
  const storage = new SpyAdapter(new FsStorageAdapter({ baseDirectory: base }));
  return { base, storage, options: { storage, codec: getCodec(encoding) } };
}

describe.each<EncodingName>(['bson', 'msgpack'])('resolveInput over objects written by @hkube/encoding (%s)', (encoding) => {
  it('resolves single links with paths, headered and headerless, at nested positions', async () => {
    const { options } = await fixture(encoding);
    const input = [{ x: '$$k1' }, 'lit', 5, '$$k2', { deep: ['$$k3', 'keep'] }, '$$k4'];
    const flatInput = { '0.x': '$$k1', '1': 'lit', '2': 5, '3': '$$k2', '4.deep.0': '$$k3', '4.deep.1': 'keep', '5': '$$k4' };
    const snapshot = JSON.stringify(input);
    const storage: StorageLinks = {
      k1: { storageInfo: { path: pathOf('A:t1'), size: 10 }, path: 'data.array.1', metadata: {} },
      k2: { storageInfo: { path: pathOf(JOB) }, path: 'files.link', metadata: {} },
      k3: { storageInfo: { path: pathOf('B:t1') }, path: '' },
      k4: { storageInfo: { path: pathOf('raw:t1') } },
    };

    const resolved = await resolveInput(task(input, storage, flatInput), options);

    expect(resolved).toEqual([{ x: 6 }, 'lit', 5, 'http://x', { deep: [B, 'keep'] }, Buffer.from('raw bytes')]);
    expect(Buffer.isBuffer(resolved[5])).toBe(true);
    expect(JSON.stringify(input)).toBe(snapshot);
  });

  it('resolves array links in link order even when the first object is the slowest', async () => {
    const base = await tempDir();
    await writeLikeHkube(base, pathOf('A:t1'), A, encoding);
    await writeLikeHkube(base, pathOf('B:t1'), B, encoding);
    const storage = new SpyAdapter(new FsStorageAdapter({ baseDirectory: base }), (path) => (path.endsWith('A:t1') ? 80 : 0));
    const links: StorageLinks = {
      k: [
        { storageInfo: { path: pathOf('A:t1') }, path: 'data.array' },
        { storageInfo: { path: pathOf('B:t1') }, path: 'myValue' },
        { storageInfo: { path: pathOf('A:t1') }, path: 'data.array.2' },
      ],
    };
    const resolved = await resolveInput(task(['$$k'], links, { '0': '$$k' }), { storage, codec: getCodec(encoding) });
    expect(resolved).toEqual([[[3, 6, 9], 'asc', 9]]);
    expect(storage.gets.filter((path) => path === pathOf('A:t1'))).toHaveLength(1);
  });

  it('applies paths on cache hits, for single and array links', async () => {
    const { storage, options } = await fixture(encoding);
    const cache = new InputCache({ maxBytes: 1024 * 1024 });
    const links: StorageLinks = {
      s: { storageInfo: { path: pathOf('A:t1') }, path: 'data.array.0' },
      a: [
        { storageInfo: { path: pathOf('A:t1') }, path: 'name' },
        { storageInfo: { path: pathOf('B:t1') }, path: 'myValue' },
      ],
    };
    const run = (): Promise<unknown[]> => resolveInput(task(['$$s', '$$a'], links, { '0': '$$s', '1': '$$a' }), { ...options, cache });

    const first = await run();
    const readsAfterFirst = storage.gets.length;
    const second = await run();

    expect(first).toEqual([3, ['A', 'asc']]);
    expect(second).toEqual(first);
    expect(storage.gets.length).toBe(readsAfterFirst);
    expect(cache.has(pathOf('A:t1'))).toBe(true);
  });

  it('reads grouped-peer tasks from <cluster>-hkube/<jobId>/<taskId> when there is no peer client', async () => {
    const base = await tempDir();
    await writeLikeHkube(base, pathOf('B:t1'), { val: 1 }, encoding);
    await writeLikeHkube(base, pathOf('B:t2'), { val: 2 }, encoding);
    await writeLikeHkube(base, pathOf('C:t1'), { val: 3 }, encoding);
    const storage = new FsStorageAdapter({ baseDirectory: base });
    const links: StorageLinks = {
      k: [
        { discovery: { host: '10.0.0.5', port: 9020 }, tasks: ['B:t1', 'B:t2'], path: 'val', metadata: {} },
        { discovery: { host: '10.0.0.6', port: '9020' }, tasks: ['C:t1'], path: 'val' },
      ],
    };
    const resolved = await resolveInput(task(['$$k'], links, { '0': '$$k' }), { storage, codec: getCodec(encoding) });
    expect(resolved).toEqual([[1, 2, 3]]);
  });
});

/** A scripted peer: serves `values` by task id, fails the others, records requests. */
class FakePeer implements PeerClient {
  readonly requests: { peer: string; tasks: readonly string[] }[] = [];

  constructor(
    private readonly values: Record<string, unknown>,
    private readonly behaviour: 'normal' | 'reject' | 'short' = 'normal',
  ) {}

  fetch(discovery: DiscoveryInfo, taskIds: readonly string[]): Promise<readonly PeerFetchResult[]> {
    const peer = `${discovery.host}:${discovery.port}`;
    this.requests.push({ peer, tasks: taskIds });
    if (this.behaviour === 'reject') return Promise.reject(new Error('RequestTimeout'));
    if (this.behaviour === 'short') return Promise.resolve([]);
    return Promise.resolve(
      taskIds.map((taskId): PeerFetchResult =>
        Object.hasOwn(this.values, taskId)
          ? { ok: true, value: this.values[taskId], size: 10 }
          : { ok: false, error: new PeerFetchError(peer, taskId, 'notAvailable') },
      ),
    );
  }
}

describe('resolveInput with a peer client', () => {
  const codec = getCodec('msgpack');

  async function storageWith(objects: Record<string, unknown>): Promise<SpyAdapter> {
    const inner = new MemoryStorageAdapter();
    for (const [path, value] of Object.entries(objects)) await inner.put(path, encodeStored(value, codec));
    return new SpyAdapter(inner);
  }

  it('asks the peer first and falls back to storage per failed task', async () => {
    const storage = await storageWith({ [pathOf('B:t2')]: { val: 'from storage' } });
    const peer = new FakePeer({ 'B:t1': { val: 'from peer' } });
    const links: StorageLinks = { k: [{ discovery: { host: 'h', port: 1 }, tasks: ['B:t1', 'B:t2'], path: 'val' }] };
    const resolved = await resolveInput(task(['$$k'], links, { '0': '$$k' }), { storage, codec, peer });
    expect(resolved).toEqual([['from peer', 'from storage']]);
    expect(peer.requests).toEqual([{ peer: 'h:1', tasks: ['B:t1', 'B:t2'] }]);
    expect(storage.gets).toEqual([pathOf('B:t2')]);
  });

  it('uses one request per peer and caches peer results under the storage path', async () => {
    const storage = await storageWith({});
    const peer = new FakePeer({ 'A:t1': { v: 1 }, 'A:t2': { v: 2 } });
    const cache = new InputCache({ maxBytes: 1000 });
    const links: StorageLinks = {
      x: { discovery: { host: 'h', port: 1 }, taskId: 'A:t1', storageInfo: { path: pathOf('A:t1') }, path: 'v' },
      y: [{ discovery: { host: 'h', port: 1 }, tasks: ['A:t1', 'A:t2'], path: 'v' }],
    };
    const resolved = await resolveInput(task(['$$x', '$$y'], links, { '0': '$$x', '1': '$$y' }), { storage, codec, peer, cache });
    expect(resolved).toEqual([1, [1, 2]]);
    expect(peer.requests).toEqual([{ peer: 'h:1', tasks: ['A:t1', 'A:t2'] }]);
    expect(storage.gets).toEqual([]);
    expect(cache.get(pathOf('A:t2'))).toEqual({ value: { v: 2 } });
  });

  it.each(['reject', 'short'] as const)('falls back to storage for every task when the peer request fails (%s)', async (behaviour) => {
    const storage = await storageWith({ [pathOf('A:t1')]: 'a', [pathOf('A:t2')]: 'b' });
    const peer = new FakePeer({}, behaviour);
    const links: StorageLinks = {
      k: [
        { discovery: { host: 'h', port: 1 }, taskId: 'A:t1', storageInfo: { path: pathOf('A:t1') } },
        { discovery: { host: 'h', port: 1 }, tasks: ['A:t2'] },
      ],
    };
    const resolved = await resolveInput(task(['$$k'], links, { '0': '$$k' }), { storage, codec, peer });
    expect(resolved).toEqual([['a', 'b']]);
  });

  it('fails with the peer error for a peer-only link the peer cannot serve', async () => {
    const storage = await storageWith({});
    const peer = new FakePeer({});
    const links: StorageLinks = { k: { discovery: { host: 'h', port: 1 }, taskId: 'A:t1' } };
    const error: unknown = await resolveInput(task(['$$k'], links, { '0': '$$k' }), { storage, codec, peer }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputFetchError);
    expect(error).toMatchObject({ code: 'INPUT_FETCH_FAILED', key: 'k', taskId: 'A:t1' });
    expect((error as InputFetchError).cause).toBeInstanceOf(PeerFetchError);
  });
});

describe('resolveInput', () => {
  const codec = getCodec('msgpack');

  async function memory(objects: Record<string, unknown>, layout: 'separate' | 'inline' = 'separate'): Promise<SpyAdapter> {
    const inner = new MemoryStorageAdapter({ layout });
    for (const [path, value] of Object.entries(objects)) await inner.put(path, encodeStored(value, codec));
    return new SpyAdapter(inner);
  }

  it('returns the input unchanged when flatInput is null or empty (storage v1)', async () => {
    const storage = await memory({});
    const input = ['$$looks-like-a-ref', { a: 1 }];
    for (const flatInput of [null, {}]) {
      const resolved = await resolveInput(task(input, {}, flatInput), { storage, codec });
      expect(resolved).toEqual(input);
      expect(resolved).not.toBe(input);
    }
    expect(storage.gets).toEqual([]);
  });

  it('decodes headerless objects from an adapter that keeps headers apart (S3 layout)', async () => {
    const inner = new MemoryStorageAdapter();
    await inner.put(pathOf(JOB), { payload: hkubeEncoding('msgpack').encode({ list: ['p', 'q'] }) });
    await inner.put(pathOf('A'), encodeStored({ v: 1 }, getCodec('bson')));
    const links: StorageLinks = { f: { storageInfo: { path: pathOf(JOB) }, path: 'list.1' }, a: { storageInfo: { path: pathOf('A') }, path: 'v' } };
    // The header's protocol byte (bson) wins over the configured msgpack codec.
    await expect(resolveInput(task(['$$f', '$$a'], links, { '0': '$$f', '1': '$$a' }), { storage: inner, codec })).resolves.toEqual(['q', 1]);
  });

  it('computes flatInput from input when it is absent', async () => {
    const storage = await memory({ [pathOf('A:t1')]: { v: [1, 2] } }, 'inline');
    const links: StorageLinks = { k: { storageInfo: { path: pathOf('A:t1') }, path: 'v.1' } };
    await expect(resolveInput(task([{ x: ['$$k'] }, 7], links), { storage, codec })).resolves.toEqual([{ x: [2] }, 7]);
  });

  it('fetches each distinct object once however often it is referenced', async () => {
    const storage = await memory({ [pathOf('A:t1')]: { a: 1, b: 2 } });
    const link = (path: string): StorageLinkSingle => ({ storageInfo: { path: pathOf('A:t1') }, path });
    const links: StorageLinks = { k1: link('a'), k2: link('b'), k3: [link('a'), link('b')] };
    const resolved = await resolveInput(task(['$$k1', '$$k2', '$$k3'], links, { '0': '$$k1', '1': '$$k2', '2': '$$k3' }), { storage, codec });
    expect(resolved).toEqual([1, 2, [1, 2]]);
    expect(storage.gets).toEqual([pathOf('A:t1')]);
  });

  it('keeps at most `concurrency` fetches in flight', async () => {
    const objects: Record<string, unknown> = {};
    const links: Record<string, StorageLinks[string]> = {};
    const flatInput: Record<string, unknown> = {};
    for (let i = 0; i < 20; i++) {
      objects[pathOf(`t${i}`)] = i;
      links[`k${i}`] = { storageInfo: { path: pathOf(`t${i}`) } };
      flatInput[String(i)] = `$$k${i}`;
    }
    const inner = new MemoryStorageAdapter();
    for (const [path, value] of Object.entries(objects)) await inner.put(path, encodeStored(value, codec));
    const storage = new SpyAdapter(inner, () => 5);
    const resolved = await resolveInput(task(Object.values(flatInput), links, flatInput), { storage, codec, concurrency: 3 });
    expect(resolved).toEqual([...Array(20).keys()]);
    expect(storage.maxInFlight).toBe(3);
  });

  it('fails on a missing storage key with a typed error', async () => {
    const storage = await memory({});
    const error: unknown = await resolveInput(task([{ x: '$$nope' }], {}, { '0.x': '$$nope' }), { storage, codec }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageKeyMissingError);
    expect(error).toBeInstanceOf(InputResolutionError);
    expect(error).toMatchObject({ code: 'INPUT_STORAGE_KEY_MISSING', key: 'nope', inputPath: '0.x' });
    // An inherited property is not a storage entry.
    await expect(resolveInput(task(['$$toString'], {}, { '0': '$$toString' }), { storage, codec })).rejects.toBeInstanceOf(StorageKeyMissingError);
  });

  it('rejects a link with neither storageInfo nor a peer', async () => {
    const storage = await memory({});
    const links = { k: [{ path: 'x', metadata: {} }] } as unknown as StorageLinks;
    const error: unknown = await resolveInput(task(['$$k'], links, { '0': '$$k' }), { storage, codec }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidStorageLinkError);
    expect(error).toMatchObject({ code: 'INPUT_LINK_INVALID', key: 'k', index: 0 });
  });

  it('names the path of a missing object', async () => {
    const storage = await memory({});
    const links: StorageLinks = { k: { storageInfo: { path: pathOf('gone') } } };
    const error: unknown = await resolveInput(task(['$$k'], links, { '0': '$$k' }), { storage, codec }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputFetchError);
    expect(error).toMatchObject({ code: 'INPUT_FETCH_FAILED', key: 'k', storagePath: pathOf('gone') });
    expect((error as Error).message).toContain(pathOf('gone'));
    expect((error as InputFetchError).cause).toBeInstanceOf(StorageNotFoundError);
  });

  it('reports an undecodable object', async () => {
    const inner = new MemoryStorageAdapter();
    await inner.put(pathOf('bad'), { payload: Buffer.from([0xc1]) });
    const links: StorageLinks = { k: { storageInfo: { path: pathOf('bad') } } };
    const error: unknown = await resolveInput(task(['$$k'], links, { '0': '$$k' }), { storage: inner, codec }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INPUT_FETCH_FAILED', cause: { code: 'STORED_OBJECT_INVALID' } });
  });

  it('refuses flatInput paths that would pollute prototypes', async () => {
    const storage = await memory({ [pathOf('A')]: 1 });
    const links: StorageLinks = { k: { storageInfo: { path: pathOf('A') } } };
    const error: unknown = await resolveInput(task([{}], links, { '0.__proto__.polluted': '$$k' }), { storage, codec }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputPathError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(storage.gets).toEqual([]);
  });

  it('yields undefined for a path missing in the value, as HKube does', async () => {
    const storage = await memory({ [pathOf('A')]: { a: 1 } });
    const links: StorageLinks = { k: { storageInfo: { path: pathOf('A') }, path: 'b.c' } };
    await expect(resolveInput(task(['$$k'], links, { '0': '$$k' }), { storage, codec })).resolves.toEqual([undefined]);
  });

  it('rejects with the abort reason', async () => {
    const storage = await memory({ [pathOf('A')]: 1 });
    const links: StorageLinks = { k: { storageInfo: { path: pathOf('A') } } };
    const reason = new Error('stop');
    await expect(resolveInput(task(['$$k'], links, { '0': '$$k' }), { storage, codec, signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
  });
});
