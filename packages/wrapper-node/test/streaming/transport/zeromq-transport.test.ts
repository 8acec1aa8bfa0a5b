import { encodeDoneFrames, encodeReadyFrames, getCodec, StreamFrameError, type StreamFlowStep } from '@hkube-ts/protocol';
import { Dealer, Router } from 'zeromq';
import { afterEach, describe, expect, it } from 'vitest';
import { StreamBindError, StreamHandlerError } from '../../../src/streaming/errors.js';
import { MessageQueue } from '../../../src/streaming/queue/message-queue.js';
import type { StreamTransport } from '../../../src/streaming/types.js';
import { createZeroMqStreamTransport, type ZeroMqStreamTransportOptions } from '../../../src/streaming/zeromq/index.js';
import { collector, HEADER, recordingLogger } from './helpers.js';
import { freePortPair } from '../../../src/data/index.js';

const flow: StreamFlowStep[] = [{ source: 'A', next: ['B', 'C'] }, { source: 'B', next: ['D'] }];
const msgpack = getCodec('msgpack');
const cleanup: (() => Promise<void> | void)[] = [];

async function transport(options: ZeroMqStreamTransportOptions = {}): Promise<StreamTransport> {
  const created = await createZeroMqStreamTransport(options);
  cleanup.push(() => created.close());
  return created;
}

function queue(consumers: string[]): MessageQueue {
  return new MessageQueue({ nodeName: 'A', consumers, maxBytes: Infinity });
}

afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

describe('the ZeroMQ stream transport on 127.0.0.1', () => {
  it('delivers messages with flow and header, and the DONE durations reach the source', async () => {
    const source = queue(['B']);
    const server = await (await transport()).serve(source, { port: 0, host: '127.0.0.1', encoding: 'msgpack' });
    expect(server.address.port).toBeGreaterThan(0);
    const inbox = collector(3);
    (await transport()).listen({ address: server.address, origin: 'A', consumerName: 'B', encoding: 'msgpack', onMessage: inbox.onMessage });
    for (let i = 0; i < 3; i++) source.append(flow, HEADER, Uint8Array.of(i, i));
    await inbox.all;
    expect(inbox.received.map((m) => [...m.payload])).toEqual([[0, 0], [1, 1], [2, 2]]);
    expect(inbox.received[0]).toMatchObject({ origin: 'A', flow: [{ source: 'B', next: ['D'] }] });
    expect([...(inbox.received[0]?.header ?? [])]).toEqual([...HEADER]);
    await expect.poll(() => source.snapshot().statisticsPerNode[0]?.sent).toBe(3);
    await expect.poll(() => source.report()[0]?.responses ?? 0, { timeout: 5000 }).toBe(3);
  });

  it.each(['json', 'bson'] as const)('speaks %s frames too', async (encoding) => {
    const source = queue(['B']);
    const server = await (await transport()).serve(source, { port: 0, host: '127.0.0.1', encoding });
    const inbox = collector(1);
    (await transport()).listen({ address: server.address, origin: 'A', consumerName: 'B', encoding, onMessage: inbox.onMessage });
    source.append(flow, HEADER, Uint8Array.of(7));
    await inbox.all;
    expect(inbox.received[0]?.flow).toEqual([{ source: 'B', next: ['D'] }]);
  });

  it('gives every message to each child node, and splits them between replicas of one child', async () => {
    const source = queue(['B', 'C']);
    const server = await (await transport()).serve(source, { port: 0, host: '127.0.0.1', encoding: 'msgpack' });
    const total = 40;
    const toC = collector(total);
    const toB = collector(total);
    const consumers = await transport();
    for (let replica = 0; replica < 2; replica++) {
      consumers.listen({ address: server.address, origin: 'A', consumerName: 'B', encoding: 'msgpack', onMessage: toB.onMessage });
    }
    consumers.listen({ address: server.address, origin: 'A', consumerName: 'C', encoding: 'msgpack', onMessage: toC.onMessage, prefetch: 4 });
    for (let i = 0; i < total; i++) source.append(flow, HEADER, Uint8Array.of(i));
    await Promise.all([toB.all, toC.all]);
    const ids = Array.from({ length: total }, (_, i) => i);
    expect(toC.received.map((m) => m.payload[0])).toEqual(ids);
    expect(toB.received.map((m) => m.payload[0] ?? -1).sort((x, y) => x - y)).toEqual(ids);
  });

  it('keeps connecting until the producer binds, and picks up after NO_MSG', async () => {
    // Not a kernel-chosen port: the listener's retries could get it as their own source port.
    const port = await freePortPair();
    const inbox = collector(2);
    (await transport()).listen({ address: { host: '127.0.0.1', port }, origin: 'A', consumerName: 'B', encoding: 'msgpack', onMessage: inbox.onMessage });
    const source = queue(['B']);
    source.append(flow, HEADER, Uint8Array.of(1));
    await (await transport()).serve(source, { port, host: '127.0.0.1', encoding: 'msgpack' });
    await expect.poll(() => inbox.received.length, { timeout: 5000 }).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 30)); // a few NO_MSG rounds
    source.append(flow, HEADER, Uint8Array.of(2));
    await inbox.all;
    expect(inbox.received.map((m) => m.payload[0])).toEqual([1, 2]);
  });

  it('answers a parked READY as soon as a message is queued when parkMs is set', async () => {
    const source = queue(['B']);
    const server = await (await transport({ parkMs: 300 })).serve(source, { port: 0, host: '127.0.0.1', encoding: 'msgpack' });
    const inbox = collector(1);
    (await transport()).listen({ address: server.address, origin: 'A', consumerName: 'B', encoding: 'msgpack', onMessage: inbox.onMessage });
    await new Promise((resolve) => setTimeout(resolve, 50));
    source.append(flow, HEADER, Uint8Array.of(9));
    await inbox.all;
    expect(inbox.received[0]?.payload[0]).toBe(9);
  });

  it('drops malformed frames and unknown consumers with a log line, and keeps serving', async () => {
    const logger = recordingLogger();
    const source = queue(['B']);
    const server = await (await transport({ logger })).serve(source, { port: 0, host: '127.0.0.1', encoding: 'msgpack' });
    const raw = new Dealer({ linger: 0, routingId: 'raw-peer' });
    cleanup.push(() => raw.close());
    raw.connect(`tcp://127.0.0.1:${server.address.port}`);
    await raw.send([Uint8Array.of(9), Uint8Array.of(1)]);
    await raw.send(Uint8Array.of(1));
    await raw.send([Uint8Array.of(2), msgpack.encode('B'), Uint8Array.of(0xc1)]);
    await raw.send(encodeReadyFrames(msgpack, 'stranger'));
    await raw.send(encodeDoneFrames(msgpack, msgpack.encode('stranger'), 1));
    await expect.poll(() => logger.lines.filter((l) => l.level === 'debug').length).toBe(3);
    await expect.poll(() => logger.lines.filter((l) => l.level === 'warn').length).toBe(1);
    expect(logger.lines.find((l) => l.level === 'warn')?.message).toContain("'stranger'");
    const inbox = collector(1);
    (await transport()).listen({ address: server.address, origin: 'A', consumerName: 'B', encoding: 'msgpack', onMessage: inbox.onMessage });
    source.append(flow, HEADER, Uint8Array.of(1));
    await inbox.all;
  });

  it('reports malformed producer frames and handler failures, acks, and keeps pulling', async () => {
    const router = new Router({ linger: 0 });
    cleanup.push(() => router.close());
    await router.bind('tcp://127.0.0.1:*');
    const port = Number(/:(\d+)$/.exec(router.lastEndpoint ?? '')?.[1]);
    const errors: Error[] = [];
    const inbox = collector(1);
    (await transport()).listen({
      address: { host: '127.0.0.1', port }, origin: 'A', consumerName: 'B', encoding: 'msgpack',
      onMessage: async (m) => {
        await inbox.onMessage(m);
        throw new Error('user bug');
      },
      onError: (error) => errors.push(error),
    });
    const [identity] = await router.receive(); // READY
    await router.send([identity as Buffer, Uint8Array.of(4), msgpack.encode('not a flow'), HEADER, Uint8Array.of(1)]);
    const [again] = await router.receive(); // the listener asks again
    await router.send([again as Buffer, Uint8Array.of(4), msgpack.encode([]), HEADER, Uint8Array.of(5)]);
    const done = await router.receive();
    expect(done[1]?.[0]).toBe(2);
    const ack = msgpack.decode(done[3] as Buffer);
    expect(ack.ok && typeof (ack.value as { duration?: unknown }).duration).toBe('number');
    await inbox.all;
    expect(errors[0]).toBeInstanceOf(StreamFrameError);
    expect(errors[1]).toBeInstanceOf(StreamHandlerError);
  });

  it('recreates its socket with a new identity after repeated receive timeouts', async () => {
    const router = new Router({ linger: 0 });
    cleanup.push(() => router.close());
    await router.bind('tcp://127.0.0.1:*');
    const port = Number(/:(\d+)$/.exec(router.lastEndpoint ?? '')?.[1]);
    (await transport({ receiveTimeoutMs: 40, maxTimeouts: 2 })).listen({
      address: { host: '127.0.0.1', port }, origin: 'A', consumerName: 'B', encoding: 'msgpack', onMessage: () => Promise.resolve(),
    });
    const [first] = await router.receive(); // ignored: no answer
    const [second] = await router.receive();
    expect(second?.toString()).not.toBe(first?.toString());
  });

  it('finishes and acks the message being handled on close, without unhandled rejections', async () => {
    const source = queue(['B']);
    const server = await (await transport()).serve(source, { port: 0, host: '127.0.0.1', encoding: 'msgpack' });
    let release: () => void = () => undefined;
    let started: () => void = () => undefined;
    const handling = new Promise<void>((resolve) => (started = resolve));
    const listener = (await transport()).listen({
      address: server.address, origin: 'A', consumerName: 'B', encoding: 'msgpack',
      onMessage: () => {
        started();
        return new Promise<void>((resolve) => (release = resolve));
      },
    });
    source.append(flow, HEADER, Uint8Array.of(1));
    await handling;
    const closing = listener.close();
    release();
    await closing;
    await expect.poll(() => source.report()[0]?.responses ?? 0).toBe(1);
    await server.close();
    await server.close();
  });

  it('refuses a port that is in use with a typed error', async () => {
    const source = queue(['B']);
    const server = await (await transport()).serve(source, { port: 0, host: '127.0.0.1', encoding: 'msgpack' });
    await expect((await transport()).serve(source, { port: server.address.port, host: '127.0.0.1', encoding: 'msgpack' })).rejects.toBeInstanceOf(StreamBindError);
  });
});
