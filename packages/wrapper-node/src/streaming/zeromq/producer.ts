/**
 * The producer side of the ZeroMQ stream (data-plane §4.2): a ROUTER bound on the node's streaming port
 * that answers each READY with the next queued message for that consumer (MSG) or NO_MSG, and feeds
 * each DONE back to the source with the measured round trip.
 *
 * @module
 */
import {
  createConsumerNameReader, encodeMessageFrames, encodeStreamFlow, getCodec, parseConsumerFrames, SIGNAL_FRAME,
  type Codec, type ConsumerNameReader, type DiscoveryAddress, type StreamFlowStep,
} from '@hkube-ts/protocol';
import type { Router } from 'zeromq';
import type { Logger } from '../../logging/logger.js';
import { StreamBindError, UnknownStreamConsumerError } from '../errors.js';
import type { MessageSource, StreamServeOptions, StreamServer } from '../types.js';
import { SendTimes } from './send-times.js';
import type { ZeroMqModule } from './load.js';
import { zmqErrorCode } from './load.js';

/** Tuning of {@link ZeroMqProducer}. */
export interface ZeroMqProducerOptions {
  readonly logger: Logger;
  /**
   * How long a READY that finds the queue empty may wait for a message before NO_MSG is sent (ms);
   * `0` answers at once, as HKube's producers do. Only used when the source can `watch`. Keep it well
   * under the listeners' 1 s receive timeout.
   */
  readonly parkMs: number;
}

/** Counters a test or a bench can read. */
export interface ZeroMqProducerCounters {
  /** Inbound messages dropped as malformed. */
  readonly malformed: number;
  /** Inbound messages dropped because the consumer name is not a child. */
  readonly unknownConsumer: number;
}

interface Parked {
  readonly identity: Buffer;
  readonly timer: NodeJS.Timeout;
}

/** @internal */
export class ZeroMqProducer implements StreamServer {
  readonly address: DiscoveryAddress;
  readonly #counters = { malformed: 0, unknownConsumer: 0 };
  readonly #router: Router;
  readonly #source: MessageSource;
  readonly #codec: Codec;
  readonly #readName: ConsumerNameReader;
  readonly #options: ZeroMqProducerOptions;
  readonly #flows = new WeakMap<readonly StreamFlowStep[], Buffer>();
  readonly #sendTimes = new SendTimes();
  readonly #parked = new Map<string, Parked[]>();
  readonly #warned = new Set<string>();
  readonly #unwatch: (() => void) | undefined;
  readonly #loop: Promise<void>;
  #closed = false;

  private constructor(router: Router, address: DiscoveryAddress, source: MessageSource, codec: Codec, options: ZeroMqProducerOptions) {
    this.#router = router;
    this.address = address;
    this.#source = source;
    this.#codec = codec;
    this.#readName = createConsumerNameReader(codec);
    this.#options = options;
    this.#unwatch = options.parkMs > 0 ? source.watch?.((names) => this.#serveParked(names)) : undefined;
    this.#loop = this.#run();
  }

  /** Binds a ROUTER on `tcp://<host>:<port>` (`*` and port 0 = any) and starts serving. */
  static async start(zmq: ZeroMqModule, source: MessageSource, serve: StreamServeOptions, options: ZeroMqProducerOptions): Promise<ZeroMqProducer> {
    const host = serve.host ?? '*';
    const router = new zmq.Router({ linger: 0 });
    try {
      await router.bind(`tcp://${host}:${serve.port === 0 ? '*' : serve.port}`);
    } catch (cause) {
      router.close();
      throw new StreamBindError(serve.port, { cause });
    }
    const port = Number(/:(\d+)$/.exec(router.lastEndpoint ?? '')?.[1] ?? serve.port);
    const reachable = host === '*' || host === '0.0.0.0' ? '127.0.0.1' : host;
    return new ZeroMqProducer(router, { host: reachable, port }, source, getCodec(serve.encoding), options);
  }

  /** Counters of dropped inbound messages. */
  get counters(): ZeroMqProducerCounters {
    return { ...this.#counters };
  }

  async close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#unwatch?.();
      for (const parked of this.#parked.values()) for (const { timer } of parked) clearTimeout(timer);
      this.#parked.clear();
      this.#router.close();
    }
    await this.#loop;
  }

  async #run(): Promise<void> {
    while (!this.#closed) {
      let frames: Buffer[];
      try {
        frames = await this.#router.receive();
      } catch (error) {
        if (this.#closed) return;
        this.#options.logger.warn(`stream producer on port ${this.address.port}: receive failed (${zmqErrorCode(error) ?? String(error)})`);
        continue;
      }
      this.#handle(frames);
    }
  }

  #handle([identity, ...frames]: Buffer[]): void {
    const read = parseConsumerFrames(this.#codec, frames, this.#readName);
    if (identity === undefined || !read.ok) {
      this.#counters.malformed += 1;
      if (!read.ok) this.#options.logger.debug(`stream producer on port ${this.address.port}: dropped: ${read.error.message}`);
      return;
    }
    const message = read.value;
    if (!this.#source.isConsumer(message.consumerName)) {
      this.#counters.unknownConsumer += 1;
      this.#warnUnknown(message.consumerName);
      return;
    }
    switch (message.kind) {
      case 'ready':
        this.#ready(identity, message.consumerName);
        return;
      case 'done': {
        const sentAt = this.#sendTimes.take(identity);
        const gross = sentAt === undefined ? message.durationMs : performance.now() - sentAt;
        this.#source.done(message.consumerName, message.durationMs, gross);
        return;
      }
    }
  }

  #ready(identity: Buffer, consumerName: string): void {
    if (this.#sendNext(identity, consumerName)) return;
    if (this.#unwatch === undefined) {
      this.#send([identity, SIGNAL_FRAME.NO_MSG]);
      return;
    }
    const timer = setTimeout(() => this.#unpark(consumerName, identity), this.#options.parkMs);
    const parked = this.#parked.get(consumerName);
    if (parked === undefined) this.#parked.set(consumerName, [{ identity, timer }]);
    else parked.push({ identity, timer });
  }

  /** Sends the next message for `consumerName` to `identity`; false when there is none. */
  #sendNext(identity: Buffer, consumerName: string): boolean {
    const next = this.#source.take(consumerName);
    if (next === undefined) return false;
    let flow = this.#flows.get(next.flow);
    if (flow === undefined) {
      flow = encodeStreamFlow(this.#codec, next.flow);
      this.#flows.set(next.flow, flow);
    }
    this.#sendTimes.add(identity, performance.now());
    this.#send([identity, ...encodeMessageFrames(flow, next.header, next.payload)]);
    return true;
  }

  #serveParked(names: readonly string[]): void {
    for (const name of names) {
      const parked = this.#parked.get(name);
      while (parked !== undefined && parked.length > 0) {
        const first = parked[0] as Parked;
        if (!this.#sendNext(first.identity, name)) break;
        clearTimeout(first.timer);
        parked.shift(); // parked READYs are few (one per listener replica × prefetch)
      }
    }
  }

  #unpark(consumerName: string, identity: Buffer): void {
    const parked = this.#parked.get(consumerName);
    const index = parked?.findIndex((entry) => entry.identity === identity) ?? -1;
    if (parked === undefined || index < 0) return;
    parked.splice(index, 1);
    this.#send([identity, SIGNAL_FRAME.NO_MSG]);
  }

  /** A ROUTER send never waits (it drops at the high-water mark), so sends need no queue of their own. */
  #send(frames: Uint8Array[]): void {
    if (this.#closed) return;
    this.#router.send(frames).catch((error: unknown) => {
      if (!this.#closed) this.#options.logger.warn(`stream producer on port ${this.address.port}: send failed (${zmqErrorCode(error) ?? String(error)})`);
    });
  }

  #warnUnknown(name: string): void {
    if (this.#warned.has(name)) return;
    this.#warned.add(name);
    this.#options.logger.warn(new UnknownStreamConsumerError(name, this.address).message);
  }
}
