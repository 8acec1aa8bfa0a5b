/**
 * The registry shared by the in-memory stream transports of one process (the emulator's pods): which
 * producer serves which port, and who waits for one.
 *
 * @module
 */
import { StreamBindError } from '../errors.js';
import type { MessageSource } from '../types.js';
import { WakeList } from './wake-list.js';

/** The host of every in-memory stream address. */
export const MEMORY_HOST = 'memory';

/** How long a listener waits before asking again when the source cannot notify it (no `watch`). */
const POLL_MS = 5;

/** A producer bound on the network: its source, and the listeners waiting for its next message. */
export class MemoryEndpoint {
  readonly #waitingByName = new Map<string, WakeList>();
  readonly #closeWaiters = new WakeList();
  readonly #unwatch: (() => void) | undefined;
  #closed = false;

  constructor(
    /** The bound port. */
    readonly port: number,
    /** What the producer serves. */
    readonly source: MessageSource,
  ) {
    this.#unwatch = source.watch?.((names) => {
      for (const name of names) this.#waitingByName.get(name)?.wakeAll();
    });
  }

  /** True once the producer stopped serving. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Registers `wake` to run when a message is queued for `consumerName` (or the endpoint closes). */
  onMessage(consumerName: string, wake: () => void): () => void {
    if (this.#unwatch === undefined) {
      const timer = setTimeout(wake, POLL_MS);
      const unClose = this.#closeWaiters.add(wake);
      return () => {
        clearTimeout(timer);
        unClose();
      };
    }
    let list = this.#waitingByName.get(consumerName);
    if (list === undefined) {
      list = new WakeList();
      this.#waitingByName.set(consumerName, list);
    }
    const unMessage = list.add(wake);
    const unClose = this.#closeWaiters.add(wake);
    return () => {
      unMessage();
      unClose();
    };
  }

  /** Registers `wake` to run when the endpoint closes. */
  onClose(wake: () => void): () => void {
    return this.#closeWaiters.add(wake);
  }

  /** Stops serving and wakes every waiting listener. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#unwatch?.();
    this.#closeWaiters.wakeAll();
    for (const list of this.#waitingByName.values()) list.wakeAll();
  }
}

/**
 * A process-wide stand-in for the pod network: producers bind ports on it, listeners find them by
 * `{host: 'memory', port}`. Create one per emulated cluster and hand it to every node's
 * `createMemoryStreamTransport`.
 *
 * @example
 * ```ts
 * const network = createMemoryStreamNetwork();
 * const producerSide = createMemoryStreamTransport(network);
 * const consumerSide = createMemoryStreamTransport(network);
 * ```
 */
export class MemoryStreamNetwork {
  readonly #endpoints = new Map<number, MemoryEndpoint>();
  readonly #bindWaiters = new Map<number, WakeList>();
  #nextPort = 30_000;

  /** Binds `source` on `port` (`0` = a free port). Throws `StreamBindError` when the port is taken or invalid. */
  bind(port: number, source: MessageSource): MemoryEndpoint {
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new StreamBindError(port, { cause: new RangeError('not a port number') });
    const actual = port === 0 ? this.#freePort() : port;
    if (this.#endpoints.has(actual)) throw new StreamBindError(port, { cause: new Error('address in use') });
    const endpoint = new MemoryEndpoint(actual, source);
    this.#endpoints.set(actual, endpoint);
    this.#bindWaiters.get(actual)?.wakeAll();
    return endpoint;
  }

  /** Closes `endpoint` and frees its port. */
  unbind(endpoint: MemoryEndpoint): void {
    if (this.#endpoints.get(endpoint.port) === endpoint) this.#endpoints.delete(endpoint.port);
    endpoint.close();
  }

  /** The producer serving `host:port`, if any. */
  lookup(host: string, port: number): MemoryEndpoint | undefined {
    return host === MEMORY_HOST ? this.#endpoints.get(port) : undefined;
  }

  /** Registers `wake` to run when something binds `port`. */
  onBind(port: number, wake: () => void): () => void {
    let list = this.#bindWaiters.get(port);
    if (list === undefined) {
      list = new WakeList();
      this.#bindWaiters.set(port, list);
    }
    return list.add(wake);
  }

  #freePort(): number {
    while (this.#endpoints.has(this.#nextPort)) this.#nextPort = this.#nextPort >= 65535 ? 1024 : this.#nextPort + 1;
    const port = this.#nextPort;
    this.#nextPort = port >= 65535 ? 1024 : port + 1;
    return port;
  }
}

/** A new, empty in-memory stream network. */
export function createMemoryStreamNetwork(): MemoryStreamNetwork {
  return new MemoryStreamNetwork();
}
