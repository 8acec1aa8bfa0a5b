import WebSocket from 'ws';
import { ConnectError } from '../errors.js';
import type { CloseInfo, Transport, TransportConnection, TransportHandlers } from './types.js';

/** Options of {@link createWebSocketTransport}. */
export interface WebSocketTransportOptions {
  /** The full URL, query included (see `buildWorkerUrl`). */
  readonly url: string;
  /** Largest frame accepted, in bytes (`WORKER_SOCKET_MAX_PAYLOAD_BYTES`, default 1e8 like the worker). */
  readonly maxPayload?: number;
  /** Pause between connection attempts (default 100 ms). */
  readonly retryIntervalMs?: number;
  /** Give up after this long without a connection (default: keep trying, as a pod must). */
  readonly connectTimeoutMs?: number;
  /** Called when an attempt fails, e.g. to log that the worker is not up yet. */
  readonly onRetry?: (attempt: number, error: Error) => void;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

function openOnce(url: string, maxPayload: number, handlers: TransportHandlers): Promise<WebSocketConnection> {
  return new Promise((resolve, reject) => {
    // perMessageDeflate off: HKube's server never negotiates it, and the client default is on.
    const socket = new WebSocket(url, { perMessageDeflate: false, maxPayload });
    // Listeners go on before 'open': a frame that arrives with the upgrade response is emitted in the
    // same tick as 'open', before any promise continuation could attach them.
    const connection = new WebSocketConnection(socket, handlers);
    const onError = (error: Error): void => {
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.terminate();
      reject(error);
    };
    socket.once('error', onError);
    socket.once('unexpected-response', (_req, res) => onError(new Error(`unexpected HTTP ${res.statusCode} from ${url}`)));
    socket.once('open', () => {
      socket.removeListener('error', onError);
      connection.opened = true;
      resolve(connection);
    });
  });
}

const SENT: Promise<void> = Promise.resolve();
const BINARY = { binary: true } as const;
const TEXT = { binary: false } as const;

/** What the connection needs of the TCP socket under `ws` (its `_socket`, a `net.Socket`). */
interface CorkableStream {
  cork(): void;
  uncork(): void;
}

function rawStream(socket: WebSocket): CorkableStream | undefined {
  const raw = (socket as unknown as { _socket?: Partial<CorkableStream> | null })._socket;
  return typeof raw?.cork === 'function' && typeof raw.uncork === 'function' ? (raw as CorkableStream) : undefined;
}

class WebSocketConnection implements TransportConnection {
  readonly #socket: WebSocket;
  #closed = false;
  /** The TCP socket, corked while frames of the current event-loop turn pile up (see {@link send}). */
  #raw: CorkableStream | undefined;
  #corked = false;
  readonly #uncork = (): void => {
    this.#corked = false;
    this.#raw?.uncork();
  };
  readonly #afterSend = (error?: Error | null): void => {
    if (error) this.#socket.terminate();
  };
  /** Set once the handshake completed; a failed attempt never reports a close to the handlers. */
  opened = false;

  constructor(socket: WebSocket, handlers: TransportHandlers) {
    this.#socket = socket;
    socket.on('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
      // ws hands text frames over as bytes too; json expects a string.
      if (isBinary) handlers.onFrame(data);
      else handlers.onFrame(Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)]).toString('utf8'));
    });
    // Errors are followed by 'close', which is where the runner learns about them.
    socket.on('error', () => undefined);
    socket.once('close', (code: number, reason: Buffer) => {
      this.#closed = true;
      if (!this.opened) return;
      const info: CloseInfo = { code, reason: reason.toString('utf8') };
      handlers.onClose(info);
    });
  }

  send(frame: string | Buffer): Promise<void> {
    if (this.#closed || this.#socket.readyState !== WebSocket.OPEN) {
      return Promise.reject(new Error('the connection to the worker is closed'));
    }
    // Frames sent in one event-loop turn (a quick task's `started` and `done`) leave in one write:
    // ws writes each frame on its own, which costs a syscall and a wake-up of the worker per frame.
    // The socket is uncorked on the next tick, once this turn's promise continuations have run.
    if (!this.#corked) {
      this.#raw ??= rawStream(this.#socket);
      if (this.#raw !== undefined) {
        this.#corked = true;
        this.#raw.cork();
        process.nextTick(this.#uncork);
      }
    }
    // Queued in order by ws; not waiting for the write to complete keeps a task's frames from each
    // costing an event-loop turn. A failed write closes the socket, which the runner sees.
    this.#socket.send(frame, typeof frame === 'string' ? TEXT : BINARY, this.#afterSend);
    return SENT;
  }

  close(code = 1000, reason = ''): Promise<void> {
    if (this.#closed || this.#socket.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#socket.terminate();
        resolve();
      }, 2000);
      this.#socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.#socket.close(code, reason);
    });
  }
}

/**
 * A WebSocket client transport (the `ws` package) that retries until the worker accepts the first
 * connection. It never reconnects afterwards: a real worker treats a dropped socket as a crash.
 *
 * @example
 * ```ts
 * const transport = createWebSocketTransport({ url: 'ws://localhost:3000?encoding=bson&storage=v3' });
 * ```
 */
export function createWebSocketTransport(options: WebSocketTransportOptions): Transport {
  const { url, maxPayload = 1e8, retryIntervalMs = 100, connectTimeoutMs, onRetry } = options;
  return {
    description: url,
    async connect(handlers: TransportHandlers, signal?: AbortSignal): Promise<TransportConnection> {
      const deadline = connectTimeoutMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + connectTimeoutMs;
      let attempts = 0;
      let lastError: Error | undefined;
      while (!signal?.aborted && Date.now() <= deadline) {
        attempts++;
        try {
          return await openOnce(url, maxPayload, handlers);
        } catch (error) {
          lastError = error instanceof Error ? error : new Error(String(error));
          onRetry?.(attempts, lastError);
        }
        await sleep(Math.min(retryIntervalMs, Math.max(0, deadline - Date.now())), signal);
      }
      throw new ConnectError(url, attempts, { cause: signal?.aborted ? signal.reason : lastError });
    },
  };
}
