import type { RawFrame } from '@hkube-ts/protocol';

/** Why a connection closed: the WebSocket close code and reason. */
export interface CloseInfo {
  /** The close code (1000 normal, 1006 abnormal, 1009 too big, 4001 debugger already connected, …). */
  readonly code: number;
  /** The close reason, possibly empty. */
  readonly reason: string;
}

/** Callbacks a transport calls for the life of one connection. */
export interface TransportHandlers {
  /** A complete frame arrived: a string for a text frame, bytes for a binary one. */
  onFrame(frame: RawFrame): void;
  /** The connection closed, from either side. Called once. */
  onClose(info: CloseInfo): void;
}

/** An open connection to a worker. */
export interface TransportConnection {
  /**
   * Queues one frame, in order; resolves once it is queued (write failures surface as a close).
   * Rejects when the connection is closed.
   */
  send(frame: string | Buffer): Promise<void>;
  /** Closes the connection (idempotent). */
  close(code?: number, reason?: string): Promise<void>;
}

/**
 * How the wrapper reaches its worker: a WebSocket in a pod ({@link createWebSocketTransport}), or an
 * in-memory pipe when the emulator runs the algorithm in its own process.
 */
export interface Transport {
  /** A description for logs, e.g. the URL. */
  readonly description: string;
  /** Opens the connection. Rejects with a typed error when it cannot (or when `signal` aborts). */
  connect(handlers: TransportHandlers, signal?: AbortSignal): Promise<TransportConnection>;
}
