import { afterEach } from 'vitest';
import { getCodec, type EncodingName } from '@hkube-ts/protocol';
import { freePortPair, PeerDataServer, PeerServerStartError, type PeerDataServerOptions } from '../../../src/data/index.js';

export { freePortPair };

/** Starts servers on free port pairs and closes them after each test. */
export function useServers(): (options?: Partial<PeerDataServerOptions> & { encoding?: EncodingName }) => Promise<PeerDataServer> {
  const started: PeerDataServer[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((server) => server.close()));
  });
  return async (options = {}) => {
    for (let attempt = 0; ; attempt++) {
      try {
        const server = await PeerDataServer.start({
          port: await freePortPair(),
          bindHost: '127.0.0.1',
          codec: getCodec(options.encoding ?? 'msgpack'),
          maxCacheBytes: 64 * 1024 * 1024,
          ...options,
        });
        started.push(server);
        return server;
      } catch (error) {
        if (!(error instanceof PeerServerStartError) || attempt > 10) throw error;
      }
    }
  };
}

/** Closes what a test opened, after it. */
export function useCleanup(): (close: () => unknown) => void {
  const closers: (() => unknown)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });
  return (close) => closers.push(close);
}
