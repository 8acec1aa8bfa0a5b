import type { StreamFlowStep } from '@hkube-ts/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { StreamBindError, StreamHandlerError, StreamTransportClosedError, UnknownStreamConsumerError } from '../../../src/streaming/errors.js';
import { createMemoryStreamNetwork } from '../../../src/streaming/memory/network.js';
import { createMemoryStreamTransport } from '../../../src/streaming/memory/transport.js';
import { MessageQueue } from '../../../src/streaming/queue/message-queue.js';
import type { ReceivedMessage, StreamTransport } from '../../../src/streaming/types.js';
import { collector, HEADER as header } from './helpers.js';

const flow: StreamFlowStep[] = [{ source: 'A', next: ['B', 'C'] }, { source: 'B', next: ['D'] }];
const transports: StreamTransport[] = [];

function transport(network = createMemoryStreamNetwork()): StreamTransport {
  const created = createMemoryStreamTransport(network);
  transports.push(created);
  return created;
}

afterEach(async () => {
  await Promise.all(transports.splice(0).map((t) => t.close()));
});

describe('the in-memory stream transport', () => {
  it('delivers messages with the rest of flow, copies the bytes, and reports DONE durations to the source', async () => {
    const network = createMemoryStreamNetwork();
    const queue = new MessageQueue({ nodeName: 'A', consumers: ['B'], maxBytes: Infinity });
    const server = await transport(network).serve(queue, { port: 0, encoding: 'msgpack' });
    expect(server.address.host).toBe('memory');
    const sent = [Uint8Array.of(1, 2, 3), Uint8Array.of(4)];
    const inbox = collector(2);
    transport(network).listen({ address: server.address, origin: 'A', consumerName: 'B', encoding: 'msgpack', onMessage: inbox.onMessage });
    for (const payload of sent) queue.append(flow, header, payload);
    await inbox.all;
    expect(inbox.received.map((m) => [...m.payload])).toEqual([[1, 2, 3], [4]]);
    expect(inbox.received[0]?.origin).toBe('A');
    expect(inbox.received[0]?.flow).toEqual([{ source: 'B', next: ['D'] }]);
    expect([...(inbox.received[0]?.header ?? [])]).toEqual([...header]);
    // copies: the receiver can write its bytes without touching the producer's
    inbox.received[0]?.payload.fill(9);
    expect([...(sent[0] ?? [])]).toEqual([1, 2, 3]);
    expect(inbox.received[0]?.payload.buffer).not.toBe(sent[0]?.buffer);
    await expect.poll(() => queue.report()[0]?.responses).toBe(2);
  });

  it('sends every message to each child node, and splits them between replicas of one child', async () => {
    const network = createMemoryStreamNetwork();
    const queue = new MessageQueue({ nodeName: 'A', consumers: ['B', 'C'], maxBytes: Infinity });
    const server = await transport(network).serve(queue, { port: 0, encoding: 'msgpack' });
    const total = 50;
    const toC = collector(total);
    const toB: number[] = [];
    const onB = (m: ReceivedMessage): Promise<void> => {
      toB.push(m.payload[0] ?? -1);
      return Promise.resolve();
    };
    const consumer = transport(network);
    consumer.listen({ address: server.address, origin: 'A', consumerName: 'B', encoding: 'msgpack', onMessage: onB });
    consumer.listen({ address: server.address, origin: 'A', consumerName: 'B', encoding: 'msgpack', onMessage: onB });
    consumer.listen({ address: server.address, origin: 'A', consumerName: 'C', encoding: 'msgpack', onMessage: toC.onMessage });
    for (let i = 0; i < total; i++) queue.append(flow, header, Uint8Array.of(i));
    await toC.all;
    await expect.poll(() => toB.length).toBe(total);
    expect([...toB].sort((x, y) => x - y)).toEqual(toC.received.map((m) => m.payload[0]));
    expect(toC.received.map((m) => m.payload[0])).toEqual(Array.from({ length: total }, (_, i) => i));
  });

  it('waits for a producer that is not there yet, and goes idle when it closes', async () => {
    const network = createMemoryStreamNetwork();
    const inbox = collector(2);
    transport(network).listen({ address: { host: 'memory', port: 4321 }, origin: 'A', consumerName: 'B', encoding: 'msgpack', onMessage: inbox.onMessage });
    const producer = transport(network);
    const first = new MessageQueue({ nodeName: 'A', consumers: ['B'], maxBytes: Infinity });
    first.append(flow, header, Uint8Array.of(1));
    const server = await producer.serve(first, { port: 4321, encoding: 'msgpack' });
    await expect.poll(() => inbox.received.length).toBe(1);
    await server.close();
    first.append(flow, header, Uint8Array.of(2)); // nobody serves it any more
    const second = new MessageQueue({ nodeName: 'A', consumers: ['B'], maxBytes: Infinity });
    second.append(flow, header, Uint8Array.of(3));
    await producer.serve(second, { port: 4321, encoding: 'msgpack' });
    await inbox.all;
    expect(inbox.received.map((m) => m.payload[0])).toEqual([1, 3]);
    expect(first.pending).toBe(1);
  });

  it('acks a message whose handler fails and reports the failure', async () => {
    const network = createMemoryStreamNetwork();
    const queue = new MessageQueue({ nodeName: 'A', consumers: ['B'], maxBytes: Infinity });
    const server = await transport(network).serve(queue, { port: 0, encoding: 'msgpack' });
    const errors: Error[] = [];
    transport(network).listen({
      address: server.address, origin: 'A', consumerName: 'B', encoding: 'msgpack',
      onMessage: () => Promise.reject(new Error('boom')),
      onError: (error) => errors.push(error),
    });
    queue.append(flow, header, Uint8Array.of(1));
    await expect.poll(() => queue.report()[0]?.responses ?? 0).toBe(1);
    expect(errors[0]).toBeInstanceOf(StreamHandlerError);
  });

  it('takes a handler that finishes synchronously (returns nothing, or throws): in order, each acked, a throw reported', async () => {
    const network = createMemoryStreamNetwork();
    const queue = new MessageQueue({ nodeName: 'A', consumers: ['B'], maxBytes: Infinity });
    const server = await transport(network).serve(queue, { port: 0, encoding: 'msgpack' });
    const seen: number[] = [];
    const errors: Error[] = [];
    transport(network).listen({
      address: server.address, origin: 'A', consumerName: 'B', encoding: 'msgpack', prefetch: 3,
      onMessage: (message) => {
        seen.push(message.payload[0] ?? -1);
        if (message.payload[0] === 4) throw new Error('sync boom');
        return undefined;
      },
      onError: (error) => errors.push(error),
    });
    for (let i = 0; i < 10; i++) queue.append(flow, header, Uint8Array.of(i));
    await expect.poll(() => queue.report()[0]?.responses ?? 0).toBe(10);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(StreamHandlerError);
    expect((errors[0]?.cause as Error).message).toBe('sync boom');
    expect(queue.pending).toBe(0);
  });

  it('reports a listener whose name is not a child, and serves it nothing', async () => {
    const network = createMemoryStreamNetwork();
    const queue = new MessageQueue({ nodeName: 'A', consumers: ['B'], maxBytes: Infinity });
    const server = await transport(network).serve(queue, { port: 0, encoding: 'msgpack' });
    const errors: Error[] = [];
    transport(network).listen({ address: server.address, origin: 'A', consumerName: 'X', encoding: 'msgpack', onMessage: () => Promise.resolve(), onError: (e) => errors.push(e) });
    await expect.poll(() => errors.length).toBe(1);
    expect(errors[0]).toBeInstanceOf(UnknownStreamConsumerError);
  });

  it('finishes the message being handled on close, then stops pulling', async () => {
    const network = createMemoryStreamNetwork();
    const queue = new MessageQueue({ nodeName: 'A', consumers: ['B'], maxBytes: Infinity });
    const server = await transport(network).serve(queue, { port: 0, encoding: 'msgpack' });
    let release: () => void = () => undefined;
    let started: () => void = () => undefined;
    const handling = new Promise<void>((resolve) => (started = resolve));
    const listener = transport(network).listen({
      address: server.address, origin: 'A', consumerName: 'B', encoding: 'msgpack',
      onMessage: () => {
        started();
        return new Promise<void>((resolve) => (release = resolve));
      },
    });
    queue.append(flow, header, Uint8Array.of(1));
    queue.append(flow, header, Uint8Array.of(2));
    await handling;
    const closing = listener.close();
    release();
    await closing;
    expect(queue.report()[0]).toMatchObject({ sent: 1, responses: 1, queueSize: 1 });
  });

  it('refuses a taken port and use after close', async () => {
    const network = createMemoryStreamNetwork();
    const queue = new MessageQueue({ nodeName: 'A', consumers: ['B'], maxBytes: Infinity });
    const producer = transport(network);
    const server = await producer.serve(queue, { port: 0, encoding: 'msgpack' });
    await expect(transport(network).serve(queue, { port: server.address.port, encoding: 'msgpack' })).rejects.toBeInstanceOf(StreamBindError);
    await producer.close();
    await expect(producer.serve(queue, { port: 0, encoding: 'msgpack' })).rejects.toBeInstanceOf(StreamTransportClosedError);
    expect(() => producer.listen({ address: server.address, origin: 'A', consumerName: 'B', encoding: 'msgpack', onMessage: () => Promise.resolve() })).toThrow(StreamTransportClosedError);
  });
});
