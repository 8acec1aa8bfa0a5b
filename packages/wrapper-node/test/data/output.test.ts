import { readFile } from 'node:fs/promises';
import { getCodec } from '@hkube-ts/protocol';
import { describe, expect, it } from 'vitest';
import {
  FsStorageAdapter,
  MemoryStorageAdapter,
  OutputEncodeError,
  buildMetadata,
  prepareOutput,
  readStoredValue,
  resolveInput,
  writeCodeApiInput,
  writeOutput,
} from '../../src/data/index.js';
import { hkubeEncoding } from './helpers/hkube-encoding.js';
import { useTempDirs } from './helpers/temp-dir.js';

const tempDir = useTempDirs();

describe.each(['bson', 'msgpack'] as const)('writeOutput (%s)', (encoding) => {
  const codec = getCodec(encoding);

  it('writes a file HKube decodes to the result and reports path, payload size and metadata', async () => {
    const storage = new FsStorageAdapter({ baseDirectory: await tempDir() });
    const result = { data: { array: [3, 6, 9], text: 'x', nothing: null, n: 1 } };
    const descriptor = await writeOutput(
      {
        result,
        jobId: 'job1',
        taskId: 'green:t1',
        nodeName: 'green',
        clusterName: 'local',
        savePaths: ['green', 'green.data.array', 'green.data.text', 'green.data.nothing', 'green.data.n', 'green.data.missing', 'blue.x'],
      },
      { storage, codec },
    );

    const path = 'local-hkube/job1/green:t1';
    const file = await readFile(storage.filePath(path));
    expect(hkubeEncoding(encoding).decode(file, { customEncode: true })).toEqual(result);
    expect(descriptor).toEqual({
      storageInfo: { path, size: file.length - 8 },
      metadata: {
        green: { type: 'object' },
        'green.data.array': { type: 'array', size: 3 },
        'green.data.text': { type: 'string' },
        'green.data.nothing': { type: 'object' },
        'green.data.n': { type: 'number' },
      },
    });
    await expect(readStoredValue(path, { storage, codec })).resolves.toEqual(result);
  });

  it('stores a Buffer result raw', async () => {
    const storage = new FsStorageAdapter({ baseDirectory: await tempDir() });
    const result = Buffer.from('hello');
    const descriptor = await writeOutput({ result, jobId: 'j', taskId: 't', nodeName: 'n', clusterName: 'c', savePaths: ['n'] }, { storage, codec });
    const file = await readFile(storage.filePath('c-hkube/j/t'));
    expect(file.subarray(8)).toEqual(result);
    expect(file[2]).toBe(0x01);
    expect(hkubeEncoding(encoding).decode(file, { customEncode: true })).toEqual(result);
    expect(descriptor).toEqual({ storageInfo: { path: 'c-hkube/j/t', size: 5 }, metadata: { n: { type: 'object' } } });
  });
});

describe('prepareOutput and buildMetadata', () => {
  it('does not copy a raw payload', () => {
    const result = Buffer.alloc(1024);
    const prepared = prepareOutput({ result, jobId: 'j', taskId: 't', nodeName: 'n', clusterName: 'c' }, getCodec('msgpack'));
    expect(prepared.payload).toBe(result);
    expect(prepared.path).toBe('c-hkube/j/t');
    expect(prepared.descriptor).toEqual({ storageInfo: { path: 'c-hkube/j/t', size: 1024 }, metadata: {} });
  });

  it('types every value as typeof does, and arrays with their size', () => {
    const result = { a: [], f: false, u: undefined, s: Symbol.for('x') };
    expect(buildMetadata('n', result, ['n.a', 'n.f', 'n.u', 'n.s', 'n.a.0', 'n'])).toEqual({
      'n.a': { type: 'array', size: 0 },
      'n.f': { type: 'boolean' },
      'n.s': { type: 'symbol' },
      n: { type: 'object' },
    });
    expect(buildMetadata('n', [1, 2], ['n'])).toEqual({ n: { type: 'array', size: 2 } });
    expect(buildMetadata('n', undefined, ['n'])).toEqual({});
    expect(buildMetadata('n', 1, null)).toEqual({});
  });

  it('reports a result the codec cannot carry with a typed error', async () => {
    const storage = new MemoryStorageAdapter();
    const error: unknown = await writeOutput(
      { result: { big: 10n }, jobId: 'j', taskId: 't', nodeName: 'n', clusterName: 'c' },
      { storage, codec: getCodec('msgpack') },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutputEncodeError);
    expect(error).toMatchObject({ code: 'OUTPUT_ENCODE_FAILED', jobId: 'j', taskId: 't', cause: { code: 'ENCODE_FAILED' } });
    expect(storage.size).toBe(0);
  });
});

describe('writeCodeApiInput', () => {
  it('stores each item under a fresh key and returns references the resolver accepts', async () => {
    const storage = new FsStorageAdapter({ baseDirectory: await tempDir() });
    const codec = getCodec('bson');
    let n = 0;
    const input = [1, { a: 'b' }, Buffer.from('raw')];
    const stored = await writeCodeApiInput({ input, jobId: 'job1', clusterName: 'local' }, { storage, codec, newKey: () => `key${++n}` });

    expect(stored.storageInput).toEqual(['$$key1', '$$key2', '$$key3']);
    expect(Object.keys(stored.storage)).toEqual(['key1', 'key2', 'key3']);
    expect(stored.storage.key3).toEqual({ storageInfo: { path: 'local-hkube/job1/key3', size: 3 }, metadata: {} });
    const file = await readFile(storage.filePath('local-hkube/job1/key2'));
    expect(hkubeEncoding('bson').decode(file, { customEncode: true })).toEqual({ a: 'b' });

    const resolved = await resolveInput(
      { input: stored.storageInput, storage: stored.storage, jobId: 'job1', clusterName: 'local' },
      { storage, codec },
    );
    expect(resolved).toEqual(input);
  });

  it('uses UUID keys by default', async () => {
    const storage = new MemoryStorageAdapter();
    const stored = await writeCodeApiInput({ input: ['x'], jobId: 'j', clusterName: 'c' }, { storage, codec: getCodec('msgpack') });
    expect(stored.storageInput[0]).toMatch(/^\$\$[0-9a-f-]{36}$/);
    expect(await storage.list('c-hkube/j')).toEqual([`c-hkube/j/${stored.storageInput[0]!.slice(2)}`]);
  });
});
