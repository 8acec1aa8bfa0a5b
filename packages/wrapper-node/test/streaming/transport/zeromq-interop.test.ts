import { getCodec, type StreamFlowStep } from '@hkube-ts/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { MessageQueue } from '../../../src/streaming/queue/message-queue.js';
import type { StreamTransport } from '../../../src/streaming/types.js';
import { createZeroMqStreamTransport } from '../../../src/streaming/zeromq/index.js';
import { PEER_HEADERS, runNodeListener, startNodeProducer, type PeerMessage, type PeerOptions } from '../peers/node-peer.js';
import { pythonPeerSupport, runPythonListener, startPythonProducer } from '../peers/python-peer.js';
import { collector } from './helpers.js';

type Producer = (options: PeerOptions) => Promise<{ port: number; result: Promise<{ sent: number; durations: number[]; malformed: number }> }>;
type Listener = (port: number, options: PeerOptions) => Promise<{ received: PeerMessage[] }>;

const python = pythonPeerSupport();
const peers: { name: string; encodings: readonly ('msgpack' | 'json')[]; skip: string | undefined; producer: Producer; listener: Listener }[] = [
  { name: 'node', encodings: ['msgpack', 'json'], skip: undefined, producer: startNodeProducer, listener: runNodeListener },
  { name: 'python', encodings: python.encodings.length > 0 ? python.encodings : ['msgpack'], skip: python.skipReason, producer: startPythonProducer, listener: runPythonListener },
];
const cases = peers.flatMap((peer) => peer.encodings.map((encoding) => ({ ...peer, encoding })));
const transports: StreamTransport[] = [];

afterEach(async () => {
  await Promise.all(transports.splice(0).map((t) => t.close()));
});

describe.each(cases)('interop with a $name peer over $encoding frames (data-plane §4.2)', ({ skip, producer, listener, encoding }) => {
  const count = 5;
  const options: PeerOptions = { encoding, consumer: 'B', count };
  const codec = getCodec(encoding);

  it.skipIf(skip !== undefined)(`our listener pulls from the peer's ROUTER and acks every message${skip === undefined ? '' : ` (skipped: ${skip})`}`, async () => {
    const peer = await producer(options);
    const transport = await createZeroMqStreamTransport();
    transports.push(transport);
    const inbox = collector(count);
    transport.listen({ address: { host: '127.0.0.1', port: peer.port }, origin: 'A', consumerName: 'B', encoding, onMessage: inbox.onMessage });
    await inbox.all;
    const result = await peer.result;
    expect(result).toMatchObject({ sent: count, malformed: 0 });
    expect(result.durations).toHaveLength(count);
    for (const duration of result.durations) expect(duration).toBeGreaterThanOrEqual(0);
    expect(inbox.received[0]?.flow).toEqual([{ source: 'B', next: ['C'] }]);
    expect([...(inbox.received[0]?.header ?? [])]).toEqual([...PEER_HEADERS[encoding]]);
    expect(inbox.received.map((m) => codec.decode(m.payload))).toEqual(
      Array.from({ length: count }, (_, i) => ({ ok: true, value: { i, text: 'x'.repeat(10) } })),
    );
  });

  it.skipIf(skip !== undefined)(`the peer's DEALER pulls from our ROUTER${skip === undefined ? '' : ` (skipped: ${skip})`}`, async () => {
    const transport = await createZeroMqStreamTransport();
    transports.push(transport);
    const queue = new MessageQueue({ nodeName: 'A', consumers: ['B'], maxBytes: Infinity });
    const server = await transport.serve(queue, { port: 0, host: '127.0.0.1', encoding });
    const flow: StreamFlowStep[] = [{ source: 'A', next: ['B'] }, { source: 'B', next: ['C'] }];
    const header = Uint8Array.from(PEER_HEADERS[encoding]);
    for (let i = 0; i < count; i++) queue.append(flow, header, codec.encode({ i }));
    const { received } = await listener(server.address.port, options);
    expect(received).toEqual(Array.from({ length: count }, (_, i) => ({ flow: [{ source: 'B', next: ['C'] }], header: [...header], payload: { i } })));
    await expect.poll(() => queue.snapshot().statisticsPerNode[0]).toMatchObject({ sent: count, queueSize: 0 });
    await expect.poll(() => queue.report()[0]?.responses ?? 0, { timeout: 5000 }).toBe(count);
  });
});
