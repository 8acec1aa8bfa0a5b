// Peak memory of a 100 MiB Buffer result in storage mode v3 (fs): a child process runs the built
// wrapper (`run()` from @hkube-ts/wrapper-node) whose algorithm allocates and returns
// `Buffer.alloc(100 MiB, 1)`; the wrapper writes it to fs storage with the HK header and reports
// `storing`, then `done`. The driver (this process, bench/lib/driver.mjs) reads the child's
// resident set from /proc/<pid>/status: VmRSS just before the task (after a 1 KiB warm-up task, the
// peak counter reset through /proc/<pid>/clear_refs) is the baseline, VmHWM (the kernel's exact
// peak RSS) once `done` has arrived is the peak.
//
// For reference, a bare child does the same with no wrapper: allocates the Buffer on `start`,
// writes header + payload with one fs writev, answers `done`. Then the written file is decoded.
import { open, readFile, stat } from 'node:fs/promises';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeStoredBlob, getCodec, HEADER_LENGTH } from '@hkube-ts/protocol';
import { Driver, initializePayload, printRows, procMemory, spawnChild } from './lib/driver.mjs';

const MIB = 1024 * 1024;
const PAYLOAD = 100 * MIB;
const WARMUP = 1024;
const TARGET = 1.5;

const self = fileURLToPath(import.meta.url);

// ------------------------------------------------------------------ the clients (child processes)

async function ours({ port, baseDirectory }) {
  const { run } = await import('@hkube-ts/wrapper-node');
  const env = {
    WORKER_SOCKET_HOST: '127.0.0.1',
    WORKER_SOCKET_PORT: String(port),
    WORKER_ALGORITHM_ENCODING: 'bson',
    STORAGE_PROTOCOL: 'v3',
    DEFAULT_STORAGE: 'fs',
    STORAGE_ENCODING: 'bson',
    BASE_FS_ADAPTER_DIRECTORY: baseDirectory,
    HKUBE_LOG_LEVEL: 'error',
  };
  const outcome = await run({ start: ({ input: [size] }) => Buffer.alloc(size, 1) }, { exitProcess: false, env, connectTimeoutMs: 20_000 });
  process.exit(outcome.exitCode);
}

async function bare({ port, baseDirectory }) {
  const { createHeader, createSocketCodec, DATA_TYPE, PROTOCOL_TYPE } = await import('@hkube-ts/protocol');
  const { WebSocket } = await import('ws');
  const codec = createSocketCodec('bson');
  const socket = new WebSocket(`ws://127.0.0.1:${port}/?encoding=bson&storage=v3`, { perMessageDeflate: false });
  const send = (message) => socket.send(codec.encode(message), { binary: true });
  let payload;
  socket.on('message', async (data) => {
    const message = codec.decodeFrame(data).value;
    if (message.command === 'initialize') {
      payload = message.data;
      send({ command: 'initialized' });
    } else if (message.command === 'start') {
      send({ command: 'started' });
      const result = Buffer.alloc(payload.input[0], 1);
      const path = `local-hkube/${payload.jobId}/${payload.taskId}`;
      const { mkdir } = await import('node:fs/promises');
      await mkdir(join(baseDirectory, 'local-hkube', payload.jobId), { recursive: true });
      const handle = await open(join(baseDirectory, path), 'w');
      await handle.writev([createHeader(DATA_TYPE.raw, PROTOCOL_TYPE.bson), result]);
      await handle.close();
      send({ command: 'storing', data: { storageInfo: { path, size: result.length }, metadata: {} } });
      send({ command: 'done' });
    } else if (message.command === 'exit') socket.close(1000, 'exit');
  });
  socket.once('close', () => process.exit(0));
}

// ------------------------------------------------------------------ the driver (this process)

async function task(driver, taskId, size) {
  const initialize = driver.codec.encode({ command: 'initialize', data: initializePayload({ taskId, input: [size] }) });
  const start = driver.codec.encode({ command: 'start', data: { spanId: null } });
  await driver.task(initialize, start);
  const storing = driver.last.get('storing')?.data?.storageInfo;
  if (storing === undefined) throw new Error('no storing message');
  return storing;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs the 100 MiB task in a fresh child of `kind`; returns its memory figures and the stored object. */
async function measure(kind, baseDirectory) {
  const driver = await Driver.listen('bson');
  const child = spawnChild([self, '--client', kind, JSON.stringify({ port: driver.port, baseDirectory })]);
  try {
    await driver.connected(child);
    await task(driver, 'warm-up', WARMUP);
    await sleep(200);
    let reset = true;
    try {
      writeFileSync(`/proc/${child.pid}/clear_refs`, '5'); // resets VmHWM to the current RSS
    } catch {
      reset = false;
    }
    const before = procMemory(child.pid);
    const stored = await task(driver, 'big', PAYLOAD);
    const after = procMemory(child.pid);
    await driver.exit();
    const { code, signal } = await child.exited;
    if (code !== 0) throw new Error(`the ${kind} client exited with ${code ?? signal}`);
    // Without the reset the peak is still right: VmHWM before the task is far below 100 MiB.
    return { kind, baseline: before.rss, peak: after.hwm, rssAfter: after.rss, reset, stored };
  } finally {
    await driver.close();
  }
}

/** Checks the stored file: size = header + payload, and it decodes to the 100 MiB Buffer. */
async function verify(baseDirectory, stored) {
  const file = join(baseDirectory, stored.path);
  const { size } = await stat(file);
  const blob = await readFile(file);
  const decoded = decodeStoredBlob(blob, getCodec('bson'));
  const ok =
    size === HEADER_LENGTH + PAYLOAD &&
    stored.size === PAYLOAD &&
    decoded.ok &&
    Buffer.isBuffer(decoded.value) &&
    decoded.value.equals(Buffer.alloc(PAYLOAD, 1));
  return { file: stored.path, size, ok };
}

async function main() {
  const mb = (bytes) => `${(bytes / MIB).toFixed(1)} MiB`;
  const rows = [];
  const checks = [];
  for (const kind of ['ours', 'bare']) {
    const baseDirectory = mkdtempSync(join(tmpdir(), `hkube-bench-memory-${kind}-`));
    try {
      const m = await measure(kind, baseDirectory);
      const ratio = (m.peak - m.baseline) / PAYLOAD;
      rows.push([kind, mb(PAYLOAD), mb(m.baseline), mb(m.peak), mb(m.peak - m.baseline), `${ratio.toFixed(2)}x`, kind === 'ours' ? (ratio <= TARGET ? 'yes' : 'NO') : '']);
      const check = await verify(baseDirectory, m.stored);
      checks.push(`${kind}: ${check.file}: ${check.size} bytes = ${HEADER_LENGTH} + ${PAYLOAD}, decodes to the Buffer: ${check.ok ? 'yes' : 'NO'}`);
      if (!m.reset) checks.push(`${kind}: could not reset VmHWM (clear_refs); peak is the process's lifetime peak`);
    } finally {
      rmSync(baseDirectory, { recursive: true, force: true });
    }
  }
  printRows(
    `peak RSS of the child for a ${mb(PAYLOAD)} Buffer result, storage v3 fs (target (peak - baseline) / payload <= ${TARGET}x for ours)`,
    ['client', 'payload', 'baseline RSS', 'peak RSS', 'peak - baseline', 'ratio', `<= ${TARGET}x`],
    rows,
  );
  console.log('');
  for (const line of checks) console.log(line);
}

// ------------------------------------------------------------------ entry point

if (process.argv[2] === '--client') {
  const options = JSON.parse(process.argv[4]);
  await (process.argv[3] === 'ours' ? ours(options) : bare(options));
} else {
  await main();
}
