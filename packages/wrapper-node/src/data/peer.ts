/**
 * The contract of a client of HKube's peer data servers (ZeroMQ DataServer, data-plane spec §3).
 * Only the interface lives here; the implementation comes with the peer transport.
 *
 * @module
 */
import type { DiscoveryInfo } from './types.js';

/** A task result the peer delivered, already decoded. */
export interface PeerFetchSuccess {
  /** Success marker. */
  readonly ok: true;
  /** The decoded value (a raw payload is returned as its bytes). */
  readonly value: unknown;
  /** The payload length in bytes, used as the value's size in the input cache. */
  readonly size: number;
}

/** A task the peer did not deliver (`hkube_error` reply, timeout, undecodable payload, …). */
export interface PeerFetchFailure {
  /** Failure marker. */
  readonly ok: false;
  /** Why; typically a `PeerFetchError`. */
  readonly error: Error;
}

/** The outcome for one requested task. */
export type PeerFetchResult = PeerFetchSuccess | PeerFetchFailure;

/**
 * Fetches task results from a producer's data server. The resolver asks each peer once per
 * resolution for all the tasks it needs from it and falls back to storage for every task that
 * fails.
 *
 * Contract: resolve with exactly one result per requested task id, in request order. A rejection,
 * or a reply of the wrong length, counts as a failure of every requested task. An aborted `signal`
 * should end the request promptly.
 */
export interface PeerClient {
  /** Requests `taskIds` from the data server at `discovery`. */
  fetch(discovery: DiscoveryInfo, taskIds: readonly string[], signal?: AbortSignal): Promise<readonly PeerFetchResult[]>;
}
