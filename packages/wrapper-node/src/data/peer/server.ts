/**
 * HKube's peer data server (data-plane spec §3.1–§3.5) over ZeroMQ: serves this wrapper's outputs to
 * the tasks that read them, on `DISCOVERY_PORT` (data requests, and `ping` as Python answers it) and
 * `DISCOVERY_PORT + 1` (ping only).
 *
 * Each port is a ROUTER rather than HKube Node's single REP: requests are read as they arrive and each
 * reply is addressed to its requester by the routing envelope, so a slow reader or a large reply does
 * not hold the others back. REQ clients (Node, Python, Java) and DEALER clients are both answered.
 *
 * @module
 */
import {
  decodePeerRequest, ensureError, isPeerPing, notAvailablePair, PEER_PONG, replyFrames, unknownErrorPair,
  type Codec, type HeaderedPayload,
} from '@hkube-ts/protocol';
import type { Logger } from '../../logging/logger.js';
import { PeerServerStartError } from './errors.js';
import { ServedOutputCache } from './served-cache.js';
import { loadZeromq, tcpEndpoint, type Zeromq, type ZeromqLoader } from './zeromq.js';

/** HKube counts a data server as serving when it replied within the last 10 s (§3.5). */
export const SERVING_WINDOW_MS = 10_000;

/** Options of {@link PeerDataServer.start}. */
export interface PeerDataServerOptions {
  /** `DISCOVERY_PORT`; the ping port is `port + 1`. */
  readonly port: number;
  /** Interface to bind (default `*`, all, as HKube binds). */
  readonly bindHost?: string | undefined;
  /** `DISCOVERY_ENCODING`: decodes requests and encodes error payloads. */
  readonly codec: Codec;
  /** Cache capacity in bytes (`DISCOVERY_MAX_CACHE_SIZE` MB). */
  readonly maxCacheBytes: number;
  /** Diagnostics. */
  readonly logger?: Logger | undefined;
  /** Loads zeromq (default: the lazy `import('zeromq')`). */
  readonly zeromq?: ZeromqLoader | undefined;
}

/** Counters of a {@link PeerDataServer}. */
export interface PeerServerStats {
  /** Data requests answered. */
  readonly requests: number;
  /** Outputs sent (a task asked twice counts twice; `notAvailable` answers do not count). */
  readonly served: number;
  /** Task ids answered with `notAvailable`. */
  readonly notAvailable: number;
  /** Requests answered with one `unknown` error pair. */
  readonly undecodable: number;
  /** Pings answered, on either port. */
  readonly pings: number;
}

type Router = InstanceType<Zeromq['Router']>;

/** Splits a ROUTER message into its routing envelope (identities up to the empty delimiter) and body. */
function splitEnvelope(frames: readonly Buffer[]): { envelope: Buffer[]; body: Buffer | undefined } {
  const delimiter = frames.findIndex((frame, i) => i > 0 && frame.byteLength === 0);
  // A DEALER that sends no delimiter gets none back; a REQ's delimiter is echoed.
  const end = delimiter === -1 ? 1 : delimiter + 1;
  return { envelope: frames.slice(0, end), body: frames[end] };
}

/** A data server bound to its two ports. Create it with {@link PeerDataServer.start}; end it with `close()`. */
export class PeerDataServer {
  readonly #cache: ServedOutputCache;
  readonly #codec: Codec;
  readonly #logger: Logger | undefined;
  readonly #sockets: readonly Router[];
  readonly #notAvailable: HeaderedPayload;
  readonly #loops: Promise<void>[] = [];
  #stats = { requests: 0, served: 0, notAvailable: 0, undecodable: 0, pings: 0 };
  #lastReplyAt = Number.NEGATIVE_INFINITY;
  #closed: Promise<void> | undefined;

  /** `DISCOVERY_PORT`. */
  readonly port: number;

  private constructor(options: PeerDataServerOptions, sockets: readonly Router[]) {
    this.port = options.port;
    this.#codec = options.codec;
    this.#logger = options.logger;
    this.#cache = new ServedOutputCache(options.maxCacheBytes);
    this.#notAvailable = notAvailablePair(options.codec);
    this.#sockets = sockets;
  }

  /**
   * Binds `tcp://<bindHost>:<port>` and `…:<port + 1>` and starts serving. Rejects with
   * `PeerTransportUnavailableError` without zeromq, `PeerServerStartError` when a port is taken.
   */
  static async start(options: PeerDataServerOptions): Promise<PeerDataServer> {
    const zmq = await (options.zeromq ?? loadZeromq)();
    const host = options.bindHost ?? '*';
    const data = new zmq.Router({ linger: 0 });
    const ping = new zmq.Router({ linger: 0 });
    try {
      await data.bind(tcpEndpoint(host, options.port));
      await ping.bind(tcpEndpoint(host, options.port + 1));
    } catch (error) {
      data.close();
      ping.close();
      throw new PeerServerStartError(options.port, { cause: error });
    }
    const server = new PeerDataServer(options, [data, ping]);
    server.#loops.push(server.#serve(data, true), server.#serve(ping, false));
    return server;
  }

  /** Counters, for diagnostics and tests. */
  get stats(): PeerServerStats {
    return { ...this.#stats };
  }

  /** True when a data request was answered within the last {@link SERVING_WINDOW_MS}. */
  get isServing(): boolean {
    return Date.now() - this.#lastReplyAt <= SERVING_WINDOW_MS;
  }

  /**
   * Holds an output for peers: `item` must be the exact header and payload written to storage (they
   * are shared, not copied). Returns false when it does not fit the cache: it must not be advertised.
   */
  offer(taskId: string, item: HeaderedPayload): boolean {
    if (this.#closed !== undefined) return false;
    return this.#cache.set(taskId, item);
  }

  /** The held output of `taskId` (the local short-circuit of a client in the same wrapper). */
  get(taskId: string): HeaderedPayload | undefined {
    return this.#cache.get(taskId);
  }

  /** Stops serving: closes both sockets (pending replies are dropped) and empties the cache. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      for (const socket of this.#sockets) socket.close();
      await Promise.allSettled(this.#loops);
      this.#cache.clear();
    })();
    return this.#closed;
  }

  async #serve(socket: Router, dataPort: boolean): Promise<void> {
    // zeromq allows one send in flight per socket: replies are chained, reading goes on meanwhile.
    let sending: Promise<void> = Promise.resolve();
    try {
      for await (const frames of socket) {
        const { envelope, body } = splitEnvelope(frames);
        const reply = this.#answer(body, dataPort);
        sending = sending
          .then(() => socket.send([...envelope, ...reply]))
          .catch((error: unknown) => {
            if (!socket.closed) this.#logger?.warn(`peer data server: a reply could not be sent: ${ensureError(error).message}`);
          });
      }
    } catch (error) {
      if (!socket.closed) this.#logger?.error(`peer data server stopped serving port ${dataPort ? this.port : this.port + 1}: ${ensureError(error).message}`);
    }
    await sending;
  }

  #answer(body: Buffer | undefined, dataPort: boolean): (Buffer | string)[] {
    if (isPeerPing(body)) {
      this.#stats.pings++;
      return [PEER_PONG];
    }
    if (!dataPort) {
      // An empty answer, so that a REQ client that sent something else is not left waiting.
      this.#logger?.debug('peer data server: a message on the ping port that is not a ping');
      return [''];
    }
    this.#stats.requests++;
    this.#lastReplyAt = Date.now();
    const request = decodePeerRequest(body, this.#codec);
    if (!request.ok) {
      this.#stats.undecodable++;
      this.#logger?.warn(`peer data server: ${request.error.message}`);
      return replyFrames([unknownErrorPair(request.error.message, this.#codec)]);
    }
    let served = 0;
    const pairs = request.value.tasks.map((taskId) => {
      const item = this.#cache.get(taskId);
      if (item !== undefined) served++;
      return item ?? this.#notAvailable;
    });
    this.#stats.served += served;
    this.#stats.notAvailable += pairs.length - served;
    this.#logger?.debug(`peer data server: served ${served} of ${pairs.length} task(s) [${request.value.tasks.join(', ')}]`);
    return replyFrames(pairs);
  }
}
