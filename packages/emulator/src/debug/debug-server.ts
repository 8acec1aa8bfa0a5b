/**
 * The emulator's stand-in for HKube's debug relay (worker-protocol §1.6): one WebSocket server on
 * 127.0.0.1 where a developer-run wrapper attaches at `/hkube/debug/<algorithmName>`. One client per
 * algorithm at a time; a second one gets `alreadyConnectedError {hostname}` and close 4001. A client
 * that attaches before a task waits is parked until one does.
 */
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { ensureError, type SocketCodec } from '@hkube-ts/protocol';
import type { WorkerConnection } from '../worker/backend.js';
import { socketPeer } from '../processes/socket-peer.js';
import { readWorkerQuery } from '../processes/worker-query.js';

/** The relay's `maxPayload` (worker-protocol §1.6). */
const MAX_PAYLOAD = 1e8;
/** The path a debugger attaches at. */
const DEBUG_PATH = /^\/hkube\/debug\/([^/]+)\/?$/;

interface Client {
  readonly socket: WebSocket;
  readonly codec: SocketCodec;
  readonly hostname: string;
  leased: boolean;
}

interface Waiter {
  readonly resolve: (connection: WorkerConnection) => void;
}

interface Slot {
  client: Client | undefined;
  readonly waiters: Waiter[];
}

/** Options of {@link DebugServer}. */
export interface DebugServerOptions {
  /** The port to listen on (0: a free one). */
  readonly port: number;
}

/** Where debuggers attach, shared by every job of an emulator. */
export class DebugServer {
  readonly #options: DebugServerOptions;
  readonly #slots = new Map<string, Slot>();
  #server: Promise<WebSocketServer> | undefined;
  #port: number | undefined;

  constructor(options: DebugServerOptions) {
    this.#options = options;
  }

  /** Starts listening (once) and resolves with the port. */
  async listen(): Promise<number> {
    this.#server ??= new Promise<WebSocketServer>((resolve, reject) => {
      const server = new WebSocketServer({ host: '127.0.0.1', port: this.#options.port, perMessageDeflate: false, maxPayload: MAX_PAYLOAD });
      server.once('listening', () => resolve(server));
      server.once('error', reject);
      server.on('connection', (socket, request) => this.#onConnection(socket, request));
    });
    const server = await this.#server;
    this.#port = (server.address() as AddressInfo).port;
    return this.#port;
  }

  /** The URL a debugger of `algorithmName` attaches at (the server must be listening). */
  url(algorithmName: string): string {
    return `ws://127.0.0.1:${this.#port ?? this.#options.port}/hkube/debug/${encodeURIComponent(algorithmName)}`;
  }

  /** Whether a debugger of `algorithmName` is attached and free to take a task. */
  hasParkedClient(algorithmName: string): boolean {
    const client = this.#slots.get(algorithmName)?.client;
    return client !== undefined && !client.leased;
  }

  /**
   * Resolves with the connection of the next debugger of `algorithmName` (at once when one is parked);
   * rejects with `signal`'s reason when it aborts first. Storage is v1 whatever the client asked for.
   */
  attach(algorithmName: string, signal: AbortSignal): Promise<WorkerConnection> {
    signal.throwIfAborted();
    const slot = this.#slot(algorithmName);
    const parked = slot.client;
    if (parked !== undefined && !parked.leased) return Promise.resolve(this.#lease(parked));
    return new Promise<WorkerConnection>((resolve, reject) => {
      const waiter: Waiter = {
        resolve: (connection) => {
          signal.removeEventListener('abort', onAbort);
          resolve(connection);
        },
      };
      const onAbort = (): void => {
        const index = slot.waiters.indexOf(waiter);
        if (index >= 0) slot.waiters.splice(index, 1);
        reject(ensureError(signal.reason));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      slot.waiters.push(waiter);
    });
  }

  /** Closes every debugger connection and the server. */
  async close(): Promise<void> {
    const server = await this.#server?.catch(() => undefined);
    if (server === undefined) return;
    for (const client of server.clients) client.terminate();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  #slot(algorithmName: string): Slot {
    let slot = this.#slots.get(algorithmName);
    if (slot === undefined) {
      slot = { client: undefined, waiters: [] };
      this.#slots.set(algorithmName, slot);
    }
    return slot;
  }

  #lease(client: Client): WorkerConnection {
    client.leased = true;
    return { peer: socketPeer(client.socket), codec: client.codec, storageMode: 'v1' };
  }

  #onConnection(socket: WebSocket, request: IncomingMessage): void {
    socket.on('error', () => undefined);
    const url = new URL(request.url ?? '/', 'ws://127.0.0.1');
    const match = DEBUG_PATH.exec(url.pathname);
    if (match?.[1] === undefined) {
      socket.close(1008, 'debuggers attach at /hkube/debug/<algorithmName>');
      return;
    }
    const algorithmName = decodeURIComponent(match[1]);
    let codec: SocketCodec;
    try {
      // The relay ignores `storage`: the socket is always v1.
      url.searchParams.delete('storage');
      codec = readWorkerQuery(algorithmName, `/?${url.searchParams.toString()}`).codec;
    } catch (error) {
      socket.close(1008, ensureError(error).message.slice(0, 120));
      return;
    }
    const slot = this.#slot(algorithmName);
    if (slot.client !== undefined) {
      socket.send(codec.encode({ command: 'alreadyConnectedError', data: { hostname: slot.client.hostname } }));
      socket.close(4001, 'another debugger is already connected');
      return;
    }
    const client: Client = { socket, codec, hostname: request.socket.remoteAddress ?? 'unknown', leased: false };
    slot.client = client;
    socket.once('close', () => {
      if (slot.client === client) slot.client = undefined;
    });
    const waiter = slot.waiters.shift();
    if (waiter !== undefined) waiter.resolve(this.#lease(client));
  }
}
