/**
 * What a virtual worker needs from whatever runs its algorithm: a connection to speak the protocol
 * over, and a way to end it. Two implementations: an in-process wrapper on an in-memory pipe
 * (`in-process-backend.ts`) and an external process on a WebSocket (`processes/process-backend.ts`).
 */
import type { RawFrame, SocketCodec } from '@hkube-ts/protocol';

/** Why a connection closed. */
export interface PeerCloseInfo {
  readonly code: number;
  readonly reason: string;
}

/** The worker's end of one connection: frames out, frames in, close. */
export interface FramePeer {
  /** Sends one frame (ignored once closed). */
  send(frame: string | Buffer): void;
  /** Registers the listener of incoming frames. */
  onFrame(listener: (frame: RawFrame) => void): void;
  /** Registers a listener called once when the connection closes, from either side. */
  onClose(listener: (info: PeerCloseInfo) => void): void;
  /** Closes the connection. */
  close(code?: number, reason?: string): void;
}

/** An established connection and what the wrapper asked for on it (worker-protocol §1.3). */
export interface WorkerConnection {
  readonly peer: FramePeer;
  /** The socket codec of the `encoding` query. */
  readonly codec: SocketCodec;
  /** The `storage` query: `v1` (the worker resolves and stores) or `v3` (the wrapper does; `v2` is read as `v3`). */
  readonly storageMode: 'v1' | 'v3';
}

/** Runs one algorithm instance for a virtual worker. */
export interface WorkerBackend {
  /** For messages, e.g. `process "node bin.js"`. */
  readonly description: string;
  /**
   * Starts the algorithm and resolves once it connected. Rejects with a typed error when it never will
   * (the process exited, did not connect in time, asked for an unusable encoding) or when `signal` aborts.
   */
  connect(signal: AbortSignal): Promise<WorkerConnection>;
  /**
   * Once the algorithm has ended (process exit, wrapper stopped serving), an error describing how,
   * suitable as a task failure; `undefined` while it runs. `whenEnded(ms)` waits up to `ms` for it.
   */
  whenEnded(ms: number, when: string): Promise<Error | undefined>;
  /** Ends the algorithm: lets it end by itself for `graceMs` (after `exit`), then forces it. Idempotent. */
  dispose(graceMs: number): Promise<void>;
}
