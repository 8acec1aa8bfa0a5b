import { Encoding } from '@hkube/encoding';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/** A message as the worker's handlers see it. */
export interface Frame {
  readonly command: string;
  readonly data?: unknown;
  readonly error?: { code?: string; message?: string; details?: unknown };
}

/**
 * A stand-in for HKube's worker on 127.0.0.1: a `ws` server that frames with `@hkube/encoding`
 * (the worker's own library) in whatever encoding the client asks for in its query, records every
 * frame it receives and lets a test script the conversation.
 */
export class ScriptedWorker {
  readonly received: Frame[] = [];
  readonly #server: WebSocketServer;
  #socket: WebSocket | undefined;
  #encoding: Encoding | undefined;
  #waiters: Array<() => void> = [];
  #closed: Promise<{ code: number }> | undefined;
  query: URLSearchParams = new URLSearchParams();
  path = '';
  rawFrames: Array<{ isBinary: boolean; bytes: Buffer }> = [];
  connections = 0;

  private constructor(server: WebSocketServer) {
    this.#server = server;
    server.on('connection', (socket, request) => {
      this.connections++;
      const url = new URL(request.url ?? '/', 'ws://x');
      this.query = url.searchParams;
      this.path = url.pathname;
      this.#encoding = new Encoding({ type: this.query.get('encoding') ?? 'json' });
      this.#socket = socket;
      this.#closed = new Promise((resolve) => socket.once('close', (code) => resolve({ code })));
      socket.on('message', (data: Buffer, isBinary: boolean) => {
        this.rawFrames.push({ isBinary, bytes: data });
        const decoded = this.#encoding!.decode(isBinary ? data : data.toString()) as Frame;
        this.received.push(decoded);
        const waiters = this.#waiters;
        this.#waiters = [];
        waiters.forEach((wake) => wake());
      });
      const waiters = this.#waiters;
      this.#waiters = [];
      waiters.forEach((wake) => wake());
    });
  }

  static async start(): Promise<ScriptedWorker> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    return new ScriptedWorker(server);
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  get encodingName(): string {
    return this.query.get('encoding') ?? 'json';
  }

  /** Waits until a client is connected. */
  async connected(timeoutMs = 10_000): Promise<void> {
    await this.#until(() => this.#socket !== undefined, timeoutMs, 'a connection');
  }

  /** Sends a message framed exactly as the worker frames it. */
  send(message: Frame): void {
    const frame = this.#encoding!.encode(message);
    this.#socket!.send(frame, { binary: typeof frame !== 'string' });
  }

  /** Sends bytes as they are (malformed-frame tests). */
  sendRaw(frame: Buffer | string, binary = typeof frame !== 'string'): void {
    this.#socket!.send(frame, { binary });
  }

  /** Waits for the n-th received frame with this command (after `from`), and returns it. */
  async next(command: string, timeoutMs = 10_000, from = 0): Promise<Frame> {
    let found: Frame | undefined;
    await this.#until(() => (found = this.received.slice(from).find((f) => f.command === command)) !== undefined, timeoutMs, `'${command}'`);
    return found!;
  }

  /** Commands received so far, in order. */
  get commands(): string[] {
    return this.received.map((f) => f.command);
  }

  /** Resolves when the client closes. */
  async closed(timeoutMs = 10_000): Promise<{ code: number }> {
    await this.connected(timeoutMs);
    return await Promise.race([
      this.#closed!,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the client did not close')), timeoutMs).unref()),
    ]);
  }

  /** Closes the client's connection with a code (e.g. 4001, as the debug relay does). */
  closeClient(code: number, reason = ''): void {
    this.#socket?.close(code, reason);
  }

  async close(): Promise<void> {
    for (const client of this.#server.clients) client.terminate();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; received: ${this.commands.join(', ') || 'nothing'}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 50));
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}
