import { getCodec, InvalidEnvironmentError, readStorageEnv } from '@hkube-ts/protocol';
import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStorageFromEnv, createTaskDataPlane } from '../../src/data-plane.js';
import { FsStorageAdapter, resolveInput, S3StorageAdapter, writeOutput, type StorageLinks } from '../../src/data/index.js';
import { S3RVER_CREDENTIALS, startS3Server, type TestS3Server } from '../support/s3-server.js';
import { hkubeEncoding } from './helpers/hkube-encoding.js';
import { getRaw, putRaw, rawClient } from './helpers/s3.js';

let server: TestS3Server;
let raw: S3Client;

beforeAll(async () => {
  server = await startS3Server(['local-hkube']);
  raw = rawClient(server.endpoint);
});

afterAll(async () => {
  raw.destroy();
  await server.close();
});

function s3Env(extra: Record<string, string> = {}): Record<string, string> {
  return { DEFAULT_STORAGE: 's3', S3_ENDPOINT_URL: server.endpoint, AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey, ...extra };
}

describe('DEFAULT_STORAGE', () => {
  it('selects fs by default and S3 with DEFAULT_STORAGE=s3', async () => {
    expect(createStorageFromEnv(readStorageEnv({}), {})).toBeInstanceOf(FsStorageAdapter);
    const storage = createStorageFromEnv(readStorageEnv(s3Env()), s3Env());
    expect(storage).toBeInstanceOf(S3StorageAdapter);
    expect((storage as S3StorageAdapter).endpoint).toBe(server.endpoint);
    await storage.close();
  });

  it('rejects unusable S3 variables at start-up', () => {
    const env = s3Env({ S3_ENDPOINT_URL: 'minio:9000' });
    expect(() => createStorageFromEnv(readStorageEnv(env), env)).toThrow(InvalidEnvironmentError);
    const keyOnly = { DEFAULT_STORAGE: 's3', AWS_ACCESS_KEY_ID: 'key' };
    expect(() => createStorageFromEnv(readStorageEnv(keyOnly), keyOnly)).toThrow(InvalidEnvironmentError);
    expect(() => readStorageEnv({ DEFAULT_STORAGE: 'gcs' })).toThrow(InvalidEnvironmentError);
  });
});

describe.each(['bson', 'msgpack'] as const)('the data plane over S3 (%s)', (encoding) => {
  it('resolves inputs written by HKube with the header in metadata, inline, and absent', async () => {
    const hkube = hkubeEncoding(encoding);
    const job = `job-${encoding}`;
    const separate = hkube.encodeHeaderPayload({ data: { array: [3, 6, 9] } });
    await putRaw(raw, 'local-hkube', `${job}/A`, separate.payload, separate.header);
    await putRaw(raw, 'local-hkube', `${job}/B`, hkube.encode({ myValue: 'asc' }, { customEncode: true }));
    await putRaw(raw, 'local-hkube', `${job}/${job}`, hkube.encode({ files: { link: 'x' } }));
    const storage = new S3StorageAdapter({ endpoint: server.endpoint, credentials: S3RVER_CREDENTIALS });
    try {
      const links: StorageLinks = {
        a: { storageInfo: { path: `local-hkube/${job}/A` }, path: 'data.array.2' },
        b: [{ storageInfo: { path: `local-hkube/${job}/B` }, path: 'myValue' }, { storageInfo: { path: `local-hkube/${job}/A` }, path: 'data.array' }],
        f: { storageInfo: { path: `local-hkube/${job}/${job}` }, path: 'files.link' },
      };
      const resolved = await resolveInput(
        { input: ['$$a', '$$b', { flow: '$$f' }], flatInput: { '0': '$$a', '1': '$$b', '2.flow': '$$f' }, storage: links, jobId: job, clusterName: 'local' },
        { storage, codec: getCodec(encoding) },
      );
      expect(resolved).toEqual([9, ['asc', [3, 6, 9]], { flow: 'x' }]);
    } finally {
      await storage.close();
    }
  });

  it('writes outputs that HKube decodes from the metadata header and the body', async () => {
    const storage = new S3StorageAdapter({ endpoint: server.endpoint, credentials: S3RVER_CREDENTIALS });
    try {
      const descriptor = await writeOutput(
        { result: { out: [1, 2] }, jobId: 'job-out', taskId: encoding, nodeName: 'node', savePaths: ['node.out'], clusterName: 'local' },
        { storage, codec: getCodec(encoding) },
      );
      const object = await getRaw(raw, 'local-hkube', `job-out/${encoding}`);
      expect(descriptor.storageInfo).toEqual({ path: `local-hkube/job-out/${encoding}`, size: object.body.length });
      const header = Buffer.from(object.metadata['header'] ?? '', 'base64');
      expect(hkubeEncoding(encoding).decodeHeaderPayload(header, object.body)).toEqual({ out: [1, 2] });
    } finally {
      await storage.close();
    }
  });
});

describe('createTaskDataPlane with DEFAULT_STORAGE=s3', () => {
  it('reads what it wrote through the Code API data functions', async () => {
    const env = s3Env({ CLUSTER_NAME: 'plane', STORAGE_ENCODING: 'msgpack' });
    const plane = createTaskDataPlane(readStorageEnv(env), { source: env });
    try {
      const data = plane.codeApiData({ jobId: 'job-api' } as Parameters<typeof plane.codeApiData>[0]);
      if (data.storageProtocol !== 'v3') throw new Error('expected v3');
      const written = await data.writeInput([{ big: 'x'.repeat(100) }]);
      const key = String(written.storageInput[0]).slice(2);
      const link = written.storage[key];
      if (link === undefined || Array.isArray(link) || !('storageInfo' in link) || link.storageInfo === undefined) throw new Error('expected a storage link');
      const path = link.storageInfo.path;
      expect(path.startsWith('plane-hkube/job-api/')).toBe(true);
      expect(await data.readStored(path)).toEqual({ big: 'x'.repeat(100) });
    } finally {
      await plane.close();
    }
  });
});
