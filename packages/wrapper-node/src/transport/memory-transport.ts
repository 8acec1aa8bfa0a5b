import { ConnectError } from '../errors.js';
import type { CloseInfo, Transport, TransportConnection, TransportHandlers } from './types.js';

/** A frame on the pipe: a string for a text frame (json), bytes for a binary one. */
export type MemoryFrame = string | Buffer;

/**
 * The worker's end of a {@link MemoryPipe}: what a WebSocket server would see of one client.
 * Frames are the encoded bytes (or text) the wrapper's codec produced; the peer decodes them itself.
 */
export interface MemoryPipePeer {
  /** Sends one frame to the wrapper (queued until the wrapper connects). Ignored once closed. */
  send(frame: MemoryFrame): void;
  /** Registers a listener for the frames the wrapper sends. */
  onFrame(listener: (frame: MemoryFrame) => void): void;
  /** Registers a listener called once when the connection closes, from either side. */
  onClose(listener: (info: CloseInfo) => void): void;
  /** Closes the connection (idempotent); the wrapper sees `onClose` with this code. */
  close(code?: number, reason?: string): void;
  /** True once either side closed. */
  readonly closed: boolean;
}

/** An in-memory connection between a wrapper ({@link MemoryPipe.transport}) and a worker ({@link MemoryPipe.peer}). */
export interface MemoryPipe {
  /** Give it to `run({ transport })` or `AlgorithmRunner.serve`. It connects once. */
  readonly transport: Transport;
  /** The worker's end. */
  readonly peer: MemoryPipePeer;
}

/** Options of {@link createMemoryPipe}. */
export interface MemoryPipeOptions {
  /** What the wrapper logs as the worker's address (default `memory://worker`). */
  readonly description?: string;
}

type Event = { readonly frame: MemoryFrame } | { readonly close: CloseInfo };

/**
 * One direction of the pipe: events are delivered in order, asynchronously (one `setImmediate` per
 * burst), never re-entrantly from the sender's call.
 */
class Direction {
  readonly #queue: Event[] = [];
  #scheduled = false;
  #frameListeners: ((frame: MemoryFrame) => void)[] = [];
  #closeListeners: ((info: CloseInfo) => void)[] = [];
  /** Frames wait here until a receiver is attached (the wrapper side connects later). */
  #attached: boolean;
  #dropFrames = false;

  constructor(attached: boolean) {
    this.#attached = attached;
  }

  onFrame(listener: (frame: MemoryFrame) => void): void {
    this.#frameListeners.push(listener);
  }

  onClose(listener: (info: CloseInfo) => void): void {
    this.#closeListeners.push(listener);
  }

  attach(): void {
    this.#attached = true;
    this.#schedule();
  }

  push(event: Event): void {
    if ('frame' in event && this.#dropFrames) return;
    this.#queue.push(event);
    this.#schedule();
  }

  /** The receiver closed the connection itself: frames still on their way to it are dropped. */
  dropPendingFrames(): void {
    this.#dropFrames = true;
    for (let i = this.#queue.length - 1; i >= 0; i -= 1) if ('frame' in this.#queue[i]!) this.#queue.splice(i, 1);
  }

  #schedule(): void {
    if (this.#scheduled || !this.#attached || this.#queue.length === 0) return;
    this.#scheduled = true;
    setImmediate(() => this.#drain());
  }

  #drain(): void {
    this.#scheduled = false;
    const events = this.#queue.splice(0, this.#queue.length);
    for (const event of events) {
      if ('frame' in event) {
        for (const listener of this.#frameListeners) listener(event.frame);
      } else {
        const listeners = this.#closeListeners;
        this.#closeListeners = [];
        this.#frameListeners = [];
        for (const listener of listeners) listener(event.close);
      }
    }
  }
}

/**
 * A generic in-memory frame pipe with the semantics of one WebSocket connection: frames keep their
 * order, are delivered asynchronously, a close is seen once by both ends, and nothing is delivered
 * after it. The wrapper cannot tell it from a socket: it still encodes and decodes every message
 * with its codec, so values go through real serialization.
 *
 * @example
 * ```ts
 * const { transport, peer } = createMemoryPipe();
 * const codec = createSocketCodec('msgpack');
 * peer.onFrame((frame) => console.log(codec.readAlgorithmMessage(frame)));
 * const serving = run(algorithm, { transport, exitProcess: false, env: { WORKER_ALGORITHM_ENCODING: 'msgpack' } });
 * peer.send(codec.encode({ command: 'initialize', data: payload }));
 * ```
 */
export function createMemoryPipe(options: MemoryPipeOptions = {}): MemoryPipe {
  const description = options.description ?? 'memory://worker';
  const toWrapper = new Direction(false);
  const toPeer = new Direction(true);
  let closed = false;
  let connected = false;

  const close = (info: CloseInfo, closer: 'wrapper' | 'peer'): void => {
    if (closed) return;
    closed = true;
    (closer === 'wrapper' ? toWrapper : toPeer).dropPendingFrames();
    toWrapper.push({ close: info });
    toPeer.push({ close: info });
  };

  const peer: MemoryPipePeer = {
    send: (frame) => {
      if (!closed) toWrapper.push({ frame });
    },
    onFrame: (listener) => toPeer.onFrame(listener),
    onClose: (listener) => toPeer.onClose(listener),
    close: (code = 1000, reason = '') => close({ code, reason }, 'peer'),
    get closed() {
      return closed;
    },
  };

  const connection: TransportConnection = {
    send: (frame) => {
      if (closed) return Promise.reject(new Error('the connection to the worker is closed'));
      toPeer.push({ frame });
      return Promise.resolve();
    },
    close: (code = 1000, reason = '') => {
      close({ code, reason }, 'wrapper');
      return Promise.resolve();
    },
  };

  const transport: Transport = {
    description,
    connect(handlers: TransportHandlers, signal?: AbortSignal): Promise<TransportConnection> {
      if (signal?.aborted === true) return Promise.reject(new ConnectError(description, 0, { cause: signal.reason }));
      if (connected || closed) {
        return Promise.reject(new ConnectError(description, 1, { cause: new Error('an in-memory pipe connects only once') }));
      }
      connected = true;
      toWrapper.onFrame((frame) => handlers.onFrame(frame));
      toWrapper.onClose((info) => handlers.onClose(info));
      toWrapper.attach();
      return Promise.resolve(connection);
    },
  };

  return { transport, peer };
}
