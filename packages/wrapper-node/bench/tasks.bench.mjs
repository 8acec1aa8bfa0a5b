// Tasks per second through one worker socket on 127.0.0.1: the built wrapper (`run()` from
// @hkube-ts/wrapper-node, a trivial algorithm) against a bare `ws` client that answers the same
// commands with no wrapper logic, in the same run, driven by the same worker stand-in (bench/lib/driver.mjs).
//
// Each client runs in its own child process, so the driver (this process) has its own core and both
// clients are measured under the same conditions. A task is initialize → initialized, start →
// started + done, back to back on one socket; the driver times N tasks. Rounds alternate between
// the two clients and the median of each is reported.
//
// Set HKUBE_BENCH_CPU_PROF=<dir> to write a V8 CPU profile of every client (node --cpu-prof), and
// summarise one with `node bench/profile-summary.mjs <file>`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Driver, initializePayload, median, printRows, spawnChild } from './lib/driver.mjs';

const ROUNDS = 5;
const TASKS = 2000;
const WARMUP = 1000;
const POOL = 256; // distinct task ids, cycled (pre-encoded frames)

const self = fileURLToPath(import.meta.url);

// ------------------------------------------------------------------ the clients (child processes)

async function ours({ port, encoding, storage, baseDirectory }) {
  const { run } = await import('@hkube-ts/wrapper-node');
  const env = {
    WORKER_SOCKET_HOST: '127.0.0.1',
    WORKER_SOCKET_PORT: String(port),
    WORKER_ALGORITHM_ENCODING: encoding,
    STORAGE_PROTOCOL: storage,
    HKUBE_LOG_LEVEL: 'error',
    ...(storage === 'v3' ? { DEFAULT_STORAGE: 'fs', STORAGE_ENCODING: 'bson', BASE_FS_ADAPTER_DIRECTORY: baseDirectory } : {}),
  };
  const outcome = await run({ start: ({ input }) => input.length }, { exitProcess: false, env, connectTimeoutMs: 20_000 });
  process.exit(outcome.exitCode);
}

async function bare({ port, encoding, storage }) {
  const { createSocketCodec } = await import('@hkube-ts/protocol');
  const { WebSocket } = await import('ws');
  const codec = createSocketCodec(encoding);
  const binary = codec.frameType === 'binary';
  const socket = new WebSocket(`ws://127.0.0.1:${port}/?encoding=${encoding}&storage=${storage}`, { perMessageDeflate: false, maxPayload: 1e8 });
  const send = (message) => socket.send(codec.encode(message), { binary });
  socket.on('message', (data, isBinary) => {
    const read = codec.decodeFrame(isBinary ? data : data.toString('utf8'));
    const command = read.ok ? read.value?.command : undefined;
    if (command === 'initialize') send({ command: 'initialized' });
    else if (command === 'start') {
      send({ command: 'started' });
      send({ command: 'done', data: 3 });
    } else if (command === 'exit') socket.close(1000, 'exit');
  });
  socket.once('close', () => process.exit(0));
  socket.once('error', (error) => {
    console.error(error.message);
    process.exit(1);
  });
}

if (process.argv[2] === '--client') {
  const options = JSON.parse(process.argv[4]);
  await (process.argv[3] === 'ours' ? ours(options) : bare(options));
} else {
  await main();
}

// ------------------------------------------------------------------ the driver (this process)

function cpuProfArgs(name) {
  const dir = process.env.HKUBE_BENCH_CPU_PROF;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}.cpuprofile`] : [];
}

/** Starts a client child process connected to a fresh driver; resolves when connected. */
async function startClient(kind, encoding, storage, baseDirectory) {
  const driver = await Driver.listen(encoding);
  const options = { port: driver.port, encoding, storage, baseDirectory };
  const child = spawnChild([...cpuProfArgs(`${kind}-${encoding}-${storage}`), self, '--client', kind, JSON.stringify(options)]);
  await driver.connected();
  const frames = Array.from({ length: POOL }, (_, i) =>
    driver.codec.encode({ command: 'initialize', data: initializePayload({ taskId: `task-${i}` }) }),
  );
  const start = driver.codec.encode({ command: 'start', data: { spanId: null } });
  return { kind, driver, child, frames, start };
}

/** Runs `n` tasks back to back; returns tasks per second. */
async function runTasks(client, n) {
  const { driver, frames, start } = client;
  const begin = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const done = await driver.task(frames[i % POOL], start);
    if (client.kind === 'bare' || client.storage === 'v3') continue;
    if (done.data !== 3) throw new Error(`unexpected result ${JSON.stringify(done.data)}`);
  }
  return (n * 1e9) / Number(process.hrtime.bigint() - begin);
}

async function stopClient(client) {
  await client.driver.exit();
  const { code, signal } = await client.child.exited;
  await client.driver.close();
  if (code !== 0) throw new Error(`the ${client.kind} client exited with ${code ?? signal}`);
  const started = client.driver.counts.get('started') ?? 0;
  const done = client.driver.counts.get('done') ?? 0;
  if (started !== done) throw new Error(`${client.kind}: ${started} started for ${done} done`);
}

/** Median tasks/s of each client over ROUNDS alternating rounds. */
async function compare(clients) {
  for (const client of clients) await runTasks(client, WARMUP);
  const samples = clients.map(() => []);
  for (let r = 0; r < ROUNDS; r++) {
    const order = clients.map((_, i) => i);
    if (r % 2 === 1) order.reverse();
    for (const i of order) samples[i].push(await runTasks(clients[i], TASKS));
  }
  return samples.map((s) => ({ median: median(s), samples: s }));
}

async function main() {
  const began = Date.now();
  console.log(`${ROUNDS} alternating rounds of ${TASKS} tasks per client after ${WARMUP} warm-up tasks; each client is a child process, one socket on 127.0.0.1.`);
  const rows = [];
  for (const encoding of ['bson', 'msgpack', 'json']) {
    const clients = [await startClient('ours', encoding, 'v1'), await startClient('bare', encoding, 'v1')];
    const [a, b] = await compare(clients);
    for (const client of clients) await stopClient(client);
    const ratio = a.median / b.median;
    rows.push([encoding, 'v1', a.median.toFixed(0), b.median.toFixed(0), `${ratio.toFixed(2)}x`, ratio >= 0.9 ? 'yes' : 'NO']);
    console.log(`  ${encoding}: ours ${a.samples.map((x) => x.toFixed(0)).join(' ')} | bare ${b.samples.map((x) => x.toFixed(0)).join(' ')}`);
  }
  printRows('tasks/s, ours (run() from @hkube-ts/wrapper-node) vs a bare ws client (target ours >= 0.9x bare)', ['encoding', 'storage', 'ours tasks/s', 'bare tasks/s', 'ratio', '>= 0.9x'], rows);

  // v3: the wrapper writes each result to fs storage (HK header + bson) and sends storing, then done.
  const baseDirectory = mkdtempSync(join(tmpdir(), 'hkube-bench-v3-'));
  try {
    const client = await startClient('ours', 'bson', 'v3', baseDirectory);
    client.storage = 'v3';
    const [v3] = await compare([client]);
    const stored = client.driver.last.get('storing')?.data?.storageInfo;
    await stopClient(client);
    if (!stored) throw new Error('no storing message in v3');
    printRows('tasks/s, ours in storage mode v3 (fs in a temp dir, STORAGE_ENCODING bson; for information)', ['encoding', 'storage', 'ours tasks/s', 'rounds'], [
      ['bson', 'v3 fs', v3.median.toFixed(0), v3.samples.map((x) => x.toFixed(0)).join(' ')],
    ]);
  } finally {
    rmSync(baseDirectory, { recursive: true, force: true });
  }
  console.log(`\n(${((Date.now() - began) / 1000).toFixed(1)} s)`);
}
