/**
 * Failures of the ZeroMQ peer transport (data-plane spec §3): loading zeromq, starting the data
 * server, and one request to a peer. A per-task failure reaches the resolver as a `PeerFetchError`
 * whose `cause` is one of these; none of them is fatal to a task (storage is the fallback).
 *
 * @module
 */
import { HkubeError, type HkubeErrorOptions } from '@hkube-ts/protocol';

/** Codes of the failures of the peer transport. */
export type PeerTransportErrorCode = 'PEER_TRANSPORT_UNAVAILABLE' | 'PEER_SERVER_START_FAILED' | 'PEER_TIMEOUT' | 'PEER_REPLY_INVALID';

/** Base class of the peer transport's failures. */
export abstract class PeerTransportError extends HkubeError {
  abstract override readonly code: PeerTransportErrorCode;
}

function causeText(cause: unknown): string {
  return cause instanceof Error ? `: ${cause.message}` : '';
}

/**
 * The optional `zeromq` module cannot be loaded (not installed, no prebuilt binary for this
 * platform). The wrapper then neither serves nor fetches peer data: everything goes through storage.
 */
export class PeerTransportUnavailableError extends PeerTransportError {
  readonly code = 'PEER_TRANSPORT_UNAVAILABLE' as const;

  constructor(options: HkubeErrorOptions = {}) {
    super(`the zeromq module is not available, peer data transfer is off${causeText(options.cause)}`, options);
  }
}

/** The data server could not bind its ports (`DISCOVERY_PORT` and `DISCOVERY_PORT + 1`). */
export class PeerServerStartError extends PeerTransportError {
  readonly code = 'PEER_SERVER_START_FAILED' as const;
  /** The data port. */
  readonly port: number;

  constructor(port: number, options: HkubeErrorOptions = {}) {
    super(`the peer data server cannot listen on ports ${port} and ${port + 1}${causeText(options.cause)}`, options);
    this.port = port;
  }
}

/** A peer did not answer in time: the ping (`DISCOVERY_NETWORK_TIMEOUT`) or the request (`DISCOVERY_TIMEOUT`). */
export class PeerTimeoutError extends PeerTransportError {
  readonly code = 'PEER_TIMEOUT' as const;
  /** The peer's `host:port`. */
  readonly peer: string;
  /** Which exchange timed out. */
  readonly stage: 'ping' | 'request';
  /** The timeout, in ms. */
  readonly timeoutMs: number;

  constructor(peer: string, stage: 'ping' | 'request', timeoutMs: number) {
    super(`peer ${peer} did not answer the ${stage} within ${timeoutMs} ms`);
    this.peer = peer;
    this.stage = stage;
    this.timeoutMs = timeoutMs;
  }
}

/** A peer answered something other than the protocol's reply (a ping not answered by `pong`, a bad port). */
export class PeerReplyError extends PeerTransportError {
  readonly code = 'PEER_REPLY_INVALID' as const;
  /** The peer's `host:port`. */
  readonly peer: string;

  constructor(peer: string, problem: string, options: HkubeErrorOptions = {}) {
    super(`peer ${peer}: ${problem}${causeText(options.cause)}`, options);
    this.peer = peer;
  }
}
