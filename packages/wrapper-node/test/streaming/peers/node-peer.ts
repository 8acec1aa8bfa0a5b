/**
 * The Node twin of `hkube_stream_peer.py`: bare zeromq sockets with HKube's stream framing (data-plane
 * §4.2), so the interop tests also run where Python's zmq is missing.
 */
import { randomUUID } from 'node:crypto';
import { getCodec } from '@hkube-ts/protocol';
import { Dealer, Router } from 'zeromq';

const READY = Uint8Array.of(1);
const DONE = Uint8Array.of(2);
const EMPTY = Uint8Array.of(3);
const MSG = Uint8Array.of(4);
const NO_MSG = Uint8Array.of(5);

/** What a peer needs: encoding, consumer name, message count. */
export interface PeerOptions {
  readonly encoding: 'msgpack' | 'json';
  readonly consumer: string;
  readonly count: number;
}

/** A received message as the peers report it (the same JSON shape as the Python peer's). */
export interface PeerMessage {
  readonly flow: unknown;
  readonly header: number[];
  readonly payload: unknown;
}

export const PEER_HEADERS = { msgpack: [1, 8, 2, 3, 0, 0, 0x48, 0x4b], json: [1, 8, 2, 2, 0, 0, 0x48, 0x4b] } as const;

/** A ROUTER that serves `count` messages `{i, text}` with flow `[{source:'B', next:['C']}]`, then NO_MSG. */
export async function startNodeProducer(options: PeerOptions): Promise<{ port: number; result: Promise<{ sent: number; durations: number[]; malformed: number }> }> {
  const codec = getCodec(options.encoding);
  const router = new Router({ linger: 0 });
  await router.bind('tcp://127.0.0.1:*');
  const port = Number(/:(\d+)$/.exec(router.lastEndpoint ?? '')?.[1]);
  const flow = codec.encode([{ source: 'B', next: ['C'] }]);
  const header = Uint8Array.from(PEER_HEADERS[options.encoding]);
  const result = (async () => {
    let sent = 0;
    let malformed = 0;
    const durations: number[] = [];
    while (durations.length < options.count) {
      const frames = await router.receive();
      const [identity, signal, name, last] = frames;
      const decodedName = name === undefined ? undefined : codec.decode(name);
      if (frames.length !== 4 || identity === undefined || last === undefined || !decodedName?.ok || decodedName.value !== options.consumer) {
        malformed += 1;
        continue;
      }
      if (signal?.[0] === 1) {
        if (sent < options.count) {
          await router.send([identity, MSG, flow, header, codec.encode({ i: sent, text: 'x'.repeat(10) })]);
          sent += 1;
        } else {
          await router.send([identity, NO_MSG]);
        }
      } else if (signal?.[0] === 2) {
        const ack = codec.decode(last);
        durations.push(ack.ok ? ((ack.value as { duration: number }).duration) : Number.NaN);
      } else {
        malformed += 1;
      }
    }
    router.close();
    return { sent, durations, malformed };
  })();
  return { port, result };
}

/** A DEALER that pulls `count` messages from `port`, acking each, and reports them. */
export async function runNodeListener(port: number, options: PeerOptions): Promise<{ received: PeerMessage[] }> {
  const codec = getCodec(options.encoding);
  const dealer = new Dealer({ linger: 500, routingId: randomUUID() });
  dealer.connect(`tcp://127.0.0.1:${port}`);
  const name = codec.encode(options.consumer);
  const received: PeerMessage[] = [];
  await dealer.send([READY, name, EMPTY]);
  while (received.length < options.count) {
    const [signal, flow, header, payload] = await dealer.receive();
    if (signal?.[0] === 5) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    } else if (signal?.[0] === 4 && flow !== undefined && header !== undefined && payload !== undefined) {
      const start = performance.now();
      const decodedFlow = codec.decode(flow);
      const decodedPayload = codec.decode(payload);
      received.push({ flow: decodedFlow.ok ? decodedFlow.value : null, header: [...header], payload: decodedPayload.ok ? decodedPayload.value : null });
      await dealer.send([DONE, name, codec.encode({ duration: performance.now() - start })]);
    } else {
      throw new Error(`unexpected frames from the producer: signal ${String(signal?.[0])}`);
    }
    if (received.length < options.count) await dealer.send([READY, name, EMPTY]);
  }
  dealer.close();
  return { received };
}
