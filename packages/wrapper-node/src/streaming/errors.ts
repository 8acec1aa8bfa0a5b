/**
 * Typed failures of the streaming transports and the producer queue (data-plane §4).
 *
 * Every class extends {@link HkubeError}, carries a stable `code`, the names/addresses involved and the
 * underlying `cause`. Malformed frames are `StreamFrameError` from `@hkube-ts/protocol`.
 *
 * @module
 */
import { HkubeError, type DiscoveryAddress, type HkubeErrorOptions } from '@hkube-ts/protocol';

/** Codes of the failures reported by the streaming transports and queue. */
export type StreamingErrorCode =
  | 'STREAM_QUEUE_CONFIG_INVALID'
  | 'STREAM_TRANSPORT_UNAVAILABLE'
  | 'STREAM_TRANSPORT_CLOSED'
  | 'STREAM_BIND_FAILED'
  | 'STREAM_CONSUMER_UNKNOWN'
  | 'STREAM_HANDLER_FAILED'
  | 'STREAM_SOCKET_FAILED';

/** Base class of every streaming transport/queue failure. */
export abstract class StreamingError extends HkubeError {
  abstract override readonly code: StreamingErrorCode;
}

function causeText(cause: unknown): string {
  return cause instanceof Error ? `: ${cause.message}` : '';
}

function addressText(address: DiscoveryAddress): string {
  return `${address.host}:${address.port}`;
}

/** `MessageQueue` options that cannot work: a negative or non-finite cap, an empty or duplicate child name. */
export class StreamQueueConfigError extends StreamingError {
  readonly code = 'STREAM_QUEUE_CONFIG_INVALID' as const;
  /** The producing node. */
  readonly nodeName: string;

  constructor(nodeName: string, problem: string) {
    super(`invalid stream queue options for node '${nodeName}': ${problem}`);
    this.nodeName = nodeName;
  }
}

/** The optional `zeromq` package is not installed (or its native addon does not load on this platform). */
export class ZeroMqUnavailableError extends StreamingError {
  readonly code = 'STREAM_TRANSPORT_UNAVAILABLE' as const;
  /** The module that was imported. */
  readonly moduleName: string;

  constructor(moduleName: string, options: HkubeErrorOptions = {}) {
    super(`the ZeroMQ stream transport needs the optional package '${moduleName}', which cannot be loaded${causeText(options.cause)}`, options);
    this.moduleName = moduleName;
  }
}

/** `serve` or `listen` on a transport that was closed. */
export class StreamTransportClosedError extends StreamingError {
  readonly code = 'STREAM_TRANSPORT_CLOSED' as const;
  /** The transport kind. */
  readonly kind: 'zeromq' | 'memory';

  constructor(kind: 'zeromq' | 'memory') {
    super(`the ${kind} stream transport is closed`);
    this.kind = kind;
  }
}

/** The producer could not bind its port (in use, no permission, invalid). */
export class StreamBindError extends StreamingError {
  readonly code = 'STREAM_BIND_FAILED' as const;
  /** The port asked for. */
  readonly port: number;

  constructor(port: number, options: HkubeErrorOptions = {}) {
    super(`cannot serve the stream on port ${port}${causeText(options.cause)}`, options);
    this.port = port;
  }
}

/**
 * A listener announced itself with a name that is not a child of the producer. The producer drops its
 * frames (as HKube's producers do), so that listener receives nothing.
 */
export class UnknownStreamConsumerError extends StreamingError {
  readonly code = 'STREAM_CONSUMER_UNKNOWN' as const;
  /** The name the listener sent. */
  readonly consumerName: string;
  /** The producer's address. */
  readonly address: DiscoveryAddress;

  constructor(consumerName: string, address: DiscoveryAddress) {
    super(`the stream producer at ${addressText(address)} has no child named '${consumerName}'; its frames are dropped`);
    this.consumerName = consumerName;
    this.address = address;
  }
}

/** The `onMessage` handler of a listener rejected; the message is acked anyway (as HKube does). */
export class StreamHandlerError extends StreamingError {
  readonly code = 'STREAM_HANDLER_FAILED' as const;
  /** The parent the message came from. */
  readonly origin: string;
  /** This node. */
  readonly consumerName: string;

  constructor(origin: string, consumerName: string, options: HkubeErrorOptions = {}) {
    super(`handling a stream message from '${origin}' on '${consumerName}' failed${causeText(options.cause)}`, options);
    this.origin = origin;
    this.consumerName = consumerName;
  }
}

/** A ZeroMQ socket operation failed (send, receive, connect); the transport keeps going where it can. */
export class StreamSocketError extends StreamingError {
  readonly code = 'STREAM_SOCKET_FAILED' as const;
  /** What was being done: `send`, `receive`, `connect`, `bind`, … */
  readonly operation: string;
  /** The remote or local address. */
  readonly address: DiscoveryAddress;

  constructor(operation: string, address: DiscoveryAddress, options: HkubeErrorOptions = {}) {
    super(`stream socket ${operation} failed for ${addressText(address)}${causeText(options.cause)}`, options);
    this.operation = operation;
    this.address = address;
  }
}
