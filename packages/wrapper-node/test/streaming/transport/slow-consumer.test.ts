import type { StreamFlowStep } from '@hkube-ts/protocol';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStreamNetwork } from '../../../src/streaming/memory/network.js';
import { createMemoryStreamTransport } from '../../../src/streaming/memory/transport.js';
import { MessageQueue } from '../../../src/streaming/queue/message-queue.js';
import type { StreamTransport } from '../../../src/streaming/types.js';
import { createZeroMqStreamTransport } from '../../../src/streaming/zeromq/index.js';
import { HEADER } from './helpers.js';

const MIB = 2 ** 20;
const MESSAGE = 64 * 1024;
const BURSTS = 10;
const PER_BURST = 20; // 1.25 MiB per burst: every burst overflows the 1 MiB cap, whatever the timing
const flow: StreamFlowStep[] = [{ source: 'A', next: ['B'] }];

const makers: [string, () => Promise<{ producer: StreamTransport; consumer: StreamTransport }>][] = [
  ['memory', () => {
    const network = createMemoryStreamNetwork();
    return Promise.resolve({ producer: createMemoryStreamTransport(network), consumer: createMemoryStreamTransport(network) });
  }],
  ['zeromq', async () => ({ producer: await createZeroMqStreamTransport(), consumer: await createZeroMqStreamTransport() })],
];
const open: StreamTransport[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
});

describe.each(makers)('a slow consumer over the %s transport (data-plane §4.4)', (_, make) => {
  it('keeps the queue within the cap plus one message, drops the oldest, and the counters add up', async () => {
    const { producer, consumer } = await make();
    open.push(producer, consumer);
    const queue = new MessageQueue({ nodeName: 'A', consumers: ['B'], maxBytes: MIB });
    const server = await producer.serve(queue, { port: 0, host: '127.0.0.1', encoding: 'msgpack' });
    let handled = 0;
    consumer.listen({
      address: server.address, origin: 'A', consumerName: 'B', encoding: 'msgpack',
      onMessage: async () => {
        handled += 1;
        await sleep(3);
      },
    });
    let peak = 0;
    for (let burst = 0; burst < BURSTS; burst++) {
      for (let i = 0; i < PER_BURST; i++) {
        queue.append(flow, HEADER, new Uint8Array(MESSAGE));
        peak = Math.max(peak, queue.bytes);
      }
      await sleep(5);
    }
    expect(peak).toBeLessThanOrEqual(MIB + MESSAGE);
    await expect.poll(() => queue.pending, { timeout: 20_000 }).toBe(0);
    const [entry] = queue.report();
    await expect.poll(() => queue.snapshot().statisticsPerNode[0]?.sent === handled, { timeout: 5000 }).toBe(true);
    expect(entry?.dropped).toBeGreaterThan(0);
    expect((entry?.sent ?? 0) + (entry?.queueSize ?? 0) + (entry?.dropped ?? 0)).toBe(BURSTS * PER_BURST);
    expect(entry?.queueSize).toBe(0);
    expect(queue.bytes).toBe(0);
  });
});
