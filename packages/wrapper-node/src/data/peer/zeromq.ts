/**
 * Lazy loading of the optional `zeromq` module: it is imported only when a peer server or client is
 * first used, so a wrapper without it (no prebuilt binary, not installed) still runs from storage.
 *
 * @module
 */
import type * as ZeromqModule from 'zeromq';
import { PeerTransportUnavailableError } from './errors.js';

/** The `zeromq` module (v6 API). */
export type Zeromq = typeof ZeromqModule;

/** Loads the zeromq module; rejects with `PeerTransportUnavailableError`. Injectable for tests. */
export type ZeromqLoader = () => Promise<Zeromq>;

let loading: Promise<Zeromq> | undefined;

/**
 * Imports `zeromq` once per process. A failure is remembered (a missing module does not appear later)
 * and reported as `PeerTransportUnavailableError`.
 */
export const loadZeromq: ZeromqLoader = () => {
  loading ??= import('zeromq').catch((error: unknown) => {
    throw new PeerTransportUnavailableError({ cause: error });
  });
  return loading;
};

/** The zmq endpoint of `host:port`, bracketing IPv6 literals. */
export function tcpEndpoint(host: string, port: number): string {
  return `tcp://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}`;
}
