/**
 * The servers and listeners a stream transport opened, so that its `close()` closes them all and
 * refuses new ones afterwards. Shared by the ZeroMQ and in-memory transports.
 *
 * @internal
 * @module
 */
import type { DiscoveryAddress } from '@hkube-ts/protocol';
import { StreamTransportClosedError } from './errors.js';
import type { StreamListener, StreamServer } from './types.js';

/** @internal */
export class OpenHandles {
  readonly #servers = new Set<StreamServer>();
  readonly #listeners = new Set<StreamListener>();
  #closed = false;

  constructor(private readonly kind: 'zeromq' | 'memory') {}

  /** Throws `StreamTransportClosedError` once {@link closeAll} ran. */
  assertOpen(): void {
    if (this.#closed) throw new StreamTransportClosedError(this.kind);
  }

  /** A tracked server at `address`; its idempotent `close` runs `stop` once and forgets it. */
  server(address: DiscoveryAddress, stop: () => Promise<void>): StreamServer {
    let stopping: Promise<void> | undefined;
    const server: StreamServer = {
      address,
      close: () => {
        this.#servers.delete(server);
        stopping ??= stop();
        return stopping;
      },
    };
    this.#servers.add(server);
    return server;
  }

  /** Tracks the listener `create` makes; it calls `forget` when it closes. */
  listener<T extends StreamListener>(create: (forget: (listener: StreamListener) => void) => T): T {
    const listener = create((closed) => this.#listeners.delete(closed));
    this.#listeners.add(listener);
    return listener;
  }

  /** Closes every listener (each finishes its message first), then every server. */
  async closeAll(): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#listeners].map((listener) => listener.close()));
    await Promise.all([...this.#servers].map((server) => server.close()));
  }
}
