import { encodeStored, getCodec } from '@hkube-ts/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { S3Client } from '@aws-sdk/client-s3';
import type {
  S3StorageAdapter} from '../../src/data/index.js';
import {
  StorageAccessDeniedError,
  StorageBucketNotFoundError,
  StorageConfigError,
  StorageIoError,
  StorageNotFoundError,
  StoragePathError,
  createS3StorageAdapter,
  decodeStoredObject,
  type S3StorageAdapterOptions,
} from '../../src/data/index.js';
import { S3RVER_CREDENTIALS, startFaultyProxy, startS3Server, type TestS3Server } from '../support/s3-server.js';
import { hkubeEncoding } from './helpers/hkube-encoding.js';
import { getRaw, putRaw, rawClient } from './helpers/s3.js';

const msgpack = getCodec('msgpack');
const BUCKET = 'local-hkube';
const MIB = 1024 * 1024;

let server: TestS3Server;
let raw: S3Client;
const adapters: S3StorageAdapter[] = [];

function adapter(options: Partial<S3StorageAdapterOptions> = {}): S3StorageAdapter {
  const created = createS3StorageAdapter({ endpoint: server.endpoint, credentials: S3RVER_CREDENTIALS, retry: { baseDelayMs: 1, maxDelayMs: 5 }, ...options });
  adapters.push(created);
  return created;
}

beforeAll(async () => {
  server = await startS3Server([BUCKET]);
  raw = rawClient(server.endpoint);
});

afterAll(async () => {
  await Promise.all(adapters.map((created) => created.close()));
  raw.destroy();
  await server.close();
});

describe('S3StorageAdapter', () => {
  it('puts the header base64 in the metadata `header` and the payload alone as the body', async () => {
    const storage = adapter();
    const stored = encodeStored({ a: [1, 2, 3] }, msgpack);
    await storage.put(`${BUCKET}/job-1/task-1`, stored);

    const object = await getRaw(raw, BUCKET, 'job-1/task-1');
    expect(object.metadata['header']).toBe(Buffer.from(stored.header).toString('base64'));
    expect(object.body).toEqual(Buffer.from(stored.payload));
    // HKube's reader: the header from the metadata, then the body.
    expect(hkubeEncoding('msgpack').decodeHeaderPayload(Buffer.from(object.metadata['header']!, 'base64'), object.body)).toEqual({ a: [1, 2, 3] });

    const read = await storage.get(`${BUCKET}/job-1/task-1`);
    expect(read.header).toEqual(Buffer.from(stored.header));
    expect(read.body).toEqual(Buffer.from(stored.payload));
    expect(decodeStoredObject('p', read, msgpack).value).toEqual({ a: [1, 2, 3] });
  });

  it('reads objects written by others with the header in metadata, inline, or absent', async () => {
    const storage = adapter();
    const hkube = hkubeEncoding('bson');
    const separate = hkube.encodeHeaderPayload({ where: 'metadata' });
    await putRaw(raw, BUCKET, 'job-2/meta', separate.payload, separate.header);
    await putRaw(raw, BUCKET, 'job-2/inline', hkube.encode({ where: 'inline' }, { customEncode: true }));
    await putRaw(raw, BUCKET, 'job-2/job-2', hkube.encode({ where: 'nowhere' }));

    const bson = getCodec('bson');
    const meta = await storage.get(`${BUCKET}/job-2/meta`);
    expect(meta.header).toEqual(separate.header);
    expect(decodeStoredObject('meta', meta, bson).value).toEqual({ where: 'metadata' });
    const inline = await storage.get(`${BUCKET}/job-2/inline`);
    expect(inline.header).toBeUndefined();
    expect(decodeStoredObject('inline', inline, bson).value).toEqual({ where: 'inline' });
    const bare = await storage.get(`${BUCKET}/job-2/job-2`);
    expect(bare.header).toBeUndefined();
    expect(decodeStoredObject('bare', bare, bson).value).toEqual({ where: 'nowhere' });
  });

  it('writes headerless objects without metadata and replaces objects on re-put', async () => {
    const storage = adapter();
    const path = `${BUCKET}/job-3/job-3`;
    await storage.put(path, encodeStored({ big: 'x'.repeat(1000) }, msgpack));
    await storage.put(path, { payload: Buffer.from('{"flow":1}') });
    const object = await getRaw(raw, BUCKET, 'job-3/job-3');
    expect(object.metadata['header']).toBeUndefined();
    expect(object.body.toString()).toBe('{"flow":1}');
    expect(await storage.get(path)).toEqual({ body: Buffer.from('{"flow":1}') });
  });

  it('answers exists, deletes, and lists sorted across pages', async () => {
    const storage = adapter({ listPageSize: 3 });
    const keys = Array.from({ length: 8 }, (_, index) => `job-4/${String(7 - index)}`).sort();
    await Promise.all(keys.map((key) => putRaw(raw, BUCKET, key, Buffer.from(key))));
    await putRaw(raw, BUCKET, 'job-40/other', Buffer.from('not under job-4/'));

    const listed = await storage.list(`${BUCKET}/job-4`);
    expect(listed).toEqual(keys.map((key) => `${BUCKET}/${key}`));
    expect(await storage.list(`${BUCKET}/job-none`)).toEqual([]);
    expect(await storage.list('missing-bucket')).toEqual([]);
    expect(await storage.list('')).toContain(`${BUCKET}/job-40/other`);

    expect(await storage.exists(`${BUCKET}/job-4/0`)).toBe(true);
    await storage.delete(`${BUCKET}/job-4/0`);
    await storage.delete(`${BUCKET}/job-4/0`);
    await storage.delete('missing-bucket/x');
    expect(await storage.exists(`${BUCKET}/job-4/0`)).toBe(false);
    expect(await storage.exists('missing-bucket/x')).toBe(false);
  });

  it('rejects a missing object with StorageNotFoundError', async () => {
    const error = await adapter().get(`${BUCKET}/job-5/nothing`).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StorageNotFoundError);
    expect((error as StorageNotFoundError).path).toBe(`${BUCKET}/job-5/nothing`);
  });

  it.each([['../x'], ['/abs/path'], ['a//b'], [''], ['a\0b'], ['local-hkube'], ['Bad_Bucket/key'], ['ab/key'], ['-bucket/key'], ['192.168.0.1/key'], [`${BUCKET}/${'k'.repeat(1025)}`]])(
    'rejects the unusable path %j before any request',
    async (path) => {
      const storage = adapter({ endpoint: 'http://127.0.0.1:1' });
      for (const attempt of [() => storage.put(path, { payload: Buffer.from('x') }), () => storage.get(path), () => storage.exists(path), () => storage.delete(path)]) {
        await expect(attempt()).rejects.toBeInstanceOf(StoragePathError);
      }
    },
  );

  it('names a missing bucket, and creates only the buckets it is allowed to', async () => {
    const strict = adapter();
    const put = await strict.put('other-bucket/job/task', { payload: Buffer.from('x') }).catch((caught: unknown) => caught);
    expect(put).toBeInstanceOf(StorageBucketNotFoundError);
    expect(put).toMatchObject({ code: 'STORAGE_BUCKET_NOT_FOUND', bucket: 'other-bucket', operation: 'put' });
    expect((put as Error).message).toContain('NoSuchBucket');
    await expect(strict.get('other-bucket/job/task')).rejects.toBeInstanceOf(StorageBucketNotFoundError);

    const creating = adapter({ createBuckets: ['fresh-hkube'] });
    await expect(creating.put('other-bucket/job/task', { payload: Buffer.from('x') })).rejects.toBeInstanceOf(StorageBucketNotFoundError);
    await Promise.all([1, 2, 3].map((n) => creating.put(`fresh-hkube/job/${n}`, { payload: Buffer.from([n]) })));
    expect(await creating.list('fresh-hkube')).toEqual(['fresh-hkube/job/1', 'fresh-hkube/job/2', 'fresh-hkube/job/3']);
  });

  it('reports refused credentials with StorageAccessDeniedError, without retrying', async () => {
    const proxy = await startFaultyProxy(server.endpoint);
    try {
      const storage = adapter({ endpoint: proxy.endpoint, credentials: { accessKeyId: 'WRONG', secretAccessKey: 'WRONG' } });
      const error = await storage.get(`${BUCKET}/job-1/task-1`).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(StorageAccessDeniedError);
      expect(error).toMatchObject({ serviceCode: 'InvalidAccessKeyId', operation: 'get' });
      expect((error as Error).message).toContain('AWS_ACCESS_KEY_ID');
      expect(proxy.requests).toHaveLength(1);
    } finally {
      await proxy.close();
    }
  });

  it('retries throttling, server errors and connection resets, then succeeds', async () => {
    const proxy = await startFaultyProxy(server.endpoint);
    try {
      const storage = adapter({ endpoint: proxy.endpoint });
      proxy.inject('slow-down', 1, (method) => method === 'PUT');
      proxy.inject('reset', 1, (method) => method === 'PUT');
      await storage.put(`${BUCKET}/job-6/task`, encodeStored('retried', msgpack));
      proxy.inject('internal-error', 2, (method) => method === 'GET');
      const object = await storage.get(`${BUCKET}/job-6/task`);
      expect(decodeStoredObject('p', object, msgpack).value).toBe('retried');
      expect(proxy.requests.filter((line) => line.startsWith('PUT'))).toHaveLength(3);
      expect(proxy.requests.filter((line) => line.startsWith('GET'))).toHaveLength(3);
    } finally {
      await proxy.close();
    }
  });

  it('gives up after the configured retries with a StorageIoError naming the cause', async () => {
    const proxy = await startFaultyProxy(server.endpoint);
    try {
      const storage = adapter({ endpoint: proxy.endpoint, retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 2 } });
      proxy.inject('slow-down', 10);
      const error = await storage.get(`${BUCKET}/job-1/task-1`).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(StorageIoError);
      expect((error as Error).message).toMatch(/SlowDown|injected|503/);
      expect(proxy.requests).toHaveLength(3);
    } finally {
      await proxy.close();
    }
  });

  it('fails a request to a store that stops answering after the idle timeout, then retries it', async () => {
    const proxy = await startFaultyProxy(server.endpoint);
    try {
      const storage = adapter({ endpoint: proxy.endpoint, idleTimeoutMs: 100, retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 1 } });
      await storage.put(`${BUCKET}/job-9/task`, encodeStored('answered', msgpack));
      proxy.inject('hang', 1, (method) => method === 'GET');
      expect(decodeStoredObject('p', await storage.get(`${BUCKET}/job-9/task`), msgpack).value).toBe('answered');
      proxy.inject('hang', 2, (method) => method === 'GET');
      await expect(storage.get(`${BUCKET}/job-9/task`)).rejects.toBeInstanceOf(StorageIoError);
    } finally {
      await proxy.close();
    }
  });

  it('stops retrying when aborted, with the abort reason', async () => {
    const proxy = await startFaultyProxy(server.endpoint);
    try {
      const storage = adapter({ endpoint: proxy.endpoint, retry: { retries: 50, baseDelayMs: 200, maxDelayMs: 200 } });
      proxy.inject('slow-down', 100);
      const reason = new Error('stop now');
      const controller = new AbortController();
      const pending = storage.get(`${BUCKET}/job-1/task-1`, controller.signal);
      setTimeout(() => controller.abort(reason), 50);
      await expect(pending).rejects.toBe(reason);
      expect(proxy.requests.length).toBeLessThan(50);
    } finally {
      await proxy.close();
    }
  });

  it('uploads large payloads in parts that are views of the payload, and reads them back whole', async () => {
    const storage = adapter({ multipartThresholdBytes: 5 * MIB, partSizeBytes: 5 * MIB });
    const payload = Buffer.alloc(11 * MIB + 123);
    for (let index = 0; index < payload.length; index += 4096) payload[index] = index % 251;
    const header = encodeStored(Buffer.alloc(0), msgpack).header;
    await storage.put(`${BUCKET}/job-7/big`, { header, payload });

    const object = await storage.get(`${BUCKET}/job-7/big`);
    expect(object.header).toEqual(Buffer.from(header));
    expect(object.body.length).toBe(payload.length);
    expect(object.body.equals(payload)).toBe(true);
  });

  it('aborts a failing multipart upload and leaves the previous object in place', async () => {
    const proxy = await startFaultyProxy(server.endpoint);
    try {
      const storage = adapter({ endpoint: proxy.endpoint, multipartThresholdBytes: 5 * MIB, partSizeBytes: 5 * MIB, retry: { retries: 0 } });
      await storage.put(`${BUCKET}/job-8/big`, { payload: Buffer.from('previous') });
      proxy.inject('internal-error', 1, (method, url) => method === 'PUT' && url.includes('partNumber=2'));
      await expect(storage.put(`${BUCKET}/job-8/big`, { payload: Buffer.alloc(12 * MIB, 7) })).rejects.toBeInstanceOf(StorageIoError);
      expect(proxy.requests.some((line) => line.startsWith('DELETE') && line.includes('uploadId='))).toBe(true);
      expect((await storage.get(`${BUCKET}/job-8/big`)).body.toString()).toBe('previous');
    } finally {
      await proxy.close();
    }
  });

  it('validates its options and refuses calls after close', async () => {
    expect(() => createS3StorageAdapter({ endpoint: 'minio:9000' })).toThrow(StorageConfigError);
    expect(() => createS3StorageAdapter({ endpoint: 'http://x', partSizeBytes: 1024 })).toThrow(StorageConfigError);
    expect(() => createS3StorageAdapter({ endpoint: 'http://x', credentials: { accessKeyId: '', secretAccessKey: 's' } })).toThrow(StorageConfigError);
    const storage = adapter();
    await storage.close();
    await expect(storage.get(`${BUCKET}/job-1/task-1`)).rejects.toBeInstanceOf(StorageConfigError);
  });
});
