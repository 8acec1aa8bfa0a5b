// Issue 6's streaming figure: in-process stateful→stateless with ~100 B messages copied at every node
// boundary (as a real transport would), target ≥ 100,000 msgs/s. A stateful producer's
// `api.sendMessage` to a stateless consumer's `start` (two runners under run(), each with its own
// in-memory worker pipe, one in-memory stream network), against the same queue + transport driven by
// hand with the same encode/decode and no wrapper (no Code API proxy, flow resolution, input hub,
// AsyncLocalStorage context or per-message start call). Same process, same run; rounds alternate;
// medians and the median of the per-round ratios are printed. Figures only: nothing is asserted.
import {
  MessageQueue, createMemoryPipe, createMemoryStreamNetwork, createMemoryStreamTransport, run, silentLogger, MemoryStorageAdapter,
} from '@hkube-ts/wrapper-node';
import { createSocketCodec, decodeStoredPayload, encodeStored, getCodec } from '@hkube-ts/protocol';
import { performance } from 'node:perf_hooks';
import { median, printRows } from './lib/driver.mjs';

const ROUNDS = 7;
const COUNT = 20_000;
const TEXT = 'x'.repeat(80);
const TARGET = 100_000;
const flows = { main: [{ source: 'A', next: ['B'] }] };
const codec = getCodec('msgpack');
let nextPort = 52_000;

function payload(nodeName, overrides) {
  return {
    jobId: 'job-b', taskId: `task-${nodeName}-${nextPort}`, nodeName, algorithmName: `${nodeName}-alg`, kind: 'stream', input: [], storage: {},
    flatInput: {}, parsedFlow: flows, defaultFlow: 'main', childs: [], parents: [], ...overrides,
  };
}

/** A runner under run() with a memory pipe as its worker; resolves once it answered `initialized`. */
async function startNode(network, algorithm, port, init) {
  const socket = createSocketCodec('msgpack');
  const { transport, peer } = createMemoryPipe();
  const received = [];
  let wake;
  peer.onFrame((frame) => {
    const read = socket.readAlgorithmMessage(frame);
    if (read.ok) received.push(read.value.command);
    wake?.();
  });
  const abort = new globalThis.AbortController();
  const serving = run(algorithm, {
    transport, streamTransport: createMemoryStreamTransport(network), storage: new MemoryStorageAdapter(), exitProcess: false,
    logger: silentLogger, signal: abort.signal,
    env: { WORKER_ALGORITHM_ENCODING: 'msgpack', STORAGE_PROTOCOL: 'v3', DISCOVERY_ENCODING: 'msgpack', STREAMING_DISCOVERY_PORT: String(port) },
  });
  peer.send(socket.encode({ command: 'initialize', data: init }));
  while (!received.includes('initialized')) await new Promise((resolve) => (wake = resolve));
  return {
    send: (message) => peer.send(socket.encode(message)),
    stop: async () => {
      abort.abort();
      await serving.catch(() => undefined);
    },
  };
}

async function apiRound() {
  const network = createMemoryStreamNetwork();
  const producerPort = nextPort++;
  let received = 0;
  let finished;
  const done = new Promise((resolve) => (finished = resolve));
  let started = 0;
  const consumer = await startNode(
    network,
    { start: () => { if (++received === COUNT) finished(performance.now()); return undefined; } },
    nextPort++,
    payload('B', { stateType: 'stateless', parents: ['A'] }),
  );
  const producer = await startNode(
    network,
    {
      start: async ({ signal }, api) => {
        started = performance.now();
        for (let i = 0; i < COUNT; i++) api.sendMessage({ i, text: TEXT });
        await new Promise((resolve) => signal.addEventListener('abort', resolve));
      },
    },
    producerPort,
    payload('A', { childs: ['B'] }),
  );
  consumer.send({ command: 'start', data: { spanId: null } });
  consumer.send({ command: 'serviceDiscoveryUpdate', data: [{ nodeName: 'A', address: { host: 'memory', port: producerPort }, type: 'Add' }] });
  producer.send({ command: 'start', data: { spanId: null } });
  const end = await done;
  await Promise.all([producer.stop(), consumer.stop()]);
  return end - started;
}

async function bareRound() {
  const network = createMemoryStreamNetwork();
  const producer = createMemoryStreamTransport(network);
  const consumer = createMemoryStreamTransport(network);
  const queue = new MessageQueue({ nodeName: 'A', consumers: ['B'], maxBytes: 1500 * 2 ** 20 });
  const server = await producer.serve(queue, { port: nextPort++, encoding: 'msgpack' });
  let received = 0;
  let finished;
  const done = new Promise((resolve) => (finished = resolve));
  const listener = consumer.listen({
    address: server.address, origin: 'A', consumerName: 'B', encoding: 'msgpack',
    onMessage: async (message) => {
      const decoded = decodeStoredPayload(message.payload, message.header, codec);
      if (decoded.ok && ++received === COUNT) finished(performance.now());
    },
  });
  const started = performance.now();
  for (let i = 0; i < COUNT; i++) {
    const { header, payload: bytes } = encodeStored({ i, text: TEXT }, codec);
    queue.append(flows.main, header, bytes);
  }
  const end = await done;
  await listener.close();
  await server.close();
  await Promise.all([producer.close(), consumer.close()]);
  return end - started;
}

await apiRound();
await bareRound();
const api = [];
const bare = [];
const ratios = [];
for (let round = 0; round < ROUNDS; round++) {
  globalThis.gc?.();
  const a = await apiRound();
  globalThis.gc?.();
  const b = await bareRound();
  api.push(a);
  bare.push(b);
  ratios.push(a / b);
}
const perSecond = (ms) => Math.round(COUNT / (ms / 1000));
const fmt = (n) => n.toLocaleString('en-US');
const sample = encodeStored({ i: COUNT - 1, text: TEXT }, codec);
const apiRate = perSecond(median(api));
printRows(
  `in-process stateful→stateless, 100 B, msgs/s (issue 6 target ≥ ${fmt(TARGET)}): ${COUNT} messages of ` +
    `${sample.header.length + sample.payload.length} B (${sample.header.length} B header + ${sample.payload.length} B msgpack), ` +
    `copied once per node boundary; median of ${ROUNDS} rounds, alternating`,
  ['path', 'time', 'msgs/s', 'target'],
  [
    ['api.sendMessage → stateless start (two runners, the issue figure)', `${median(api).toFixed(1)} ms`, fmt(apiRate), `≥ ${fmt(TARGET)} ${apiRate >= TARGET ? 'met' : 'NOT met'}`],
    ['queue + transport by hand (same codec, reference)', `${median(bare).toFixed(1)} ms`, fmt(perSecond(median(bare))), ''],
    ['ratio API time / by-hand time (median of per-round ratios)', `${median(ratios).toFixed(2)}×`, '', ''],
  ],
);
