// Stream messages per second on 127.0.0.1 (data-plane §4.2): the built transport (MessageQueue +
// createZeroMqStreamTransport: producer ROUTER, listener DEALERs) against a bare zeromq ROUTER/DEALER
// loop with exactly the same frames and no wrapper logic, measured in the same run.
//
// The producer runs in this process and the listeners in a child process, so each side has its own
// event loop as in a cluster (with both in one process, how the two loops happen to interleave moves
// the figures by 2×). A round appends one warm-up message per child, waits for its ack, then appends N
// (the same payload object, so memory stays flat) and times until every child acked all N. Rounds
// alternate bare/ours; medians are printed with the median of the per-round ratios, for wall-clock
// msgs/s and for CPU time per message (both processes; less disturbed by other load on the machine).
// Then: prefetch 1 vs 4 (ours), and the in-memory transport through a node boundary (one process).
import { getCodec } from '@hkube-ts/protocol';
import { MessageQueue, createMemoryStreamNetwork, createMemoryStreamTransport, createZeroMqStreamTransport } from '@hkube-ts/wrapper-node';
import { Dealer, Router } from 'zeromq';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setImmediate, setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { median, printRows, procCpuMicros, spawnChild } from './lib/driver.mjs';

const ROUNDS = 5;
const SIZES = [
  { label: '100 B', bytes: 100, count: 10_000 },
  { label: '10 KB', bytes: 10_000, count: 5_000 },
  { label: '1 MB', bytes: 1_000_000, count: 400 },
];
const HEADER = Uint8Array.of(1, 8, 2, 3, 0, 0, 0x48, 0x4b);
const codec = getCodec('msgpack');
const [MSG, NO_MSG, READY, DONE, EMPTY] = [4, 5, 1, 2, 3].map((signal) => Uint8Array.of(signal));
const self = fileURLToPath(import.meta.url);

// ------------------------------------------------------------------ listeners (child process)

async function oursListeners(port, names, prefetch) {
  const transport = await createZeroMqStreamTransport();
  for (const name of names) {
    transport.listen({ address: { host: '127.0.0.1', port }, origin: 'A', consumerName: name, encoding: 'msgpack', prefetch, onMessage: async () => undefined });
  }
}

/** The same pull loop with no wrapper logic: READY, receive, DONE {duration}, READY… */
function bareListeners(port, names) {
  for (const nodeName of names) {
    const dealer = new Dealer({ linger: 0, routingId: randomUUID(), receiveTimeout: 1000 });
    dealer.connect(`tcp://127.0.0.1:${port}`);
    const name = codec.encode(nodeName);
    const ready = [READY, name, EMPTY];
    void (async () => {
      await dealer.send(ready);
      for (;;) {
        let frames;
        try {
          frames = await dealer.receive();
        } catch {
          continue; // receive timeout: the READY is still outstanding
        }
        if (frames[0][0] === NO_MSG[0]) {
          await new Promise((resolve) => setTimeout(resolve, 5));
        } else {
          const start = performance.now();
          await dealer.send([DONE, name, codec.encode({ duration: performance.now() - start })]);
        }
        await dealer.send(ready);
      }
    })();
  }
}

// ------------------------------------------------------------------ producers (this process)

/** Our producer; `acked()` counts DONEs through the queue. */
async function oursProducer(names, payload) {
  let acks = 0;
  class CountingQueue extends MessageQueue {
    done(...args) {
      super.done(...args);
      acks += 1;
    }
  }
  const transport = await createZeroMqStreamTransport();
  const queue = new CountingQueue({ nodeName: 'A', consumers: names, maxBytes: Infinity });
  const server = await transport.serve(queue, { port: 0, host: '127.0.0.1', encoding: 'msgpack' });
  const flow = [{ source: 'A', next: names }, { source: 'B', next: ['D'] }];
  return {
    port: server.address.port,
    append: (count) => {
      for (let i = 0; i < count; i++) queue.append(flow, HEADER, payload);
    },
    acked: () => acks,
    close: () => transport.close(),
  };
}

/** A bare ROUTER with a per-child budget of messages, same frames. */
async function bareProducer(names, payload) {
  const router = new Router({ linger: 0 });
  await router.bind('tcp://127.0.0.1:*');
  const flowFrame = codec.encode([{ source: 'B', next: ['D'] }]);
  const budget = new Map(names.map((name) => [codec.encode(name).toString('latin1'), 0]));
  let acks = 0;
  const loop = (async () => {
    for await (const [identity, signal, name] of router) {
      if (signal[0] === DONE[0]) {
        acks += 1;
        continue;
      }
      const key = name.toString('latin1');
      const left = budget.get(key);
      if (left > 0) {
        budget.set(key, left - 1);
        await router.send([identity, MSG, flowFrame, HEADER, payload]);
      } else {
        await router.send([identity, NO_MSG]);
      }
    }
  })().catch(() => undefined);
  return {
    port: Number(/:(\d+)$/.exec(router.lastEndpoint)[1]),
    append: (count) => {
      for (const [key, left] of budget) budget.set(key, left + count);
    },
    acked: () => acks,
    close: async () => {
      router.close();
      await loop;
    },
  };
}

async function until(condition) {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 1));
}

/** One timed round: `count` messages to each of `children` children; msgs/s per child and CPU µs per message per child. */
async function round(kind, { bytes, count }, children, prefetch = 1) {
  const names = ['B', 'C'].slice(0, children);
  const producer = await (kind === 'ours' ? oursProducer : bareProducer)(names, new Uint8Array(bytes));
  const child = spawnChild([self, '--listen', kind, String(producer.port), names.join(','), String(prefetch)]);
  producer.append(1); // warm-up: connections up, code hot
  await until(() => producer.acked() === names.length);
  const start = performance.now();
  const cpu = process.cpuUsage();
  const childCpu = procCpuMicros(child.pid);
  producer.append(count);
  await until(() => producer.acked() === names.length * (count + 1));
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  const micros = used.user + used.system + procCpuMicros(child.pid) - childCpu;
  child.kill('SIGKILL');
  await child.exited;
  await producer.close();
  return { rate: count / seconds, cpu: micros / count };
}

// ------------------------------------------------------------------ in-memory transport

async function memoryRound(count) {
  const network = createMemoryStreamNetwork();
  const producer = createMemoryStreamTransport(network);
  const consumer = createMemoryStreamTransport(network);
  const queue = new MessageQueue({ nodeName: 'A', consumers: ['B'], maxBytes: Infinity });
  const server = await producer.serve(queue, { port: 0, encoding: 'msgpack' });
  const flow = [{ source: 'A', next: ['B'] }];
  let remaining = count;
  let finish;
  const finished = new Promise((resolve) => (finish = resolve));
  const onMessage = async () => {
    remaining -= 1;
    if (remaining === 0) finish();
  };
  consumer.listen({ address: server.address, origin: 'A', consumerName: 'B', encoding: 'msgpack', onMessage });
  const start = performance.now();
  // The producer appends in chunks between event-loop turns, as a stateful node's loop would.
  for (let i = 0; i < count; i += 1000) {
    for (let j = 0; j < 1000; j++) queue.append(flow, HEADER, new Uint8Array(100));
    await new Promise((resolve) => setImmediate(resolve));
  }
  await finished;
  const seconds = (performance.now() - start) / 1000;
  await consumer.close();
  await producer.close();
  return count / seconds;
}

// ------------------------------------------------------------------ main

async function main() {
  const fmt = (n) => Math.round(n).toLocaleString('en-US');
  const rows = [];
  for (const children of [1, 2]) {
    for (const size of SIZES) {
      const ours = [];
      const bare = [];
      for (let r = 0; r < ROUNDS; r++) {
        bare.push(await round('bare', size, children));
        ours.push(await round('ours', size, children));
      }
      const target = size.bytes >= 1_000_000 ? 0.85 : 0.9;
      rows.push([
        `${children} child${children > 1 ? 'ren' : ''}, ${size.label}`,
        fmt(median(ours.map((o) => o.rate))), fmt(median(bare.map((b) => b.rate))), median(ours.map((o, i) => o.rate / bare[i].rate)).toFixed(2),
        median(ours.map((o) => o.cpu)).toFixed(1), median(bare.map((b) => b.cpu)).toFixed(1), median(ours.map((o, i) => bare[i].cpu / o.cpu)).toFixed(2),
        `≥ ${target}`,
      ]);
    }
  }
  printRows(
    `ZeroMQ on 127.0.0.1, per child (median of ${ROUNDS} rounds; ratios = median of per-round ratios; CPU ratio = bare CPU / ours)`,
    ['case', 'ours msgs/s', 'bare msgs/s', 'ratio', 'ours CPU µs/msg', 'bare CPU µs/msg', 'CPU ratio', 'target'],
    rows,
  );

  const prefetchRows = [];
  for (const size of SIZES.slice(0, 2)) {
    const one = [];
    const four = [];
    for (let r = 0; r < ROUNDS; r++) {
      one.push((await round('ours', size, 1, 1)).rate);
      four.push((await round('ours', size, 1, 4)).rate);
    }
    prefetchRows.push([size.label, fmt(median(one)), fmt(median(four)), (median(four) / median(one)).toFixed(2)]);
  }
  printRows('prefetch (ours, one child), msgs/s', ['payload', 'prefetch 1', 'prefetch 4', 'gain'], prefetchRows);

  const memory = [];
  for (let r = 0; r < ROUNDS; r++) memory.push(await memoryRound(200_000));
  // The transport alone; issue 6's figure (≥ 100,000 msgs/s through the wrapper API) is stream-api.bench.mjs.
  printRows('in-memory transport alone, 100 B through a node boundary (one process, no wrapper API)', ['case', 'msgs/s'], [['queue → memory listener', fmt(median(memory))]]);
}

const listenAt = process.argv.indexOf('--listen');
if (listenAt >= 0) {
  const [kind, port, names, prefetch] = process.argv.slice(listenAt + 1);
  if (kind === 'ours') await oursListeners(Number(port), names.split(','), Number(prefetch));
  else bareListeners(Number(port), names.split(','));
} else {
  await main();
}
