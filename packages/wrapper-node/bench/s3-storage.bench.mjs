// The S3 adapter against s3rver (a real S3-compatible server, in a child process on 127.0.0.1):
// put/get time for small and large objects (single PUT vs multipart), and the memory a 100 MiB
// download takes: our get (one buffer of Content-Length bytes) against the SDK's own
// `transformToByteArray()` (collects the chunks, then concatenates). Memory is the peak of
// process.memoryUsage().arrayBuffers above the baseline, sampled every 2 ms (coarse, but the same
// sampling for both). Figures are from this one run; s3rver stores on local disk, so times are the
// client's and the server's work together, not a network.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createS3StorageAdapter } from '@hkube-ts/wrapper-node';

const MIB = 1024 * 1024;
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const main = fileURLToPath(new URL('../test/support/s3rver-main.cjs', import.meta.url));

async function startServer(directory) {
  const child = spawn(process.execPath, ['--openssl-legacy-provider', main, directory, 'bench-hkube'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise((resolve, reject) => {
    let output = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text) => {
      output += text;
      const found = /\{"port":(\d+)\}/.exec(output);
      if (found) resolve(Number(found[1]));
    });
    child.once('exit', () => reject(new Error('s3rver exited')));
  });
  return { endpoint: `http://127.0.0.1:${port}`, stop: () => new Promise((resolve) => { child.once('exit', resolve); child.kill('SIGTERM'); }) };
}

async function timed(label, repeat, action) {
  await action(-1);
  const started = process.hrtime.bigint();
  for (let i = 0; i < repeat; i += 1) await action(i);
  const ms = Number(process.hrtime.bigint() - started) / 1e6 / repeat;
  return { label, ms };
}

async function peakArrayBuffers(action) {
  globalThis.gc?.();
  const base = process.memoryUsage().arrayBuffers;
  let peak = base;
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().arrayBuffers); }, 2);
  const kept = await action();
  peak = Math.max(peak, process.memoryUsage().arrayBuffers);
  clearInterval(timer);
  return { peak: peak - base, kept };
}

const directory = mkdtempSync(join(tmpdir(), 'hkube-ts-s3-bench-'));
const server = await startServer(directory);
const storage = createS3StorageAdapter({ endpoint: server.endpoint, credentials: CREDENTIALS });
const raw = new S3Client({ endpoint: server.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { ...CREDENTIALS }, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
try {
  const header = Buffer.from([1, 8, 1, 2, 0, 0, 0x48, 0x4b]);
  const small = Buffer.alloc(1 * MIB, 7);
  const large = Buffer.alloc(100 * MIB, 7);
  const rows = [];
  rows.push(await timed('put 1 MiB', 20, (i) => storage.put(`bench-hkube/small/${i}`, { header, payload: small })));
  rows.push(await timed('get 1 MiB', 20, (i) => storage.get(`bench-hkube/small/${i}`)));
  rows.push(await timed('put 100 MiB (multipart, 16 MiB parts)', 2, () => storage.put('bench-hkube/large/multi', { header, payload: large })));
  const single = createS3StorageAdapter({ endpoint: server.endpoint, credentials: CREDENTIALS, multipartThresholdBytes: 200 * MIB });
  rows.push(await timed('put 100 MiB (one PUT)', 2, () => single.put('bench-hkube/large/single', { header, payload: large })));
  await single.close();
  rows.push(await timed('get 100 MiB', 2, () => storage.get('bench-hkube/large/multi')));
  for (const { label, ms } of rows) console.log(`${label.padEnd(40)} ${ms.toFixed(1).padStart(8)} ms`);

  const ours = await peakArrayBuffers(async () => (await storage.get('bench-hkube/large/multi')).body.length);
  const sdk = await peakArrayBuffers(async () => {
    const response = await raw.send(new GetObjectCommand({ Bucket: 'bench-hkube', Key: 'large/multi' }));
    return (await response.Body.transformToByteArray()).length;
  });
  console.log(`peak arrayBuffers during a 100 MiB get: ours ${(ours.peak / MIB).toFixed(0)} MiB, SDK transformToByteArray ${(sdk.peak / MIB).toFixed(0)} MiB (ratio ${(sdk.peak / ours.peak).toFixed(2)})`);
} finally {
  raw.destroy();
  await storage.close();
  await server.stop();
  rmSync(directory, { recursive: true, force: true });
}
