/**
 * The in-memory {@link StreamTransport} of the emulator: the same pull semantics as ZeroMQ, over a
 * {@link MemoryStreamNetwork} shared by the nodes of one process.
 *
 * @module
 */
import { ensureError } from '@hkube-ts/protocol';
import { OpenHandles } from '../open-handles.js';
import type { MessageSource, StreamListener, StreamListenOptions, StreamServeOptions, StreamServer, StreamTransport } from '../types.js';
import { MemoryListener } from './listener.js';
import { MEMORY_HOST, type MemoryStreamNetwork } from './network.js';

/**
 * A stream transport over `network`. Producers bind `{host: 'memory', port}`; listeners to a port
 * nobody serves wait until someone does (as a ZeroMQ connect keeps retrying); when a producer closes,
 * its listeners go idle until a producer binds that port again. Header and payload bytes are copied
 * when they cross from producer to listener; each message is acked with the handler's duration.
 *
 * @example
 * ```ts
 * const network = createMemoryStreamNetwork();
 * const a = createMemoryStreamTransport(network);
 * const server = await a.serve(queue, { port: 0, encoding: 'msgpack' });
 * const b = createMemoryStreamTransport(network);
 * b.listen({ address: server.address, origin: 'A', consumerName: 'B', encoding: 'msgpack', onMessage: async (m) => handle(m) });
 * ```
 */
export function createMemoryStreamTransport(network: MemoryStreamNetwork): StreamTransport {
  const handles = new OpenHandles('memory');
  return {
    kind: 'memory',
    serve(source: MessageSource, options: StreamServeOptions): Promise<StreamServer> {
      try {
        handles.assertOpen();
        const endpoint = network.bind(options.port, source);
        const stop = (): Promise<void> => {
          network.unbind(endpoint);
          return Promise.resolve();
        };
        return Promise.resolve(handles.server({ host: MEMORY_HOST, port: endpoint.port }, stop));
      } catch (error) {
        return Promise.reject(ensureError(error));
      }
    },
    listen(options: StreamListenOptions): StreamListener {
      handles.assertOpen();
      return handles.listener((forget) => new MemoryListener(network, options, forget));
    },
    close: () => handles.closeAll(),
  };
}
