/**
 * {@link StreamSession}: the streaming of one `kind: 'stream'` task (worker-protocol §7, data-plane
 * §4): this node's producer queue served to its children, one listener per parent producer announced
 * by `serviceDiscoveryUpdate`, periodic `streamingStatistics`, and the Code API's streaming methods.
 *
 * @module
 */

import { NoStreamConsumersError, StreamingClosedError, type StreamingBackend, type StreamingStatistics } from '@hkube-ts/codeapi';
import {
  ensureError, getCodec, type Codec, type InitializePayload, type ServiceDiscoveryChange, type StreamingEnv, type StreamingStatisticsEntry,
} from '@hkube-ts/protocol';
import type { Logger } from '../../logging/logger.js';
import { MessageQueue } from '../queue/message-queue.js';
import type { ReceivedMessage, StreamListener, StreamServer, StreamTransport } from '../types.js';
import { HubStreaming } from './hub-streaming.js';
import type { InputHub } from './input-hub.js';
import { decodeStreamValue, encodeStreamValue, resolveFlow, type FlowSettings } from './routing.js';

const MIB = 2 ** 20;

/** Options of {@link StreamSession.open}. */
export interface StreamSessionOptions {
  /** The task's `initialize` payload: `nodeName`, `childs`, `parsedFlow`, `defaultFlow`. */
  readonly payload: InitializePayload;
  /** Moves the messages (ZeroMQ in a pod, in-memory in the emulator). */
  readonly transport: StreamTransport;
  /** `STREAMING_*` and `DISCOVERY_ENCODING`. */
  readonly settings: StreamingEnv;
  /** Sends a `streamingStatistics` message to the worker. */
  readonly sendStatistics: (entries: StreamingStatisticsEntry[]) => Promise<void>;
  /** Diagnostics. */
  readonly logger: Logger;
}

/** Options of {@link StreamSession.drain}. */
export interface DrainOptions {
  /** Stops waiting when aborted. */
  readonly signal?: AbortSignal | undefined;
  /** Called every `tickMs` while messages are still waiting (the graceful stop's `stopping`). */
  readonly onTick?: (() => void) | undefined;
  /** Period of `onTick` (default 1000 ms, worker-protocol §7.4). */
  readonly tickMs?: number | undefined;
}

/** How often {@link StreamSession.drain} looks at the queue. */
const DRAIN_POLL_MS = 10;

/** Identifies one parent producer of a discovery change. */
export const parentKey = (change: ServiceDiscoveryChange): string => `${change.nodeName}@${change.address.host}:${change.address.port}`;

/**
 * One task's streaming. Created by {@link StreamSession.open} (which binds the producer when the node
 * has children); inputs flow once the algorithm starts listening; {@link close} ends everything.
 */
export class StreamSession extends HubStreaming implements StreamingBackend {
  readonly #payload: InitializePayload;
  readonly #options: StreamSessionOptions;
  readonly #flows: FlowSettings;
  readonly #codec: Codec;
  readonly #queue: MessageQueue | undefined;
  readonly #parents = new Map<string, ServiceDiscoveryChange>();
  readonly #listeners = new Map<string, StreamListener>();
  #server: StreamServer | undefined;
  #statistics: NodeJS.Timeout | undefined;
  #closedWith: string | undefined;
  #closing: Promise<void> | undefined;
  /** Set by {@link stopListening}: later discovery changes open nothing. */
  #deaf = false;

  private constructor(options: StreamSessionOptions) {
    super();
    const { payload, settings } = options;
    this.#payload = payload;
    this.#options = options;
    this.#flows = { nodeName: payload.nodeName, parsedFlow: payload.parsedFlow, defaultFlow: payload.defaultFlow };
    this.#codec = getCodec(settings.encoding);
    const childs = payload.childs ?? [];
    this.#queue = childs.length === 0 ? undefined : new MessageQueue({ nodeName: payload.nodeName, consumers: childs, maxBytes: settings.maxBufferMb * MIB });
  }

  /**
   * Creates the session of a stream task and, when the node has children, serves its queue on
   * `STREAMING_DISCOVERY_PORT` and starts the statistics timer. Rejects when the port cannot be bound.
   */
  static async open(options: StreamSessionOptions): Promise<StreamSession> {
    const session = new StreamSession(options);
    await session.#serve();
    return session;
  }

  /** This node's producer address, when it has children. */
  get address(): StreamServer['address'] | undefined {
    return this.#server?.address;
  }

  /** Messages waiting in this node's queue. */
  get pending(): number {
    return this.#queue?.pending ?? 0;
  }

  /** Whether the node has children (sends messages and statistics). */
  get isProducer(): boolean {
    return this.#queue !== undefined;
  }

  /** Whether {@link close} was called. */
  get closed(): boolean {
    return this.#closedWith !== undefined;
  }

  /** The consuming side (the stateless wrapper and the lifecycle use it directly). */
  get inputs(): InputHub {
    return this.hub;
  }

  // ------------------------------------------------------------------ StreamingBackend

  sendMessage(message: unknown, flowName?: string): void {
    if (this.#closedWith !== undefined) throw new StreamingClosedError(this.#payload.taskId, this.#closedWith);
    const queue = this.#queue;
    if (queue === undefined) throw new NoStreamConsumersError(this.#payload.nodeName);
    const flow = resolveFlow(this.#flows, flowName, this.hub.current()?.flow);
    const { header, payload } = encodeStreamValue(message, this.#codec);
    queue.append(flow, header, payload);
  }

  getStreamingStatistics(): StreamingStatistics {
    return this.#queue?.snapshot() ?? { binarySize: 0, configuredMaxBinarySize: this.#options.settings.maxBufferMb * MIB, statisticsPerNode: [] };
  }

  // ------------------------------------------------------------------ discovery

  /** Applies `serviceDiscoveryUpdate` changes: `Add` opens a listener (once listening), `Del` closes it. */
  updateDiscovery(changes: readonly ServiceDiscoveryChange[]): void {
    if (this.closed || this.#deaf) return;
    for (const change of changes) {
      const key = parentKey(change);
      if (change.type === 'Add') {
        if (this.#parents.has(key)) continue;
        this.#parents.set(key, change);
        if (this.hub.listening) this.#openListener(key, change);
      } else {
        this.#parents.delete(key);
        this.#closeListener(key);
      }
    }
  }

  protected onStartListening(): void {
    for (const [key, change] of this.#parents) this.#openListener(key, change);
  }

  #openListener(key: string, change: ServiceDiscoveryChange): void {
    if (this.#listeners.has(key) || this.closed || this.#deaf) return;
    const { transport, settings, logger } = this.#options;
    try {
      const listener = transport.listen({
        address: change.address,
        origin: change.nodeName,
        consumerName: this.#payload.nodeName,
        encoding: settings.encoding,
        prefetch: settings.prefetch,
        onMessage: (received) => this.#onMessage(received),
        onError: (error) => logger.warn(`stream listener to '${change.nodeName}': ${error.message}`),
      });
      this.#listeners.set(key, listener);
    } catch (error) {
      logger.error(`cannot listen to '${change.nodeName}' at ${change.address.host}:${change.address.port}: ${ensureError(error).message}`);
    }
  }

  #closeListener(key: string): void {
    const listener = this.#listeners.get(key);
    if (listener === undefined) return;
    this.#listeners.delete(key);
    listener.close().catch((error: unknown) => this.#options.logger.warn(`closing a stream listener failed: ${ensureError(error).message}`));
  }

  /** Throws (the transport reports it and acks the message) for undecodable bytes or a failing handler. */
  #onMessage(received: ReceivedMessage): Promise<void> | undefined {
    const message = decodeStreamValue(received.payload, received.header, this.#codec, received.origin);
    return this.hub.deliver(message, received.origin, { flow: received.flow });
  }

  // ------------------------------------------------------------------ producer

  async #serve(): Promise<void> {
    const queue = this.#queue;
    if (queue === undefined) return;
    const { transport, settings } = this.#options;
    this.#server = await transport.serve(queue, { port: settings.discoveryPort, encoding: settings.encoding });
    this.#statistics = setInterval(() => this.#reportStatistics(queue), settings.statisticsIntervalMs);
    this.#statistics.unref();
  }

  #reportStatistics(queue: MessageQueue): void {
    if (this.closed) return;
    this.#options.sendStatistics(queue.report()).catch((error: unknown) => this.#options.logger.warn(`could not send streaming statistics: ${ensureError(error).message}`));
  }

  // ------------------------------------------------------------------ ending

  /**
   * The first step of a stop: no more inputs (listeners closed, iterables ended, so a stateless serve
   * or a `messages()` loop ends), while `sendMessage` keeps working until {@link close}.
   */
  stopInputs(): Promise<void> {
    this.hub.close();
    return this.stopListening();
  }

  /** Stops pulling from the parents (a message being handled is finished and acked first). */
  async stopListening(): Promise<void> {
    this.#deaf = true;
    const listeners = [...this.#listeners.values()];
    this.#listeners.clear();
    this.#parents.clear();
    await Promise.allSettled(listeners.map((listener) => listener.close()));
  }

  /**
   * Waits until every queued message was taken by a child (the graceful flush of data-plane §4.4), the
   * signal aborts, or the session closes. Resolves true when the queue is empty.
   */
  async drain(options: DrainOptions = {}): Promise<boolean> {
    const { signal, onTick, tickMs = 1000 } = options;
    const queue = this.#queue;
    if (queue === undefined || queue.pending === 0) return true;
    const tick = onTick ? setInterval(onTick, tickMs) : undefined;
    try {
      while (queue.pending > 0 && !this.closed && signal?.aborted !== true) {
        await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
      }
    } finally {
      if (tick) clearInterval(tick);
    }
    return queue.pending === 0;
  }

  /**
   * Ends the task's streaming: listeners closed, statistics stopped, the producer unbound, iterables
   * ended, `sendMessage` refused. `force` drops the messages still queued (counted as dropped).
   * Idempotent: every call returns the first call's promise (so a port is free once it settles).
   */
  close(reason: string, force = false): Promise<void> {
    if (this.#closing === undefined) {
      this.#closedWith = reason;
      this.#closing = this.#close(force);
    }
    return this.#closing;
  }

  async #close(force: boolean): Promise<void> {
    const reporting = this.#statistics !== undefined;
    if (this.#statistics) clearInterval(this.#statistics);
    this.hub.close();
    if (force) this.#queue?.clear();
    // One last report, before the task's `done`/`stopped`, so the worker's (and the emulator's) final
    // edge counts are exact rather than one interval old. Failing here (the socket is gone) is fine.
    if (reporting && this.#queue !== undefined) await this.#options.sendStatistics(this.#queue.report()).catch(() => undefined);
    const server = this.#server;
    this.#server = undefined;
    await Promise.allSettled([this.stopListening(), server?.close()]);
    this.hub.dispose();
  }
}
