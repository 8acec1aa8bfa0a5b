/**
 * A listener of the ZeroMQ stream (data-plane §4.2): a DEALER with a random uuid identity connected to
 * one parent's ROUTER. It keeps `prefetch` READYs outstanding, hands each MSG to `onMessage`, acks it
 * with DONE `{duration}`, backs off briefly after NO_MSG, and after `maxTimeouts` silent receive
 * timeouts recreates its socket with a new identity (as the Python wrapper does). Each listener runs its
 * own loop, so a dead parent never stalls the others.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { createStreamFlowReader, encodeDoneFrames, encodeReadyFrames, getCodec, parseProducerFrames, type Codec, type DiscoveryAddress, type StreamFlowReader } from '@hkube-ts/protocol';
import type { Dealer } from 'zeromq';
import { StreamHandlerError, StreamSocketError } from '../errors.js';
import type { StreamListener, StreamListenOptions } from '../types.js';
import { zmqErrorCode, type ZeroMqModule } from './load.js';

/** Timing of {@link ZeroMqListener}. */
export interface ZeroMqListenerTiming {
  /** Wait after NO_MSG before the next READY (Node wrapper: 5 ms). */
  readonly noMessageBackoffMs: number;
  /** Receive timeout (HKube: 1000 ms). */
  readonly receiveTimeoutMs: number;
  /** Consecutive timeouts before the socket is recreated with a new identity (Python: 5). */
  readonly maxTimeouts: number;
}

/** Linger of a socket closed right after an ack, so that the DONE still leaves. */
const ACK_LINGER_MS = 200;

/** @internal */
export class ZeroMqListener implements StreamListener {
  readonly address: DiscoveryAddress;
  readonly #zmq: ZeroMqModule;
  readonly #options: StreamListenOptions;
  readonly #timing: ZeroMqListenerTiming;
  readonly #codec: Codec;
  readonly #readFlow: StreamFlowReader;
  readonly #ready: Uint8Array[];
  readonly #prefetch: number;
  readonly #loop: Promise<void>;
  #socket: Dealer | undefined;
  #closed = false;
  #wakeSleep: (() => void) | undefined;
  #lastAckedAt = -Infinity;
  #handling = false;

  constructor(zmq: ZeroMqModule, options: StreamListenOptions, timing: ZeroMqListenerTiming, private readonly onClosed: (listener: StreamListener) => void) {
    this.address = options.address;
    this.#zmq = zmq;
    this.#options = options;
    this.#timing = timing;
    this.#codec = getCodec(options.encoding);
    this.#readFlow = createStreamFlowReader(this.#codec);
    this.#ready = encodeReadyFrames(this.#codec, options.consumerName);
    this.#prefetch = Math.max(1, Math.floor(options.prefetch ?? 1));
    this.#loop = this.#run();
  }

  async close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.onClosed(this);
      this.#wakeSleep?.();
      // A receive in progress ends with the socket; a handler in progress finishes and acks first.
      if (this.#socket !== undefined && !this.#handling) this.#closeSocket(this.#socket);
    }
    await this.#loop;
  }

  async #run(): Promise<void> {
    while (!this.#closed) {
      const socket = new this.#zmq.Dealer({ routingId: randomUUID(), linger: 0, receiveTimeout: this.#timing.receiveTimeoutMs });
      this.#socket = socket;
      try {
        socket.connect(`tcp://${this.address.host}:${this.address.port}`);
        await this.#serve(socket);
      } catch (cause) {
        if (!this.#closed) this.#report(new StreamSocketError('receive', this.address, { cause }));
        await this.#sleep(this.#timing.receiveTimeoutMs);
      } finally {
        this.#closeSocket(socket);
      }
    }
  }

  /** Pulls on `socket` until it must be recreated (timeouts) or the listener closes. */
  async #serve(socket: Dealer): Promise<void> {
    let outstanding = 0;
    let timeouts = 0;
    while (!this.#closed) {
      for (; outstanding < this.#prefetch; outstanding++) await socket.send(this.#ready);
      let frames: Buffer[];
      try {
        frames = await socket.receive();
      } catch (error) {
        if (this.#closed) return;
        if (zmqErrorCode(error) !== 'EAGAIN') throw error;
        timeouts += 1;
        if (timeouts >= this.#timing.maxTimeouts) return; // the parent is gone or ignores us: new identity
        continue;
      }
      timeouts = 0;
      outstanding -= 1;
      const read = parseProducerFrames(this.#codec, frames, this.#readFlow);
      if (!read.ok) {
        this.#report(read.error);
        continue;
      }
      if (read.value.kind === 'noMessage') {
        await this.#sleep(this.#timing.noMessageBackoffMs);
        continue;
      }
      const { flow, header, payload } = read.value;
      // The frames are fresh buffers of this receive: the handler owns them, no copy needed.
      this.#handling = true; // close() now waits for the ack instead of closing the socket under it
      try {
        const duration = await this.#handle({ origin: this.#options.origin, flow, header, payload });
        await socket.send(encodeDoneFrames(this.#codec, this.#ready[1] as Uint8Array, duration));
        this.#lastAckedAt = performance.now();
      } finally {
        this.#handling = false;
      }
    }
  }

  async #handle(message: Parameters<StreamListenOptions['onMessage']>[0]): Promise<number> {
    const start = performance.now();
    try {
      await this.#options.onMessage(message);
    } catch (cause) {
      this.#report(new StreamHandlerError(this.#options.origin, this.#options.consumerName, { cause }));
    }
    return performance.now() - start;
  }

  #closeSocket(socket: Dealer): void {
    if (socket.closed) return;
    // linger 0 drops unsent frames: give a DONE sent just now a moment to leave.
    if (performance.now() - this.#lastAckedAt < ACK_LINGER_MS) socket.linger = ACK_LINGER_MS;
    socket.close();
  }

  #sleep(ms: number): Promise<void> {
    if (this.#closed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(wake, ms);
      function wake(): void {
        clearTimeout(timer);
        resolve();
      }
      this.#wakeSleep = wake;
    });
  }

  #report(error: Error): void {
    try {
      this.#options.onError?.(error);
    } catch {
      // A failing error callback must not stop the listener.
    }
  }
}
