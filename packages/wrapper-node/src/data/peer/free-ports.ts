import { createServer } from 'node:net';

/** True when nothing listens on 127.0.0.1:`port` now. */
function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/**
 * A port `p` of 127.0.0.1 such that `p` and `p + 1` are free now: a data server's data and ping ports
 * (`DISCOVERY_PORT` of a local process, tests). Another process may still take them before they are
 * bound; a data server that cannot bind leaves the wrapper storing only.
 *
 * Ports come from 20000–32767, below Linux's ephemeral range (32768–60999 by default): a port from
 * that range can be taken at any time as the source port of an outgoing connection, including a
 * connection retrying towards the very port before it is bound (TCP then connects the socket to
 * itself and the port is in use).
 *
 * @example
 * ```ts
 * const env = { DISCOVERY_PORT: String(await freePortPair()) };
 * ```
 */
export async function freePortPair(): Promise<number> {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const port = 20_000 + 2 * Math.floor(Math.random() * 6_383);
    if ((await isFree(port)) && (await isFree(port + 1))) return port;
  }
  throw new Error('no free pair of ports on 127.0.0.1');
}
