import { join } from 'node:path';
import { createS3StorageAdapter, StorageConfigError, type S3StorageAdapter } from '@hkube-ts/wrapper-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator, type S3StorageLocation } from '../../src/index.js';
import { podEnvironment } from '../../src/processes/process-env.js';
import { fromInput } from '../support/algorithms.js';
import { FIXTURES, wrapperCommand } from '../support/built.js';
import { S3RVER_CREDENTIALS, startS3Server, type TestS3Server } from '../../../wrapper-node/test/support/s3-server.js';

// The emulator on S3 storage (s3rver on 127.0.0.1, no bucket created beforehand): in-process nodes
// and a node run as a process under the real hkube-wrapper bin with DEFAULT_STORAGE=s3.
const pipeline = {
  name: 'on-s3',
  nodes: [
    { nodeName: 'double', algorithmName: 'double', input: ['#@flowInput.numbers'] },
    { nodeName: 'sum', algorithmName: 'sum', input: ['@double'] },
  ],
  flowInput: { numbers: [1, 2, 3] },
};

let s3: TestS3Server;
let inspect: S3StorageAdapter;
let location: S3StorageLocation;
let emulator: Emulator | undefined;

beforeAll(async () => {
  s3 = await startS3Server();
  location = { kind: 's3', endpoint: s3.endpoint, ...S3RVER_CREDENTIALS };
  inspect = createS3StorageAdapter({ endpoint: s3.endpoint, credentials: S3RVER_CREDENTIALS });
});

afterAll(async () => {
  await inspect.close();
  await s3.close();
});

afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function runOnS3(cluster: string, sum: 'in-process' | 'process'): Promise<{ jobId: string; data: unknown; sumTaskId: string | undefined }> {
  emulator = await createEmulator({ storage: location, clusterName: cluster });
  expect(emulator.storageDirectory).toBeUndefined();
  emulator.registerAlgorithm('double', fromInput(([n]) => (n as number) * 2));
  emulator.registerAlgorithm('sum', sum === 'in-process' ? { path: join(FIXTURES, 'sum.mjs') } : wrapperCommand('sum.mjs', { WORKER_ALGORITHM_ENCODING: 'msgpack', STORAGE_PROTOCOL: 'v3' }));
  let sumTaskId: string | undefined;
  const job = emulator.runPipeline(pipeline, { onTaskEvent: (event) => (sumTaskId = event.nodeName === 'sum' ? event.taskId : sumTaskId) });
  const result = await job.result;
  if (result.status !== 'completed') expect.fail(`job ${result.status}: ${result.status === 'failed' ? result.error : result.reason}`);
  return { jobId: job.jobId, data: result.data, sumTaskId };
}

describe('the emulator on S3 storage', () => {
  it('runs in-process nodes and keeps HKube paths in the S3 buckets', async () => {
    const { jobId, data } = await runOnS3('inproc', 'in-process');
    expect(data).toEqual([{ nodeName: 'sum', algorithmName: 'sum', result: 12 }]);
    const objects = await inspect.list(`inproc-hkube/${jobId}`);
    expect(objects).toContain(`inproc-hkube/${jobId}/${jobId}`);
    expect(await inspect.list(`inproc-hkube-results/${jobId}`)).toEqual([`inproc-hkube-results/${jobId}/result.json`]);
  });

  it('gives a process node DEFAULT_STORAGE=s3, and it reads and writes the same objects', async () => {
    const { jobId, data, sumTaskId } = await runOnS3('proc', 'process');
    expect(data).toEqual([{ nodeName: 'sum', algorithmName: 'sum', result: 12 }]);
    // The process wrote its output at the HKube path, with the header in the object metadata.
    const output = await inspect.get(`proc-hkube/${jobId}/${sumTaskId ?? 'missing'}`);
    expect(output.header?.subarray(6).toString()).toBe('HK');
  });

  it('describes S3 in the pod environment of a process', () => {
    const env = podEnvironment({ algorithmName: 'a', port: 1, clusterName: 'c', storage: { ...location, region: 'eu-west-1' }, storageEncoding: 'msgpack', metricsDirectory: '/m', base: { BASE_FS_ADAPTER_DIRECTORY: '/leak' } });
    expect(env).toMatchObject({ DEFAULT_STORAGE: 's3', S3_ENDPOINT_URL: s3.endpoint, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'eu-west-1' });
    expect(env['BASE_FS_ADAPTER_DIRECTORY']).toBeUndefined();
  });

  it('rejects an unusable S3 location', async () => {
    await expect(createEmulator({ storage: { ...location, endpoint: 'minio:9000' } })).rejects.toBeInstanceOf(StorageConfigError);
  });
});
