import { open, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeStoredBlob, encodeStored, getCodec } from '@hkube-ts/protocol';
import { describe, expect, it, vi } from 'vitest';
import {
  FsStorageAdapter,
  StorageIoError,
  StorageNotFoundError,
  StoragePathError,
} from '../../src/data/index.js';
import { hkubeEncoding } from './helpers/hkube-encoding.js';
import { useTempDirs } from './helpers/temp-dir.js';

const msgpack = getCodec('msgpack');
const tempDir = useTempDirs();

async function adapter(): Promise<{ storage: FsStorageAdapter; base: string }> {
  const base = await tempDir();
  return { storage: new FsStorageAdapter({ baseDirectory: join(base, 'storage') }), base };
}

async function allFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

describe('FsStorageAdapter', () => {
  it('writes header then payload at <base>/<path> and reads the whole file back', async () => {
    const { storage } = await adapter();
    const stored = encodeStored({ a: [1, 2, 3] }, msgpack);
    await storage.put('local-hkube/job-1/task-1', stored);

    const file = await readFile(storage.filePath('local-hkube/job-1/task-1'));
    expect(file).toEqual(Buffer.concat([stored.header, stored.payload]));

    const object = await storage.get('local-hkube/job-1/task-1');
    expect(object.header).toBeUndefined();
    expect(object.body).toEqual(file);
    expect(decodeStoredBlob(object.body, msgpack)).toEqual({ ok: true, value: { a: [1, 2, 3] } });
    // HKube's own reader accepts the file.
    expect(hkubeEncoding('msgpack').decode(object.body, { customEncode: true })).toEqual({ a: [1, 2, 3] });
  });

  it('writes headerless objects as the bare payload', async () => {
    const { storage } = await adapter();
    const payload = hkubeEncoding('bson').encode({ files: { link: 'x' } });
    await storage.put('local-hkube/job-1/job-1', { payload });
    expect((await storage.get('local-hkube/job-1/job-1')).body).toEqual(payload);
  });

  it('replaces an object on re-put instead of appending to it', async () => {
    const { storage } = await adapter();
    const path = 'local-hkube/job-1/task-1';
    await storage.put(path, encodeStored({ big: 'x'.repeat(1000) }, msgpack));
    const second = encodeStored({ small: true }, msgpack);
    await storage.put(path, second);
    await storage.put(path, second);

    const { body } = await storage.get(path);
    expect(body.length).toBe(second.header.length + second.payload.length);
    expect(decodeStoredBlob(body, msgpack)).toEqual({ ok: true, value: { small: true } });
  });

  it.each([
    ['../x'],
    ['/abs/path'],
    ['a/../../b'],
    ['a/../b'],
    ['./a'],
    ['a//b'],
    ['a/'],
    [''],
    ['a\0b'],
    ['a\\..\\..\\b'],
  ])('rejects the unsafe path %j in every operation', async (path) => {
    const { storage, base } = await adapter();
    const stored = encodeStored(1, msgpack);
    for (const attempt of [
      () => storage.put(path, stored),
      () => storage.get(path),
      () => storage.exists(path),
      () => storage.delete(path),
    ]) {
      const error: unknown = await attempt().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoragePathError);
      expect((error as StoragePathError).code).toBe('STORAGE_PATH_INVALID');
      expect((error as StoragePathError).path).toBe(path);
    }
    expect(await allFiles(base)).toEqual([]);
  });

  it('reports a missing object with a typed error naming the path', async () => {
    const { storage } = await adapter();
    const error: unknown = await storage.get('local-hkube/job-1/nope').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageNotFoundError);
    expect((error as StorageNotFoundError).code).toBe('STORAGE_NOT_FOUND');
    expect((error as StorageNotFoundError).path).toBe('local-hkube/job-1/nope');
    await expect(storage.exists('local-hkube/job-1/nope')).resolves.toBe(false);
    await expect(storage.delete('local-hkube/job-1/nope')).resolves.toBeUndefined();
  });

  it('wraps other I/O failures with their cause', async () => {
    const { storage } = await adapter();
    await storage.put('local-hkube/job-1/task-1', encodeStored(1, msgpack));
    const error: unknown = await storage.get('local-hkube/job-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageIoError);
    expect((error as StorageIoError).code).toBe('STORAGE_IO_FAILED');
    expect((error as StorageIoError).operation).toBe('get');
    expect((error as StorageIoError).cause).toMatchObject({ code: 'EISDIR' });
  });

  it('leaves no temporary file behind when a write fails', async () => {
    const { storage, base } = await adapter();
    await storage.put('local-hkube/job-1/task-1/inner', encodeStored(1, msgpack));

    // Renaming over a non-empty directory fails after the temporary file was written.
    await expect(storage.put('local-hkube/job-1/task-1', encodeStored('x', msgpack))).rejects.toBeInstanceOf(StorageIoError);
    // An abort that fires once the temporary file is open.
    const controller = new AbortController();
    const reason = new Error('stop');
    class Tripwire extends Uint8Array {
      override get byteLength(): number {
        controller.abort(reason);
        return super.byteLength;
      }
    }
    await expect(storage.put('local-hkube/job-1/task-2', { payload: new Tripwire(4) }, controller.signal)).rejects.toBe(reason);

    expect(await allFiles(base)).toEqual([storage.filePath('local-hkube/job-1/task-1/inner')]);
    await expect(storage.exists('local-hkube/job-1/task-2')).resolves.toBe(false);
  });

  it('keeps the previous object intact when a re-put fails', async () => {
    const { storage } = await adapter();
    const path = 'local-hkube/job-1/task-1';
    await storage.put(path, encodeStored({ v: 1 }, msgpack));
    const controller = new AbortController();
    class Tripwire extends Uint8Array {
      override get byteLength(): number {
        controller.abort();
        return super.byteLength;
      }
    }
    await expect(storage.put(path, { payload: new Tripwire(4) }, controller.signal)).rejects.toMatchObject({ name: 'AbortError' });
    expect(decodeStoredBlob((await storage.get(path)).body, msgpack)).toEqual({ ok: true, value: { v: 1 } });
  });

  it('rejects a payload that is not bytes before writing anything', async () => {
    const { storage, base } = await adapter();
    const bad = { payload: 42 as unknown as Uint8Array };
    await expect(storage.put('local-hkube/job-1/task-1', bad)).rejects.toBeInstanceOf(TypeError);
    expect(await allFiles(base)).toEqual([]);
  });

  it('writes a 100 MB raw output without concatenating it', async () => {
    const { storage } = await adapter();
    const size = 100 * 1024 * 1024;
    const big = Buffer.alloc(size);
    const offsets = [0, 1, 4096, size / 2 + 7, size - 1];
    offsets.forEach((offset, i) => (big[offset] = i + 1));
    const stored = encodeStored(big, getCodec('bson'));
    expect(stored.payload).toBe(big);

    const concat = vi.spyOn(Buffer, 'concat');
    try {
      await storage.put('local-hkube/job-1/big', stored);
      expect(concat).not.toHaveBeenCalled();
    } finally {
      concat.mockRestore();
    }

    const handle = await open(storage.filePath('local-hkube/job-1/big'), 'r');
    try {
      expect((await handle.stat()).size).toBe(size + 8);
      const header = Buffer.alloc(8);
      await handle.read(header, 0, 8, 0);
      expect(header).toEqual(stored.header);
      for (const [i, offset] of offsets.entries()) {
        const byte = Buffer.alloc(1);
        await handle.read(byte, 0, 1, 8 + offset);
        expect(byte[0]).toBe(i + 1);
      }
    } finally {
      await handle.close();
    }
  });

  it('lists objects under a folder, skipping temporary files', async () => {
    const { storage } = await adapter();
    const stored = encodeStored(1, msgpack);
    await storage.put('local-hkube/job-1/b', stored);
    await storage.put('local-hkube/job-1/a', stored);
    await storage.put('local-hkube/job-2/c', stored);
    await writeFile(join(storage.filePath('local-hkube/job-1/a'), '..', `.a.hkube-tmp-${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(12)}`), 'x');

    await expect(storage.list('local-hkube/job-1')).resolves.toEqual(['local-hkube/job-1/a', 'local-hkube/job-1/b']);
    await expect(storage.list('')).resolves.toEqual(['local-hkube/job-1/a', 'local-hkube/job-1/b', 'local-hkube/job-2/c']);
    await expect(storage.list('local-hkube/none')).resolves.toEqual([]);
    await expect(storage.list('../x')).rejects.toBeInstanceOf(StoragePathError);
  });

  it('rejects with the abort reason when the signal has fired', async () => {
    const { storage } = await adapter();
    const controller = new AbortController();
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(storage.put('local-hkube/j/t', encodeStored(1, msgpack), controller.signal)).rejects.toBe(reason);
    await storage.put('local-hkube/j/t', encodeStored(1, msgpack));
    await expect(storage.get('local-hkube/j/t', controller.signal)).rejects.toBe(reason);
    await expect(storage.exists('local-hkube/j/t')).resolves.toBe(true);
  });
});
