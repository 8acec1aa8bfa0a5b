import { decodeStoredBlob, decodeStoredPayload, encodeStored, getCodec } from '@hkube-ts/protocol';
import { describe, expect, it } from 'vitest';
import { MemoryStorageAdapter, StorageNotFoundError, StoragePathError } from '../../src/data/index.js';

const msgpack = getCodec('msgpack');

describe('MemoryStorageAdapter', () => {
  it('returns the header apart from the payload by default (S3 layout)', async () => {
    const storage = new MemoryStorageAdapter();
    const stored = encodeStored({ a: 1 }, msgpack);
    await storage.put('local-hkube/j/t', stored);
    const object = await storage.get('local-hkube/j/t');
    expect(object.header).toEqual(stored.header);
    expect(object.body).toEqual(stored.payload);
    expect(decodeStoredPayload(object.body, object.header, msgpack)).toEqual({ ok: true, value: { a: 1 } });
  });

  it('returns header + payload as one body with the inline (fs) layout', async () => {
    const storage = new MemoryStorageAdapter({ layout: 'inline' });
    const stored = encodeStored({ a: 1 }, msgpack);
    await storage.put('local-hkube/j/t', stored);
    const object = await storage.get('local-hkube/j/t');
    expect(object.header).toBeUndefined();
    expect(decodeStoredBlob(object.body, msgpack)).toEqual({ ok: true, value: { a: 1 } });
  });

  it('copies bytes in and out by default', async () => {
    const storage = new MemoryStorageAdapter();
    const payload = Buffer.from([1, 2, 3]);
    await storage.put('b/k', { payload });
    payload[0] = 9;
    const first = await storage.get('b/k');
    first.body[1] = 9;
    expect((await storage.get('b/k')).body).toEqual(Buffer.from([1, 2, 3]));
  });

  it('shares bytes when copying is off', async () => {
    const storage = new MemoryStorageAdapter({ copy: false });
    const payload = Buffer.from([1, 2, 3]);
    await storage.put('b/k', { payload });
    expect((await storage.get('b/k')).body).toBe(payload);
  });

  it('replaces, deletes, lists and reports missing objects', async () => {
    const storage = new MemoryStorageAdapter();
    await storage.put('b/j/2', { payload: Buffer.from('x') });
    await storage.put('b/j/1', { payload: Buffer.from('y') });
    await storage.put('b/j/1', { payload: Buffer.from('z') });
    await storage.put('b/jj/1', { payload: Buffer.from('w') });
    expect((await storage.get('b/j/1')).body.toString()).toBe('z');
    await expect(storage.list('b/j')).resolves.toEqual(['b/j/1', 'b/j/2']);
    await expect(storage.list('')).resolves.toEqual(['b/j/1', 'b/j/2', 'b/jj/1']);
    await storage.delete('b/j/1');
    await storage.delete('b/j/1');
    await expect(storage.exists('b/j/1')).resolves.toBe(false);
    await expect(storage.get('b/j/1')).rejects.toBeInstanceOf(StorageNotFoundError);
    await expect(storage.get('../b')).rejects.toBeInstanceOf(StoragePathError);
    await expect(storage.put('/b', { payload: Buffer.alloc(1) })).rejects.toBeInstanceOf(StoragePathError);
  });

  it('rejects with the abort reason', async () => {
    const storage = new MemoryStorageAdapter();
    const reason = new Error('stop');
    await expect(storage.get('b/k', AbortSignal.abort(reason))).rejects.toBe(reason);
  });
});
