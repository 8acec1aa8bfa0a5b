// A minimal HKube worker for the wrapper's benchmarks: a `ws` server on 127.0.0.1 (port 0) that frames
// with @hkube-ts/protocol's socket codec, accepts one algorithm connection and drives tasks on it,
// one at a time. Every reply is decoded and validated (`readAlgorithmMessage`), the same work whoever
// the client is, so a comparison between two clients differs only by the clients.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { createSocketCodec } from '@hkube-ts/protocol';
import { WebSocketServer } from 'ws';

/** A realistic `initialize` payload (as test/support/initialize.ts), input `[1, 2, 3]` by default. */
export function initializePayload(overrides = {}) {
  return {
    jobId: 'job-1',
    taskId: 'task-1',
    nodeName: 'green',
    algorithmName: 'green-alg',
    pipelineName: 'simple',
    kind: 'batch',
    input: [1, 2, 3],
    storage: {},
    flatInput: null,
    useCache: false,
    info: { extraData: {}, savePaths: [], lastRunResult: null, rootJobId: undefined },
    parents: [],
    childs: [],
    batchIndex: 0,
    priority: 3,
    status: 'creating',
    entranceTime: Date.now(),
    attempts: 0,
    spanId: { 'uber-trace-id': 'a0aa0bab5bfde7a6:7e187ec65fb04e0e:37bc77758a09b6a4:1' },
    ...overrides,
  };
}

export class Driver {
  /** @type {import('@hkube-ts/protocol').SocketCodec} */
  codec;
  #server;
  #socket;
  #waiter;
  #connected;
  /** Every command received, counted (sanity check: `started` arrives once per task). */
  counts = new Map();
  /** The last message of each command. */
  last = new Map();

  constructor(server, encoding) {
    this.#server = server;
    this.codec = createSocketCodec(encoding);
    this.#connected = new Promise((resolve) => {
      server.once('connection', (socket) => {
        this.#socket = socket;
        socket.on('message', (data, isBinary) => this.#onMessage(isBinary ? data : data.toString('utf8')));
        socket.once('close', (code) => this.#fail(new Error(`the client closed the socket (${code})`)));
        resolve();
      });
    });
  }

  static async listen(encoding) {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false, maxPayload: 2e8 });
    await once(server, 'listening');
    return new Driver(server, encoding);
  }

  get port() {
    return this.#server.address().port;
  }

  /** Resolves when the client has connected; rejects after `timeoutMs` or when `child` exits first. */
  connected(child, timeoutMs = 20_000) {
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error('the client did not connect')), timeoutMs);
    });
    const exited = child.exited.then(({ code, signal }) => {
      throw new Error(`the client exited with ${code ?? signal} before connecting`);
    });
    return Promise.race([this.#connected, timeout, exited]).finally(() => clearTimeout(timer));
  }

  #onMessage(frame) {
    const read = this.codec.readAlgorithmMessage(frame);
    if (!read.ok) return this.#fail(new Error(`bad frame from the client: ${read.error.message}`));
    const message = read.value;
    this.counts.set(message.command, (this.counts.get(message.command) ?? 0) + 1);
    this.last.set(message.command, message);
    const waiter = this.#waiter;
    if (message.command === 'errorMessage') return this.#fail(new Error(`the task failed: ${message.error?.message}`));
    if (waiter && waiter.command === message.command) {
      this.#waiter = undefined;
      waiter.resolve(message);
    }
  }

  #fail(error) {
    const waiter = this.#waiter;
    this.#waiter = undefined;
    if (waiter) waiter.reject(error);
    else if (this.#socket?.readyState === 1) console.error(error.message);
  }

  /** Sends a pre-encoded frame. */
  sendFrame(frame) {
    this.#socket.send(frame, { binary: typeof frame !== 'string' });
  }

  /** Resolves with the next message of `command`. */
  next(command) {
    return new Promise((resolve, reject) => {
      this.#waiter = { command, resolve, reject };
    });
  }

  /** One task: initialize → initialized, start → (started, storing…) done. Frames are pre-encoded. */
  async task(initializeFrame, startFrame) {
    const initialized = this.next('initialized');
    this.sendFrame(initializeFrame);
    await initialized;
    const done = this.next('done');
    this.sendFrame(startFrame);
    return await done;
  }

  /** Sends `exit` and waits for the client to close the socket. */
  async exit() {
    if (!this.#socket || this.#socket.readyState !== 1) return;
    const closed = once(this.#socket, 'close');
    this.sendFrame(this.codec.encode({ command: 'exit', data: { exitCode: 0 } }));
    await closed;
  }

  async close() {
    for (const client of this.#server.clients) client.terminate();
    await new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

/** Spawns `node [args]` with stdout/stderr inherited, killed if this process exits first. */
export function spawnChild(args, options = {}) {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options });
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  child.once('exit', () => process.removeListener('exit', kill));
  child.exited = once(child, 'exit').then(([code, signal]) => ({ code, signal }));
  return child;
}

/**
 * Pins a process to one CPU with `taskset` (Linux), when there are at least two CPUs and
 * HKUBE_BENCH_PIN is not `0`. The driver goes on CPU 0 and every client on CPU 1: on a 2-core VM
 * the scheduler otherwise moves a client next to whatever else runs (another process, the driver)
 * for a whole run, and one client's rounds then take 3× longer than the other's for reasons that
 * have nothing to do with either. Returns whether the process was pinned.
 */
export function pinToCpu(pid, cpu) {
  if (process.env.HKUBE_BENCH_PIN === '0' || cpus().length < 2) return false;
  const result = spawnSync('taskset', ['-cp', String(cpu), String(pid)], { stdio: 'ignore' });
  return result.status === 0;
}

/** `VmRSS` / `VmHWM` (peak RSS) of a process, in bytes, from /proc (Linux). */
export function procMemory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rss: field('VmRSS'), hwm: field('VmHWM') };
}

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux architecture Node supports

/** CPU time (user + system) a process has used so far, in microseconds, from /proc (10 ms resolution). */
export function procCpuMicros(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS_PER_SECOND;
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Prints rows of string cells as an aligned table (first column left-aligned). */
export function printRows(title, header, rows) {
  console.log(`\n${title}`);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const fmt = (cols) => cols.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  console.log(fmt(header));
  for (const row of rows) console.log(fmt(row));
}
