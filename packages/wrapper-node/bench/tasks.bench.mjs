// Tasks per second through one worker socket on 127.0.0.1: the built wrapper (`run()` from
// @hkube-ts/wrapper-node, a trivial algorithm) against a bare `ws` client that answers the same
// commands with no wrapper logic, in the same run, driven by the same worker stand-in
// (bench/lib/driver.mjs, which decodes and validates every reply with the same codec).
//
// Each client runs in its own child process, so the driver (this process) has its own core and both
// clients are measured under the same conditions. A task is initialize → initialized, start →
// started + done, back to back on one socket; the driver times N tasks. Rounds alternate between
// the two clients; the median of each is reported, with the median of the per-round ratios (less
// sensitive to the machine's speed changing between rounds) and each client's CPU time per task
// (/proc/<pid>/stat). A last table times the same conversation with no socket at all (the
// wrapper's public `transport` option, in one process) to isolate the wrapper's CPU cost per task.
//
// Set HKUBE_BENCH_CPU_PROF=<dir> to write a V8 CPU profile of every client child (node --cpu-prof),
// and summarise one with `node bench/profile-summary.mjs <file>`.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Driver, initializePayload, median, pinToCpu, printRows, procCpuMicros, spawnChild } from './lib/driver.mjs';

// Many short rounds in ABBA order: the VM's speed drifts over seconds (by ±30% between rounds), so
// the ratio is taken between the two clients' adjacent rounds, where both met the same machine.
const SOCKET = { rounds: 41, tasks: 200, warmup: 1500 };
// HKUBE_BENCH_AA=1 measures the bare client against itself (an A/A run): the spread it shows is the
// measurement's own noise, to read the real comparison against.
const AA = process.env.HKUBE_BENCH_AA === '1';
const V3 = { rounds: 5, tasks: 500, warmup: 300 };
const IN_PROCESS = { rounds: 7, tasks: 4000, warmup: 4000 };
const POOL = 256; // distinct task ids, cycled (the initialize frames are encoded once)
const ENCODINGS = process.env.HKUBE_BENCH_ENCODINGS?.split(',') ?? ['bson', 'msgpack', 'json'];

const self = fileURLToPath(import.meta.url);
const algorithm = { start: ({ input }) => input.length };

function oursEnv({ port, encoding, storage, baseDirectory }) {
  return {
    WORKER_SOCKET_HOST: '127.0.0.1',
    WORKER_SOCKET_PORT: String(port),
    WORKER_ALGORITHM_ENCODING: encoding,
    STORAGE_PROTOCOL: storage,
    HKUBE_LOG_LEVEL: 'error',
    ...(storage === 'v3' ? { DEFAULT_STORAGE: 'fs', STORAGE_ENCODING: 'bson', BASE_FS_ADAPTER_DIRECTORY: baseDirectory } : {}),
  };
}

// ------------------------------------------------------------------ the clients (child processes)

async function ours(options) {
  const { run } = await import('@hkube-ts/wrapper-node');
  const outcome = await run(algorithm, { exitProcess: false, env: oursEnv(options), connectTimeoutMs: 20_000 });
  process.exit(outcome.exitCode);
}

/** The same conversation with no wrapper logic: decode, look at the command, answer. */
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

// ------------------------------------------------------------------ no socket (child process)

/**
 * µs per task with no socket: the wrapper's `run()` over an in-memory transport against a bare
 * equivalent (decodeFrame, encode the answers); the driver side (decode + validate each answer) is
 * the same for both. Prints JSON.
 */
async function inProcess(encoding) {
  const { run } = await import('@hkube-ts/wrapper-node');
  const { createSocketCodec } = await import('@hkube-ts/protocol');
  const codec = createSocketCodec(encoding);
  const frames = Array.from({ length: POOL }, (_, i) => codec.encode({ command: 'initialize', data: initializePayload({ taskId: `task-${i}` }) }));
  const start = codec.encode({ command: 'start', data: { spanId: null } });
  let waiter;
  const deliver = (frame) => {
    const read = codec.readAlgorithmMessage(frame);
    if (!read.ok) throw new Error(read.error.message);
    if (waiter?.command === read.value.command) {
      const { resolve } = waiter;
      waiter = undefined;
      resolve(read.value);
    }
  };
  const next = (command) => new Promise((resolve) => (waiter = { command, resolve }));
  let handlers;
  const transport = {
    description: 'in-process',
    connect: (h) => {
      handlers = h;
      return Promise.resolve({
        send: (frame) => Promise.resolve(deliver(frame)),
        close: () => Promise.resolve(h.onClose({ code: 1000, reason: 'exit' })),
      });
    },
  };
  const served = run(algorithm, { exitProcess: false, env: { WORKER_ALGORITHM_ENCODING: encoding, STORAGE_PROTOCOL: 'v1', HKUBE_LOG_LEVEL: 'error' }, transport });
  while (!handlers) await new Promise((resolve) => setTimeout(resolve, 1));

  const oursTask = async (i) => {
    const initialized = next('initialized');
    handlers.onFrame(frames[i % POOL]);
    await initialized;
    const done = next('done');
    handlers.onFrame(start);
    await done;
  };
  const bareTask = async (i) => {
    for (const frame of [frames[i % POOL], start]) {
      const read = codec.decodeFrame(frame);
      if (read.value.command === 'initialize') deliver(codec.encode({ command: 'initialized' }));
      else {
        deliver(codec.encode({ command: 'started' }));
        deliver(codec.encode({ command: 'done', data: 3 }));
      }
      await null; // a frame arrives in its own event
    }
  };
  const time = async (fn, n) => {
    const begin = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await fn(i);
    return Number(process.hrtime.bigint() - begin) / n / 1000;
  };
  await time(oursTask, IN_PROCESS.warmup);
  await time(bareTask, IN_PROCESS.warmup);
  const samples = [[], []];
  for (let r = 0; r < IN_PROCESS.rounds; r++) {
    const order = r % 2 === 0 ? [0, 1] : [1, 0];
    for (const i of order) samples[i].push(await time(i === 0 ? oursTask : bareTask, IN_PROCESS.tasks));
  }
  handlers.onFrame(codec.encode({ command: 'exit', data: { exitCode: 0 } }));
  await served;
  console.log(JSON.stringify({ ours: median(samples[0]), bare: median(samples[1]) }));
  process.exit(0);
}

// ------------------------------------------------------------------ the driver (this process)

function cpuProfArgs(name) {
  const dir = process.env.HKUBE_BENCH_CPU_PROF;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}.cpuprofile`] : [];
}

/** Starts a client child process connected to a fresh driver; resolves when connected. */
async function startClient(kind, encoding, storage, baseDirectory, clientCpu = 0) {
  const driver = await Driver.listen(encoding);
  const options = { port: driver.port, encoding, storage, baseDirectory };
  const child = spawnChild([...cpuProfArgs(`${kind}-${encoding}-${storage}`), self, '--client', kind, JSON.stringify(options)]);
  pinToCpu(child.pid, clientCpu);
  await driver.connected(child);
  const frames = Array.from({ length: POOL }, (_, i) =>
    driver.codec.encode({ command: 'initialize', data: initializePayload({ taskId: `task-${i}` }) }),
  );
  const start = driver.codec.encode({ command: 'start', data: { spanId: null } });
  return { kind, storage, driver, child, frames, start, rates: [], tasks: 0, nanos: 0, cpuMicros: 0 };
}

/** Runs `n` tasks back to back; returns tasks per second and adds to the client's measured totals. */
async function runTasks(client, n) {
  const { driver, frames, start } = client;
  const begin = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const done = await driver.task(frames[i % POOL], start);
    if (client.storage === 'v1' && done.data !== 3) throw new Error(`unexpected result ${JSON.stringify(done.data)}`);
  }
  const nanos = Number(process.hrtime.bigint() - begin);
  client.tasks += n;
  client.nanos += nanos;
  return (n * 1e9) / nanos;
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

/**
 * Alternating rounds (ABBA); fills `client.rates` (tasks/s per round), the measured totals and
 * `client.cpuMicros`: the client's CPU time over all measured rounds (/proc ticks are 10 ms, so only
 * a total over thousands of tasks resolves a few µs per task).
 */
async function compare(clients, { rounds, tasks, warmup }) {
  for (const client of clients) await runTasks(client, warmup);
  const cpuBefore = clients.map((client) => procCpuMicros(client.child.pid));
  for (const client of clients) Object.assign(client, { tasks: 0, nanos: 0 });
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? clients : [...clients].reverse();
    for (const client of order) client.rates.push(await runTasks(client, tasks));
  }
  clients.forEach((client, i) => (client.cpuMicros = procCpuMicros(client.child.pid) - cpuBefore[i]));
}

/** Quartiles of `values` as `q1–q3`. */
function quartiles(values, digits) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.floor(q * (sorted.length - 1))];
  return `${at(0.25).toFixed(digits)}–${at(0.75).toFixed(digits)}`;
}

function runInProcess(encoding) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...cpuProfArgs(`in-process-${encoding}`), self, '--in-process', encoding], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop())) : reject(new Error(`in-process bench exited with ${code}`))));
  });
}

const fixed = (x, digits = 0) => x.toFixed(digits);

/**
 * Where the clients run. On this 2-core VM an unpinned run lands each client either on the driver's
 * CPU (a ping-pong of ~60 µs per task) or on the other one (~250 µs: every message is a cross-CPU
 * wake-up, which a VM pays for dearly) and keeps that placement for the whole run, so unpinned
 * figures jump 3× between runs. Both placements are measured, each the same for both clients.
 */
const PLACEMENTS = [
  { name: 'same CPU as the driver', cpu: 0 },
  { name: 'other CPU than the driver', cpu: 1 },
];

async function socketTable(placement) {
  const rows = [];
  for (const encoding of ENCODINGS) {
    const clients = [await startClient(AA ? 'bare' : 'ours', encoding, 'v1', undefined, placement.cpu), await startClient('bare', encoding, 'v1', undefined, placement.cpu)];
    await compare(clients, SOCKET);
    for (const client of clients) await stopClient(client);
    const [a, b] = clients;
    const rate = (client) => (client.tasks * 1e9) / client.nanos;
    const ratio = rate(a) / rate(b);
    const paired = a.rates.map((x, i) => x / b.rates[i]);
    const cpu = (client) => fixed(client.cpuMicros / client.tasks, 1);
    rows.push([encoding, fixed(rate(a)), fixed(rate(b)), `${ratio.toFixed(2)}x`, `${median(paired).toFixed(2)}x`, quartiles(paired, 2), ratio >= 0.9 ? 'yes' : 'NO', cpu(a), cpu(b)]);
  }
  printRows(
    AA
      ? `A/A calibration (HKUBE_BENCH_AA=1), clients on the ${placement.name}: the "ours" columns are a second bare client`
      : `tasks/s over a socket, storage v1, clients on the ${placement.name}: ours (run() from @hkube-ts/wrapper-node) vs a bare ws client (target ours >= 0.9x bare)`,
    ['encoding', 'ours tasks/s', 'bare tasks/s', 'ratio', 'per-round ratio', 'quartiles', '>= 0.9x', 'ours CPU µs/task', 'bare CPU µs/task'],
    rows,
  );
}

async function main() {
  const began = Date.now();
  const parallelism = availableParallelism();
  const pinned = pinToCpu(process.pid, 0);
  console.log(`node ${process.version}, ${parallelism} CPUs; ${pinned ? 'driver pinned to CPU 0 (HKUBE_BENCH_PIN=0: not pinned)' : 'not pinned to CPUs'}`);
  console.log(
    `${SOCKET.rounds} alternating rounds (ABBA) of ${SOCKET.tasks} tasks per client after ${SOCKET.warmup} warm-up tasks; each client is a` +
      ' child process on one socket to 127.0.0.1; the driver is this process.\ntasks/s = all measured tasks / their time;' +
      ' per-round ratio = ours / bare in the same round (median, quartiles); CPU = the client\'s total over the measured rounds.',
  );
  for (const placement of pinned ? PLACEMENTS : [{ name: 'CPU the scheduler picked', cpu: 0 }]) await socketTable(placement);

  // v3: the wrapper writes each result to fs storage (HK header + bson) and sends storing, then done.
  const baseDirectory = mkdtempSync(join(tmpdir(), 'hkube-bench-v3-'));
  try {
    const client = await startClient('ours', 'bson', 'v3', baseDirectory);
    await compare([client], V3);
    const stored = client.driver.last.get('storing')?.data?.storageInfo;
    await stopClient(client);
    if (!stored) throw new Error('no storing message in v3');
    printRows(
      `tasks/s over a socket, storage v3 (fs in a temp dir, STORAGE_ENCODING bson; ours only, for information; ${V3.rounds} rounds of ${V3.tasks})`,
      ['encoding', 'ours tasks/s', 'rounds', 'ours CPU µs/task'],
      [['bson', fixed((client.tasks * 1e9) / client.nanos), client.rates.map((x) => fixed(x)).join(' '), fixed(client.cpuMicros / client.tasks, 1)]],
    );
  } finally {
    rmSync(baseDirectory, { recursive: true, force: true });
  }

  const inProcessRows = [];
  for (const encoding of ENCODINGS) {
    const { ours: a, bare: b } = await runInProcess(encoding);
    inProcessRows.push([encoding, fixed(a, 1), fixed(b, 1), fixed(a - b, 1), `${(b / a).toFixed(2)}x`]);
  }
  printRows(
    `µs per task with no socket (in one process; ${IN_PROCESS.rounds} alternating rounds of ${IN_PROCESS.tasks}): ours over an in-memory transport vs the bare client's work`,
    ['encoding', 'ours µs/task', 'bare µs/task', 'wrapper cost µs/task', 'ratio (tasks/s ours/bare)'],
    inProcessRows,
  );
  console.log(`\n(${((Date.now() - began) / 1000).toFixed(1)} s)`);
}

// ------------------------------------------------------------------ entry point

if (process.argv[2] === '--client') {
  const options = JSON.parse(process.argv[4]);
  await (process.argv[3] === 'ours' ? ours(options) : bare(options));
} else if (process.argv[2] === '--in-process') {
  await inProcess(process.argv[3]);
} else {
  await main();
}
