/**
 * A {@link PeerClient} over ZeroMQ speaking HKube's DataRequest protocol (data-plane spec §3.2–§3.3):
 * per request, a REQ socket pings `port + 1` (`DISCOVERY_NETWORK_TIMEOUT`), then a second REQ sends
 * `{tasks}` to `port` (`DISCOVERY_TIMEOUT`); both linger 0 and are closed afterwards.
 *
 * Each reply payload is decoded with the codec its header's byte 3 names (the Java rule, §3.6), so a
 * peer whose `STORAGE_ENCODING` differs from our `DISCOVERY_ENCODING` is still read. Every failure is
 * returned per task (never thrown), so the resolver reads those tasks from storage.
 *
 * @module
 */
import { decodeStoredPayload, encodePeerRequest, ensureError, isPeerPong, parsePeerReply, PEER_PING, type Codec, type HeaderedPayload } from '@hkube-ts/protocol';
import { PeerFetchError } from '../errors.js';
import { createLimiter, type Limiter } from '../limit.js';
import type { PeerClient, PeerFetchResult } from '../peer.js';
import type { DiscoveryInfo } from '../types.js';
import { PeerReplyError, PeerTimeoutError } from './errors.js';
import { loadZeromq, tcpEndpoint, type Zeromq, type ZeromqLoader } from './zeromq.js';

/** This wrapper's own data server, read directly when a link names it (§3.3, local short-circuit). */
export interface LocalPeer {
  /** The advertised host (`POD_IP`). */
  readonly host: string;
  /** The advertised port (`DISCOVERY_PORT`). */
  readonly port: number;
  /** The held output of a task. */
  get(taskId: string): HeaderedPayload | undefined;
}

/** Options of {@link ZmqPeerClient}. */
export interface ZmqPeerClientOptions {
  /** `DISCOVERY_ENCODING`: encodes requests; decodes payloads whose header names no codec. */
  readonly codec: Codec;
  /** `DISCOVERY_TIMEOUT` in ms (default 10 000). */
  readonly timeoutMs?: number | undefined;
  /** `DISCOVERY_NETWORK_TIMEOUT` in ms: the ping's timeout (default 1000). */
  readonly networkTimeoutMs?: number | undefined;
  /** `DISCOVERY_CONCURRENCY`: requests in flight at most, across peers (default 50). */
  readonly concurrency?: number | undefined;
  /** Our own server, when there is one: a link naming it is answered without the network. */
  readonly local?: (() => LocalPeer | undefined) | undefined;
  /** Loads zeromq (default: the lazy `import('zeromq')`). */
  readonly zeromq?: ZeromqLoader | undefined;
}

type Request = InstanceType<Zeromq['Request']>;

function peerName(discovery: DiscoveryInfo): string {
  return `${discovery.host}:${Number(discovery.port)}`;
}

function isTimeout(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'EAGAIN';
}

/**
 * Fetches task outputs from HKube data servers (TypeScript, Node, Python or Java wrappers).
 *
 * @example
 * ```ts
 * const peer = new ZmqPeerClient({ codec: getCodec('msgpack') });
 * const input = await resolveInput(task, { storage, codec, cache, peer });
 * ```
 */
export class ZmqPeerClient implements PeerClient {
  readonly #options: ZmqPeerClientOptions;
  readonly #limiter: Limiter;

  constructor(options: ZmqPeerClientOptions) {
    this.#options = options;
    this.#limiter = createLimiter(options.concurrency ?? 50);
  }

  /** Requests `taskIds` from the data server at `discovery`: one result per task, in order. Rejects only on abort. */
  async fetch(discovery: DiscoveryInfo, taskIds: readonly string[], signal?: AbortSignal): Promise<readonly PeerFetchResult[]> {
    signal?.throwIfAborted();
    const name = peerName(discovery);
    const failAll = (cause: unknown, code?: string): PeerFetchResult[] =>
      taskIds.map((taskId) => ({ ok: false, error: new PeerFetchError(name, taskId, code, { cause }) }));
    const port = Number(discovery.port);
    if (!Number.isInteger(port) || port < 1 || port > 65534) return failAll(new PeerReplyError(name, `port ${String(discovery.port)} is not usable`));
    const local = this.#options.local?.();
    if (local !== undefined && local.host === discovery.host && local.port === port) return this.#fromLocal(local, name, taskIds);
    if (taskIds.length === 0) return [];
    try {
      return await this.#limiter.run(() => this.#request(discovery.host, port, name, taskIds, signal), signal);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      return failAll(error, error instanceof PeerTimeoutError ? error.code : undefined);
    }
  }

  #fromLocal(local: LocalPeer, name: string, taskIds: readonly string[]): PeerFetchResult[] {
    return taskIds.map((taskId): PeerFetchResult => {
      const item = local.get(taskId);
      if (item === undefined) return { ok: false, error: new PeerFetchError(name, taskId, 'notAvailable') };
      const decoded = decodeStoredPayload(item.payload, item.header, this.#options.codec);
      if (!decoded.ok) return { ok: false, error: new PeerFetchError(name, taskId, 'invalid', { cause: decoded.error }) };
      return { ok: true, value: decoded.value, size: item.payload.byteLength };
    });
  }

  async #request(host: string, port: number, name: string, taskIds: readonly string[], signal: AbortSignal | undefined): Promise<PeerFetchResult[]> {
    const zmq = await (this.#options.zeromq ?? loadZeromq)();
    const { codec, networkTimeoutMs = 1000, timeoutMs = 10_000 } = this.#options;
    const pong = await this.#exchange(zmq, tcpEndpoint(host, port + 1), [PEER_PING], networkTimeoutMs, signal, () => new PeerTimeoutError(name, 'ping', networkTimeoutMs));
    if (!isPeerPong(pong[0])) throw new PeerReplyError(name, 'the ping was not answered by pong');
    const frames = await this.#exchange(zmq, tcpEndpoint(host, port), [encodePeerRequest(taskIds, codec)], timeoutMs, signal, () => new PeerTimeoutError(name, 'request', timeoutMs));
    return parsePeerReply(frames, taskIds.length, codec).map((item, i): PeerFetchResult => {
      if (item.ok) return { ok: true, value: item.value, size: item.size };
      const cause = item.error instanceof Error ? item.error : new Error(item.error.message);
      return { ok: false, error: new PeerFetchError(name, taskIds[i] ?? '', item.code, { cause }) };
    });
  }

  /** One request/reply on a fresh REQ socket, closed afterwards (also on abort). */
  async #exchange(
    zmq: Zeromq, endpoint: string, message: (Buffer | string)[], timeoutMs: number, signal: AbortSignal | undefined, timeout: () => Error,
  ): Promise<Buffer[]> {
    signal?.throwIfAborted();
    const socket: Request = new zmq.Request({ linger: 0, receiveTimeout: timeoutMs, sendTimeout: timeoutMs });
    let onAbort: (() => void) | undefined;
    // An abort settles the exchange at once (zeromq may keep a pending receive); `finally` closes the socket.
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(ensureError(signal?.reason));
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    try {
      socket.connect(endpoint);
      const exchange = (async () => {
        await socket.send(message);
        return socket.receive();
      })();
      exchange.catch(() => undefined);
      return await Promise.race([exchange, aborted]);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (isTimeout(error)) throw timeout();
      throw error;
    } finally {
      if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort);
      if (!socket.closed) socket.close();
    }
  }
}
