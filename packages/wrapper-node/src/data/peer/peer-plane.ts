/**
 * The peer half of a wrapper's data plane (data-plane spec §2.3, §3.3–§3.5): the client that reads
 * inputs from producers' data servers, this wrapper's own data server (started lazily at the first
 * output it may serve), advertising outputs in `storing`, and the `servingStatus` heartbeat.
 *
 * Advertising order (docs/decisions.md): the output is written to storage **first**, then offered to
 * the server's cache, and only then is `storing` sent with `discovery`. HKube sends `storing` before
 * the write; a child whose peer fetch fails could then read storage before the object exists.
 *
 * @module
 */
import { getCodec, type DiscoveryEnv, type InitializePayload, type StorageDescriptor } from '@hkube-ts/protocol';
import type { Logger } from '../../logging/logger.js';
import { prepareOutput, type OutputTask, type WriteOptions } from '../output.js';
import type { PeerClient } from '../peer.js';
import { ZmqPeerClient, type LocalPeer } from './client.js';
import { PeerDataServer } from './server.js';
import type { ZeromqLoader } from './zeromq.js';

const MIB = 1024 * 1024;

/** Options of {@link PeerPlane}. */
export interface PeerPlaneOptions {
  /**
   * The `DISCOVERY_*` settings and `POD_IP`. `enabled: false` (`DISCOVERY_ENABLE`) turns the server
   * off; inputs are still read from peers that advertise, as HKube's wrappers do.
   */
  readonly env: DiscoveryEnv;
  /** Diagnostics. */
  readonly logger: Logger;
  /** Interface the server binds (default all). */
  readonly bindHost?: string | undefined;
  /** Loads zeromq (default: the lazy `import('zeromq')`). */
  readonly zeromq?: ZeromqLoader | undefined;
}

/** The peer client, server and advertising of one wrapper. End it with `close()`. */
export class PeerPlane {
  readonly #options: PeerPlaneOptions;
  readonly #reporters = new Set<() => void>();
  #server: PeerDataServer | undefined;
  #starting: Promise<PeerDataServer | undefined> | undefined;
  #serverOff = false;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  /** Reads inputs from peers (and from our own server without the network). */
  readonly client: PeerClient;

  constructor(options: PeerPlaneOptions) {
    this.#options = options;
    const { env } = options;
    this.client = new ZmqPeerClient({
      codec: getCodec(env.encoding),
      timeoutMs: env.timeoutMs,
      networkTimeoutMs: env.networkTimeoutMs,
      concurrency: env.concurrency,
      local: () => this.#local(),
      zeromq: options.zeromq,
    });
  }

  /** The running data server, if one was started. */
  get server(): PeerDataServer | undefined {
    return this.#server;
  }

  /**
   * Writes a task's output to storage, then offers it to the data server, and returns the `storing`
   * descriptor: with `discovery: {host: POD_IP, port: DISCOVERY_PORT}` and `taskId` only when the
   * server holds the output. Nothing is served for streaming tasks (Python's rule: a running server is
   * closed) or for outputs no child references (`info.savePaths` empty).
   */
  async writeOutput(payload: InitializePayload, task: OutputTask, options: WriteOptions): Promise<StorageDescriptor> {
    const prepared = prepareOutput(task, options.codec);
    await options.storage.put(prepared.path, prepared, options.signal);
    if (payload.kind === 'stream') {
      await this.#stopServer('streaming tasks do not serve peers');
      return prepared.descriptor;
    }
    if ((task.savePaths ?? []).length === 0) return prepared.descriptor;
    const server = await this.#ensureServer();
    if (server === undefined || !server.offer(task.taskId, prepared)) return prepared.descriptor;
    const { podIp: host, port } = this.#options.env;
    return { discovery: { host, port }, taskId: task.taskId, ...prepared.descriptor };
  }

  /**
   * Calls `report` every `DISCOVERY_SERVING_REPORT_INTERVAL` while the server is serving (it replied
   * within the last 10 s); the runner sends `servingStatus` then. Returns the unsubscribe function.
   */
  onServing(report: () => void): () => void {
    this.#reporters.add(report);
    if (this.#timer === undefined && !this.#closed) {
      this.#timer = setInterval(() => {
        if (this.#server?.isServing !== true) return;
        for (const listener of this.#reporters) listener();
      }, this.#options.env.servingReportIntervalMs);
      this.#timer.unref();
    }
    return () => {
      this.#reporters.delete(report);
      if (this.#reporters.size === 0) this.#stopTimer();
    };
  }

  /** Stops the heartbeat and the server. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#stopTimer();
    await this.#stopServer('closing');
  }

  #local(): LocalPeer | undefined {
    const server = this.#server;
    if (server === undefined) return undefined;
    return { host: this.#options.env.podIp, port: this.#options.env.port, get: (taskId) => server.get(taskId) };
  }

  #ensureServer(): Promise<PeerDataServer | undefined> {
    if (this.#closed || this.#serverOff || !this.#options.env.enabled) return Promise.resolve(undefined);
    this.#starting ??= this.#startServer();
    return this.#starting;
  }

  async #startServer(): Promise<PeerDataServer | undefined> {
    const { env, logger, bindHost, zeromq } = this.#options;
    try {
      const server = await PeerDataServer.start({
        port: env.port, bindHost, codec: getCodec(env.encoding), maxCacheBytes: env.maxCacheSizeMb * MIB, logger, zeromq,
      });
      if (this.#closed) {
        await server.close();
        return undefined;
      }
      this.#server = server;
      logger.info(`peer data server listening on ports ${env.port} and ${env.port + 1}`);
      return server;
    } catch (error) {
      // Outputs then go through storage only; a failed start is not retried for every task.
      this.#serverOff = true;
      logger.warn(`${error instanceof Error ? error.message : String(error)}; outputs are not advertised to peers`);
      return undefined;
    }
  }

  async #stopServer(reason: string): Promise<void> {
    const starting = this.#starting;
    this.#starting = undefined;
    const server = this.#server ?? (await starting);
    this.#server = undefined;
    if (server === undefined) return;
    this.#options.logger.debug(`peer data server stopped: ${reason}`);
    await server.close();
  }

  #stopTimer(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
