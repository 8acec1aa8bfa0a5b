import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/cli/args.js';
import { CliUsageError } from '../../src/cli/errors.js';
import { runCli } from '../../src/cli/main.js';
import { REPO_ROOT } from '../support/built.js';
import { S3RVER_CREDENTIALS, startS3Server, type TestS3Server } from '../../../wrapper-node/test/support/s3-server.js';

// `hkube-ts run --storage s3 --s3-endpoint <url>` (in-process CLI, real s3rver).
const EXAMPLE = join(REPO_ROOT, 'examples', 'pipeline-basics');
const PIPELINE = join(EXAMPLE, 'pipeline.json');
const ALGORITHMS = join(EXAMPLE, 'algorithms.json');
const CREDENTIALS = { AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey };

let s3: TestS3Server;

beforeAll(async () => {
  s3 = await startS3Server();
});

afterAll(async () => {
  await s3.close();
});

async function cli(args: string[], env: Record<string, string | undefined>): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), stderrIsTTY: false, env });
  return { code, stdout, stderr };
}

describe('hkube-ts run --storage s3', () => {
  it('runs on S3 and re-runs a node of the job kept there', async () => {
    const first = await cli(['run', PIPELINE, '-a', ALGORITHMS, '--json', '--storage', 's3', '--s3-endpoint', s3.endpoint], CREDENTIALS);
    expect(first.stderr).toContain(`storage kept on S3 at ${s3.endpoint}`);
    expect(first.code).toBe(0);
    const { jobId, data } = JSON.parse(first.stdout) as { jobId: string; data: unknown };
    expect(data).toEqual([{ nodeName: 'sum', algorithmName: 'sum', result: 30 }]);

    const again = await cli(['run', PIPELINE, '-a', ALGORITHMS, '--json', '--storage', 's3', '--s3-endpoint', s3.endpoint, '--from-job', jobId, '--node', 'sum'], CREDENTIALS);
    expect(again.code).toBe(0);
    expect((JSON.parse(again.stdout) as { data: unknown }).data).toEqual(data);
  });

  it('needs credentials in the environment', async () => {
    const run = await cli(['run', PIPELINE, '-a', ALGORITHMS, '--storage', 's3', '--s3-endpoint', s3.endpoint], {});
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--storage s3 needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY');
    const half = await cli(['run', PIPELINE, '-a', ALGORITHMS, '--storage', 's3', '--s3-endpoint', s3.endpoint], { AWS_ACCESS_KEY_ID: 'S3RVER' });
    expect(half.code).toBe(2);
    expect(half.stderr).toContain('AWS_SECRET_ACCESS_KEY');
    expect(half.stderr).not.toMatch(/\n\s+at /);
  });

  it.each([
    [['--storage', 's3'], '--storage s3 needs --s3-endpoint'],
    [['--storage', 's3', '--s3-endpoint', 'minio:9000'], '--s3-endpoint must be an http:// or https:// URL'],
    [['--storage', 's3', '--s3-endpoint', 'http://x', '--storage-dir', '/tmp/x'], '--storage-dir cannot be used with --storage s3'],
    [['--s3-endpoint', 'http://x', '--storage', 'memory'], '--s3-endpoint needs --storage s3'],
    [['--storage', 'fs'], '--storage fs needs --storage-dir'],
    [['--storage', 'gcs'], '--storage must be memory, fs or s3'],
    [['--from-job', 'j', '--node', 'n'], '--from-job needs --storage-dir <dir> or --storage s3'],
  ])('rejects %j', (extra, message) => {
    expect(() => parseCommandLine(['run', 'p.json', '-a', 'a.json', ...extra])).toThrow(CliUsageError);
    expect(() => parseCommandLine(['run', 'p.json', '-a', 'a.json', ...extra])).toThrow(message);
  });

  it('takes --s3-endpoint alone as --storage s3', () => {
    expect(parseCommandLine(['run', 'p.json', '-a', 'a.json', '--s3-endpoint', 'http://127.0.0.1:9000'])).toMatchObject({ s3Endpoint: 'http://127.0.0.1:9000', storageDir: undefined });
  });
});
