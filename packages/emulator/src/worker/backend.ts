/**
 * What a virtual worker needs from whatever runs its algorithm: a connection to speak the protocol
 * over, and a way to end it. Two implementations: an in-process wrapper on an in-memory pipe
 * (`in-process-backend.ts`) and an external process on a WebSocket (`processes/process-backend.ts`).
 */
import type { DiscoveryAddress, RawFrame, SocketCodec } from '@hkube-ts/protocol';
import type { StreamTransport } from '@hkube-ts/wrapper-node';

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

/**
 * Where the stream producer of one algorithm instance serves (data-plane §4.1): the address the
 * emulator advertises in discovery, the environment that makes the wrapper bind it
 * (`STREAMING_DISCOVERY_PORT`, …), and for an in-process wrapper the transport it uses.
 */
export interface StreamEndpoint {
  readonly address: DiscoveryAddress;
  readonly env: Readonly<Record<string, string>>;
  /** In-process wrappers on an in-memory network only (without it a wrapper uses its own ZeroMQ transport). */
  readonly transport?: StreamTransport;
}

/** Runs one algorithm instance for a virtual worker. */
export interface WorkerBackend {
  /** For messages, e.g. `process "node bin.js"`. */
  readonly description: string;
  /** The stream producer's address once connected, for backends of stream jobs. */
  readonly streamAddress?: DiscoveryAddress | undefined;
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
