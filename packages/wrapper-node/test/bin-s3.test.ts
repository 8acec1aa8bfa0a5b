import { Encoding } from '@hkube/encoding';
import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getRaw, putRaw, rawClient } from './data/helpers/s3.js';
import { initializePayload } from './support/initialize.js';
import { S3RVER_CREDENTIALS, startS3Server, type TestS3Server } from './support/s3-server.js';
import { ScriptedWorker } from './support/scripted-worker.js';
import { spawnWrapper, type WrapperProcess } from './support/spawn-wrapper.js';

// The hkube-wrapper bin as a real process with DEFAULT_STORAGE=s3, against s3rver: inputs written as
// HKube's S3 adapter writes them (header in metadata), inline, and headerless; the output read back
// the way HKube reads it.
let s3: TestS3Server;
let raw: S3Client;
let worker: ScriptedWorker;
let wrapper: WrapperProcess | undefined;

beforeAll(async () => {
  s3 = await startS3Server();
  raw = rawClient(s3.endpoint);
});

afterAll(async () => {
  raw.destroy();
  await s3.close();
});

beforeEach(async () => {
  worker = await ScriptedWorker.start();
});

afterEach(async () => {
  wrapper?.kill();
  wrapper = undefined;
  await worker.close();
});

function s3Env(credentials: { accessKeyId: string; secretAccessKey: string } = S3RVER_CREDENTIALS): Record<string, string> {
  return {
    WORKER_ALGORITHM_ENCODING: 'msgpack',
    STORAGE_PROTOCOL: 'v3',
    STORAGE_ENCODING: 'msgpack',
    DEFAULT_STORAGE: 's3',
    S3_ENDPOINT_URL: s3.endpoint,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
  };
}

describe('hkube-wrapper with DEFAULT_STORAGE=s3', () => {
  it('creates its bucket, resolves inputs from S3 objects and writes its output with the header in metadata', async () => {
    // No bucket yet: the wrapper's first write creates <cluster>-hkube.
    wrapper = spawnWrapper(worker.port, { ...s3Env(), CLUSTER_NAME: 'first' });
    await worker.connected();
    worker.send({ command: 'initialize', data: initializePayload({ jobId: 'job-0', input: ['made the bucket'] }) });
    await worker.next('initialized');
    worker.send({ command: 'start', data: { spanId: null } });
    await worker.next('done');
    expect((await getRaw(raw, 'first-hkube', 'job-0/task-1')).metadata['header']).toBeDefined();
    wrapper.kill();
    await wrapper.exited;
    await worker.close();
    worker = await ScriptedWorker.start();

    const hkube = new Encoding({ type: 'msgpack' });
    const parent = hkube.encodeHeaderPayload({ data: { array: [3, 6, 9] } });
    await putRaw(raw, 'first-hkube', 'job-1/parent', Buffer.from(parent.payload), parent.header);
    await putRaw(raw, 'first-hkube', 'job-1/inline', Buffer.from(hkube.encode({ value: 'inline' }, { customEncode: true })));
    await putRaw(raw, 'first-hkube', 'job-1/job-1', Buffer.from(hkube.encode({ files: { link: 'flow' } })));
    const input = ['$$parent', '$$inline', '$$flow'];
    const storage = {
      parent: { storageInfo: { path: 'first-hkube/job-1/parent' }, path: 'data.array.1' },
      inline: { storageInfo: { path: 'first-hkube/job-1/inline' }, path: 'value' },
      flow: { storageInfo: { path: 'first-hkube/job-1/job-1' }, path: 'files.link' },
    };
    wrapper = spawnWrapper(worker.port, { ...s3Env(), CLUSTER_NAME: 'first' });
    await worker.connected();
    worker.send({ command: 'initialize', data: initializePayload({ jobId: 'job-1', input, storage, flatInput: { '0': '$$parent', '1': '$$inline', '2': '$$flow' } }) });
    await worker.next('initialized');
    worker.send({ command: 'start', data: { spanId: null } });
    const storing = await worker.next('storing');
    await worker.next('done');

    const { storageInfo } = storing.data as { storageInfo: { path: string; size: number } };
    expect(storageInfo.path).toBe('first-hkube/job-1/task-1');
    const output = await getRaw(raw, 'first-hkube', 'job-1/task-1');
    expect(storageInfo.size).toBe(output.body.length);
    const header = Buffer.from(output.metadata['header'] ?? '', 'base64');
    expect(header.subarray(6).toString()).toBe('HK');
    expect(hkube.decodeHeaderPayload(header, output.body)).toEqual([6, 'inline', 'flow']);
  });

  it('fails the task with a clear error when S3 refuses the credentials', async () => {
    wrapper = spawnWrapper(worker.port, s3Env({ accessKeyId: 'WRONG', secretAccessKey: 'WRONG' }));
    await worker.connected();
    worker.send({ command: 'initialize', data: initializePayload({ input: ['x'] }) });
    await worker.next('initialized');
    worker.send({ command: 'start', data: { spanId: null } });
    const error = await worker.next('errorMessage');
    expect(JSON.stringify(error)).toMatch(/InvalidAccessKeyId.*AWS_ACCESS_KEY_ID/);
    expect(worker.commands).not.toContain('done');
  });
});
