// A 100 MiB output fetched peer-to-peer (ZeroMQ on loopback) vs read from fs storage, in one run.
//
// Three kinds of child process, each measured on its own (the driver reads /proc/<pid>/status:
// VmRSS once warm is the baseline, the peak counter is reset through /proc/<pid>/clear_refs, and
// VmHWM afterwards is the peak):
// - the serving side: the built wrapper's PeerPlane (what `run()` uses) writes a 100 MiB Buffer
//   result to fs storage, holds it in its data server and serves it;
// - a fetching side per mode: `resolveInput` (the wrapper's input path) reads the output through a
//   peer link (ZmqPeerClient; its storage throws, so a fallback would show) or through a storage link
//   (FsStorageAdapter). Each fetches it ROUNDS times (collecting garbage in between); the median
//   time gives MB/s. The peak is shown after the first fetch and after all of them.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, printRows, procMemory, spawnChild } from './lib/driver.mjs';

const MIB = 1024 * 1024;
const PAYLOAD = 100 * MIB;
const ROUNDS = 5;
const TARGET = 2;
const self = fileURLToPath(import.meta.url);
const CLUSTER = 'local';
const JOB = 'bench-job';

function env(port) {
  return { DISCOVERY_PORT: String(port), POD_IP: '127.0.0.1', DISCOVERY_ENCODING: 'msgpack', DISCOVERY_TIMEOUT: '60000' };
}

function next(message) {
  return new Promise((resolve) => process.once('message', (m) => (m === message ? resolve() : resolve(next(message)))));
}

// ------------------------------------------------------------------ the serving side (a child)

async function serve({ port, dir }) {
  const { PeerPlane, FsStorageAdapter, silentLogger } = await import('@hkube-ts/wrapper-node');
  const { getCodec, readDiscoveryEnv } = await import('@hkube-ts/protocol');
  const plane = new PeerPlane({ env: readDiscoveryEnv(env(port)), logger: silentLogger, bindHost: '127.0.0.1' });
  const storage = new FsStorageAdapter({ baseDirectory: dir });
  const codec = getCodec('msgpack');
  const write = (taskId, result) =>
    plane.writeOutput({ kind: 'batch' }, { result, jobId: JOB, taskId, nodeName: 'producer', savePaths: ['producer'], clusterName: CLUSTER }, { storage, codec });
  await write('warm', Buffer.alloc(1024, 1)); // loads zeromq, binds the server
  process.send('warm');
  await next('produce');
  const descriptor = await write('big', Buffer.alloc(PAYLOAD, 1));
  process.send({ descriptor });
  await next('exit');
  process.send({ stats: plane.server?.stats });
  await plane.close();
  process.exit(0);
}

// ------------------------------------------------------------------ a fetching side (a child)

async function fetch({ mode, port, dir }) {
  const { resolveInput, ZmqPeerClient, FsStorageAdapter, MemoryStorageAdapter } = await import('@hkube-ts/wrapper-node');
  const { getCodec } = await import('@hkube-ts/protocol');
  const codec = getCodec('msgpack');
  const peer = mode === 'peer' ? new ZmqPeerClient({ codec, timeoutMs: 60_000 }) : undefined;
  // The peer mode must not fall back: its storage is empty.
  const storage = mode === 'peer' ? new MemoryStorageAdapter() : new FsStorageAdapter({ baseDirectory: dir });
  const link = (taskId) => ({
    ...(mode === 'peer' ? { discovery: { host: '127.0.0.1', port }, taskId } : {}),
    storageInfo: { path: `${CLUSTER}-hkube/${JOB}/${taskId}` },
    path: '',
  });
  const read = async (taskId) => {
    const [value] = await resolveInput({ input: ['$$k'], storage: { k: link(taskId) }, jobId: JOB, clusterName: CLUSTER }, { storage, codec, peer });
    return value;
  };
  for (let i = 0; i < 3; i++) await read('warm');
  process.send('warm');
  await next('go');
  // The value goes out of scope before each collection, so a round never holds the previous one.
  const timedRead = async () => {
    const start = process.hrtime.bigint();
    const value = await read('big');
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const ok = Buffer.isBuffer(value) && value.length === PAYLOAD && value[0] === 1 && value[PAYLOAD - 1] === 1;
    if (!ok) throw new Error(`${mode}: the fetched value is not the 100 MiB Buffer`);
    return ms;
  };
  const times = [];
  const peaks = [];
  for (let round = 0; round < ROUNDS; round++) {
    times.push(await timedRead());
    peaks.push(procMemory(process.pid).hwm);
    // zeromq frees a received frame in an N-API finalizer, which runs on a later turn than the
    // collection that found the Buffer dead: without this turn, the next fetch coexists with it.
    globalThis.gc?.();
    await new Promise((resolve) => setTimeout(resolve, 50));
    globalThis.gc?.();
  }
  process.send({ times, peaks });
  await next('exit');
  process.exit(0);
}

// ------------------------------------------------------------------ the driver (this process)

function child(role, options) {
  const process_ = spawnChild(['--expose-gc', self, role, JSON.stringify(options)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const messages = [];
  const waiters = [];
  process_.on('message', (message) => {
    messages.push(message);
    for (const wake of waiters.splice(0)) wake();
  });
  process_.nextMessage = async () => {
    while (messages.length === 0) await new Promise((resolve) => waiters.push(resolve));
    return messages.shift();
  };
  return process_;
}

/** Baseline RSS now, and resets the peak counter to it. */
function baseline(pid) {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    // Without the reset VmHWM is the lifetime peak, still far above a warm baseline.
  }
  return procMemory(pid).rss;
}

async function main() {
  const { freePortPair } = await import('@hkube-ts/wrapper-node');
  const dir = mkdtempSync(join(tmpdir(), 'hkube-bench-peer-'));
  const port = await freePortPair();
  const mb = (bytes) => `${(bytes / MIB).toFixed(1)} MiB`;
  try {
    const server = child('--serve', { port, dir });
    await server.nextMessage();
    const serverBase = baseline(server.pid);
    server.send('produce');
    const { descriptor } = await server.nextMessage();
    if (descriptor.discovery?.port !== port) throw new Error('the output was not advertised');

    const results = {};
    for (const mode of ['peer', 'fs']) {
      const fetcher = child('--fetch', { mode, port, dir });
      await fetcher.nextMessage();
      const base = baseline(fetcher.pid);
      fetcher.send('go');
      const { times, peaks } = await fetcher.nextMessage();
      const peak = procMemory(fetcher.pid).hwm;
      fetcher.send('exit');
      await fetcher.exited;
      results[mode] = { ms: median(times), base, first: peaks[0], peak };
    }
    const serverPeak = procMemory(server.pid).hwm;
    server.send('exit');
    const { stats } = await server.nextMessage();
    await server.exited;

    const mbps = (ms) => PAYLOAD / MIB / (ms / 1000);
    printRows(
      `fetch of a ${mb(PAYLOAD)} raw Buffer output through resolveInput, median of ${ROUNDS} (msgpack storage)`,
      ['path', 'median ms', 'MiB/s', 'vs fs'],
      ['peer', 'fs'].map((mode) => [mode === 'peer' ? 'peer (ZeroMQ, loopback)' : 'fs storage', results[mode].ms.toFixed(1), mbps(results[mode].ms).toFixed(0), `${(results.fs.ms / results[mode].ms).toFixed(2)}x`]),
    );
    const row = (side, base, peak) => [side, mb(base), mb(peak), mb(peak - base), `${((peak - base) / PAYLOAD).toFixed(2)}x`, (peak - base) / PAYLOAD <= TARGET ? 'yes' : 'NO'];
    printRows(
      `peak RSS - baseline per process (target <= ${TARGET}x the payload)`,
      ['process', 'baseline', 'peak', 'peak - baseline', 'ratio', `<= ${TARGET}x`],
      [
        row(`serving (write + hold + ${stats.served} serves)`, serverBase, serverPeak),
        row('fetching via peer, 1st fetch', results.peer.base, results.peer.first),
        row(`fetching via peer, all ${ROUNDS} fetches`, results.peer.base, results.peer.peak),
        row('reading fs storage, 1st read', results.fs.base, results.fs.first),
        row(`reading fs storage, all ${ROUNDS} reads`, results.fs.base, results.fs.peak),
      ],
    );
    console.log(`\nserver stats: ${JSON.stringify(stats)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------ entry point

const [role, options] = [process.argv[2], process.argv[3]];
if (role === '--serve') await serve(JSON.parse(options));
else if (role === '--fetch') await fetch(JSON.parse(options));
else await main();
