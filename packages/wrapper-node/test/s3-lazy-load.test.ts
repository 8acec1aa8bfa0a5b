import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from './support/spawn-wrapper.js';

// The built package in a fresh Node process, with a module hook that reports every resolution of
// @aws-sdk/client-s3: a data plane on fs must never load the SDK; S3 loads it on its first operation.
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hkube-ts-lazy-'));
  await writeFile(join(dir, 'hook.mjs'), `export async function resolve(specifier, context, next) {
  if (specifier.startsWith('@aws-sdk/')) process.stdout.write('SDK ' + specifier + '\\n');
  return next(specifier, context);
}\n`);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let scripts = 0;

async function runScript(body: string): Promise<string> {
  scripts += 1;
  const script = join(dir, `script-${scripts}.mjs`);
  const index = pathToFileURL(join(BIN, '..', 'index.js')).href;
  await writeFile(script, `import { register } from 'node:module';
register(${JSON.stringify(pathToFileURL(join(dir, 'hook.mjs')).href)});
const wrapper = await import(${JSON.stringify(index)});
${body}
`);
  const result = spawnSync(process.execPath, [script], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' }, timeout: 20_000 });
  return `${result.stdout}${result.stderr}`;
}

describe('the AWS SDK is loaded lazily', () => {
  it('is not loaded by an fs data plane, and is loaded by the first S3 operation', async () => {
    const fsOutput = await runScript(`
const plane = wrapper.createTaskDataPlane({ clusterName: 'local', defaultStorage: 'fs', storageEncoding: 'msgpack', baseFsDirectory: ${JSON.stringify(dir)}, maxCacheSizeMb: 1 }, { source: {} });
await plane.close();
console.log('fs done');`);
    expect(fsOutput).toContain('fs done');
    expect(fsOutput).not.toContain('SDK');

    const s3Output = await runScript(`
const storage = wrapper.createS3StorageAdapter({ endpoint: 'http://127.0.0.1:1', credentials: { accessKeyId: 'k', secretAccessKey: 's' }, retry: { retries: 0 } });
console.log('created');
await storage.exists('some-bucket/key').catch((error) => console.log('failed with', error.code));`);
    expect(s3Output.indexOf('created')).toBeLessThan(s3Output.indexOf('SDK @aws-sdk/client-s3'));
    expect(s3Output).toContain('failed with STORAGE_IO_FAILED');
  });
});
