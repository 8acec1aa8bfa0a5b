/**
 * A listener on the in-memory network, with the semantics of the ZeroMQ one: it pulls (at most
 * `prefetch` messages taken per round), copies header and payload at the boundary, acks each message
 * with the handler's duration, and waits (without polling) while its parent is empty or not there yet.
 *
 * @module
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { DiscoveryAddress } from '@hkube-ts/protocol';
import { StreamHandlerError, UnknownStreamConsumerError } from '../errors.js';
import type { QueuedMessage, ReceivedMessage, StreamListener, StreamListenOptions } from '../types.js';
import { isThenable } from '../thenable.js';
import type { MemoryEndpoint, MemoryStreamNetwork } from './network.js';

/** Hand the event loop back at least this often (ms) while messages keep coming, so I/O and timers run. */
const YIELD_EVERY_MS = 8;

/** @internal */
export class MemoryListener implements StreamListener {
  readonly address: DiscoveryAddress;
  readonly #network: MemoryStreamNetwork;
  readonly #options: StreamListenOptions;
  readonly #prefetch: number;
  readonly #loop: Promise<void>;
  /** The messages of the current round (reused: no allocation per message). */
  readonly #batch: (QueuedMessage | undefined)[] = [];
  /** When the last handling ended (or the round's messages were taken): the next one starts there. */
  #handledAt = 0;
  #closed = false;
  #wake: (() => void) | undefined;

  constructor(network: MemoryStreamNetwork, options: StreamListenOptions, private readonly onClosed: (listener: StreamListener) => void) {
    this.address = options.address;
    this.#network = network;
    this.#options = options;
    this.#prefetch = Math.max(1, Math.floor(options.prefetch ?? 1));
    this.#loop = this.#run();
  }

  async close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#wake?.();
      this.onClosed(this);
    }
    await this.#loop;
  }

  async #run(): Promise<void> {
    const { host, port } = this.#options.address;
    const name = this.#options.consumerName;
    let lastYield = performance.now();
    let warned: MemoryEndpoint | undefined;
    while (!this.#closed) {
      const endpoint = this.#network.lookup(host, port);
      if (endpoint === undefined || endpoint.closed) {
        await this.#wait((wake) => this.#network.onBind(port, wake));
        continue;
      }
      if (!endpoint.source.isConsumer(name)) {
        // The ZeroMQ producer drops such READYs; here the listener idles until the endpoint changes.
        if (warned !== endpoint) this.#report(new UnknownStreamConsumerError(name, this.address));
        warned = endpoint;
        await this.#wait((wake) => endpoint.onClose(wake));
        continue;
      }
      const taken = this.#take(endpoint);
      if (taken === 0) {
        await this.#wait((wake) => endpoint.onMessage(name, wake));
        continue;
      }
      // One clock read per message: the round's messages were taken together, and each one's handling
      // starts when the previous one's ended.
      const takenAt = performance.now();
      this.#handledAt = takenAt;
      for (let i = 0; i < taken; i++) {
        const message = this.#batch[i]!;
        this.#batch[i] = undefined;
        // A handler that finished synchronously costs no promise: the next message is taken at once.
        const handling = this.#handle(endpoint, message, takenAt);
        if (handling !== undefined) await handling;
      }
      if (this.#handledAt - lastYield >= YIELD_EVERY_MS) {
        await yieldToEventLoop();
        lastYield = performance.now();
      }
    }
  }

  /** Takes up to `prefetch` messages into {@link #batch}; returns how many. */
  #take(endpoint: MemoryEndpoint): number {
    let taken = 0;
    while (taken < this.#prefetch) {
      const message = endpoint.source.take(this.#options.consumerName);
      if (message === undefined) break;
      this.#batch[taken] = message;
      taken += 1;
    }
    return taken;
  }

  /** Hands one message to the handler; returns a promise only when the handler did not finish synchronously. */
  #handle(endpoint: MemoryEndpoint, message: QueuedMessage, takenAt: number): Promise<void> | undefined {
    const received: ReceivedMessage = {
      origin: this.#options.origin,
      flow: message.flow,
      header: Buffer.from(message.header),
      payload: Buffer.from(message.payload),
    };
    const start = this.#handledAt;
    let handling: unknown;
    try {
      handling = this.#options.onMessage(received);
    } catch (cause) {
      this.#reportHandlerError(cause);
    }
    if (!isThenable(handling)) {
      this.#ack(endpoint, start, takenAt);
      return undefined;
    }
    return Promise.resolve(handling).then(
      () => this.#ack(endpoint, start, takenAt),
      (cause: unknown) => {
        this.#reportHandlerError(cause);
        this.#ack(endpoint, start, takenAt);
      },
    );
  }

  #ack(endpoint: MemoryEndpoint, start: number, takenAt: number): void {
    const end = performance.now();
    this.#handledAt = end;
    // A producer that went away does not hear the ack, as with ZeroMQ.
    if (!endpoint.closed) endpoint.source.done(this.#options.consumerName, end - start, end - takenAt);
  }

  #reportHandlerError(cause: unknown): void {
    this.#report(new StreamHandlerError(this.#options.origin, this.#options.consumerName, { cause }));
  }

  #wait(register: (wake: () => void) => () => void): Promise<void> {
    if (this.#closed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      // `register` never calls `wake` synchronously, so `unregister` is set before `wake` can run.
      const wake = (): void => {
        if (this.#wake !== wake) return;
        this.#wake = undefined;
        unregister();
        resolve();
      };
      this.#wake = wake;
      const unregister = register(wake);
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
