/**
 * The seams of streaming (data-plane §4): a {@link StreamTransport} moves framed messages between a
 * node's producer and its children's listeners (ZeroMQ in a pod, in-memory in the emulator); the
 * producer side pulls from a {@link MessageSource} (the node's message queue). Flow routing, the queue,
 * statistics and the user-facing API sit above these interfaces and never see a socket.
 *
 * @module
 */

import type { DiscoveryAddress, StreamFlowStep } from '@hkube-ts/protocol';

/** A message waiting in a producer's queue: the receiver's rest of flow and the `HK`-framed value. */
export interface QueuedMessage {
  /** The flow as the receiver must see it: the sender's own step removed (`getRestOfFlow`). */
  readonly flow: readonly StreamFlowStep[];
  /** The 8-byte `HK` header of `payload`. */
  readonly header: Uint8Array;
  /** The encoded value (`DISCOVERY_ENCODING`), or raw bytes. */
  readonly payload: Uint8Array;
}

/**
 * The producer side's view of its queue, as a transport needs it. A transport calls {@link take} on
 * each READY and {@link done} on each DONE; it never queues or drops anything itself.
 */
export interface MessageSource {
  /**
   * READY from a listener of node `consumerName`: the next message for that node (it counts as sent),
   * or `undefined` when none is waiting (the transport answers NO_MSG) or the name is not a child.
   */
  take(consumerName: string): QueuedMessage | undefined;
  /**
   * DONE from a listener of node `consumerName`: its handler took `netDurationMs`; the round trip from
   * sending the message to this ack took `grossDurationMs` (measured by the transport).
   */
  done(consumerName: string, netDurationMs: number, grossDurationMs: number): void;
  /** Whether `name` is one of this node's children (transports drop frames from other names). */
  isConsumer(name: string): boolean;
  /**
   * Optional: calls `listener` after each append with the children the message was queued for, and
   * returns the unsubscribe function. A transport that can push (the in-memory one) uses it to wake idle
   * listeners instead of polling after NO_MSG.
   */
  watch?(listener: (consumerNames: readonly string[]) => void): () => void;
}

/** Options of {@link StreamTransport.serve}. */
export interface StreamServeOptions {
  /** `STREAMING_DISCOVERY_PORT`: the port the worker advertises for this node. */
  readonly port: number;
  /**
   * Interface to bind (ZeroMQ): `*` (default, what HKube binds: `tcp://*:<port>`) or an address such
   * as `127.0.0.1`. Port `0` binds a free port, reported in {@link StreamServer.address}.
   */
  readonly host?: string;
  /** Encoding of the flow, consumer-name and ack frames (`DISCOVERY_ENCODING`). */
  readonly encoding: 'json' | 'bson' | 'msgpack';
}

/** A bound producer endpoint. */
export interface StreamServer {
  /** Where listeners reach it. */
  readonly address: DiscoveryAddress;
  /** Stops serving; messages still queued stay in the source. Idempotent. */
  close(): Promise<void>;
}

/** A message as a listener receives it. */
export interface ReceivedMessage {
  /** The parent node it came from (`messageOriginNodeName` of the discovery entry). */
  readonly origin: string;
  /** The rest of flow that came with it. */
  readonly flow: readonly StreamFlowStep[];
  /** Its 8-byte `HK` header. */
  readonly header: Uint8Array;
  /** Its payload bytes (a copy the receiver owns). */
  readonly payload: Uint8Array;
}

/** Options of {@link StreamTransport.listen}. */
export interface StreamListenOptions {
  /** The parent's producer address from `serviceDiscoveryUpdate`. */
  readonly address: DiscoveryAddress;
  /** The parent's node name: becomes {@link ReceivedMessage.origin}. */
  readonly origin: string;
  /** This node's name, sent with READY and DONE. */
  readonly consumerName: string;
  /** Encoding of the flow, consumer-name and ack frames (`DISCOVERY_ENCODING`). */
  readonly encoding: 'json' | 'bson' | 'msgpack';
  /** READY signals kept outstanding (`STREAMING_PREFETCH`, default 1 = HKube's behaviour). */
  readonly prefetch?: number;
  /**
   * Handles one message. The transport measures how long the returned promise takes (or the call, when
   * it returns `undefined` having finished synchronously: no promise per message on the hot path) and
   * sends it as the DONE duration; a rejection or a throw is reported through {@link onError} and still
   * acked.
   */
  readonly onMessage: (message: ReceivedMessage) => Promise<void> | undefined;
  /** Transport-level failures (undecodable frames, socket errors); the listener keeps going. */
  readonly onError?: (error: Error) => void;
}

/** A listener pulling from one parent. */
export interface StreamListener {
  /** The parent's address. */
  readonly address: DiscoveryAddress;
  /** Stops pulling: no READY after this; a message being handled is finished and acked first. Idempotent. */
  close(): Promise<void>;
}

/**
 * Moves stream messages between nodes: ZeroMQ ROUTER/DEALER in a pod (`createZeroMqStreamTransport`),
 * an in-memory network in the emulator (`createMemoryStreamTransport`). Both copy payload bytes at the
 * node boundary, as a real network does.
 */
export interface StreamTransport {
  /** `zeromq` or `memory`. */
  readonly kind: 'zeromq' | 'memory';
  /** Serves `source` to this node's children on `options.port`. */
  serve(source: MessageSource, options: StreamServeOptions): Promise<StreamServer>;
  /** Starts pulling from a parent. */
  listen(options: StreamListenOptions): StreamListener;
  /** Releases shared resources (ZeroMQ context, …). Idempotent. */
  close(): Promise<void>;
}

/** One child in {@link StreamingStatisticsSnapshot}. */
export interface ChildStatistics {
  /** The child node. */
  readonly nodeName: string;
  /** Messages taken by its listeners so far. */
  readonly sent: number;
  /** Messages waiting for it. */
  readonly queueSize: number;
  /** Messages dropped before it took them (memory cap). */
  readonly dropped: number;
}

/** What `api.getStreamingStatistics()` returns (the official wrappers' shape). */
export interface StreamingStatisticsSnapshot {
  /** Payload bytes held by the queue. */
  readonly binarySize: number;
  /** The cap (`STREAMING_MAX_BUFFER_MB` × 2^20). */
  readonly configuredMaxBinarySize: number;
  /** One entry per child node. */
  readonly statisticsPerNode: readonly ChildStatistics[];
}
