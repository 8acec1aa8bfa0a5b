/**
 * The ZeroMQ {@link StreamTransport} of a wrapper in a pod (data-plane §4.2): ROUTER producers and
 * DEALER listeners speaking HKube's framing, wire-compatible with the Node and Python wrappers.
 *
 * @module
 */
import type { Logger } from '../../logging/logger.js';
import { silentLogger } from '../../logging/logger.js';
import { OpenHandles } from '../open-handles.js';
import type { MessageSource, StreamListener, StreamListenOptions, StreamServeOptions, StreamServer, StreamTransport } from '../types.js';
import { ZeroMqListener } from './listener.js';
import { loadZeroMq } from './load.js';
import { ZeroMqProducer } from './producer.js';

/** Options of {@link createZeroMqStreamTransport}. */
export interface ZeroMqStreamTransportOptions {
  /** Where dropped frames and socket failures are logged (default: silent). */
  readonly logger?: Logger;
  /** Wait after NO_MSG before the next READY, in ms (default 5, as the Node wrapper). */
  readonly noMessageBackoffMs?: number;
  /** Listener receive timeout in ms (default 1000). */
  readonly receiveTimeoutMs?: number;
  /** Consecutive receive timeouts before a listener recreates its socket with a new identity (default 5). */
  readonly maxTimeouts?: number;
  /**
   * How long the producer holds a READY that finds the queue empty, answering as soon as a message is
   * queued, before it sends NO_MSG (ms). Default 0: NO_MSG at once, as HKube's producers do. Values up to
   * a few hundred ms cut idle polling and latency; keep it under the listeners' 1 s receive timeout.
   */
  readonly parkMs?: number;
}

/**
 * Loads the optional `zeromq` package and returns a ZeroMQ stream transport. Rejects with
 * `ZeroMqUnavailableError` when the package is missing or its native addon does not load.
 *
 * @example
 * ```ts
 * const transport = await createZeroMqStreamTransport({ logger });
 * const server = await transport.serve(queue, { port: 9022, encoding: 'msgpack' });
 * const listener = transport.listen({ address: { host: '10.0.0.7', port: 9022 }, origin: 'A', consumerName: 'B',
 *   encoding: 'msgpack', onMessage: async (message) => handle(message) });
 * // …
 * await transport.close();
 * ```
 */
export async function createZeroMqStreamTransport(options: ZeroMqStreamTransportOptions = {}): Promise<StreamTransport> {
  const zmq = await loadZeroMq();
  const logger = options.logger ?? silentLogger;
  const timing = {
    noMessageBackoffMs: options.noMessageBackoffMs ?? 5,
    receiveTimeoutMs: options.receiveTimeoutMs ?? 1000,
    maxTimeouts: options.maxTimeouts ?? 5,
  };
  const parkMs = options.parkMs ?? 0;
  const handles = new OpenHandles('zeromq');
  return {
    kind: 'zeromq',
    async serve(source: MessageSource, serve: StreamServeOptions): Promise<StreamServer> {
      handles.assertOpen();
      const producer = await ZeroMqProducer.start(zmq, source, serve, { logger, parkMs });
      return handles.server(producer.address, () => producer.close());
    },
    listen(listen: StreamListenOptions): StreamListener {
      handles.assertOpen();
      return handles.listener((forget) => new ZeroMqListener(zmq, listen, timing, forget));
    },
    close: () => handles.closeAll(),
  };
}
