import { once } from 'node:events';
import { Socket, type AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { createWebSocketTransport } from '../src/transport/ws-transport.js';
import type { TransportConnection } from '../src/transport/types.js';

// The WebSocket transport against a real `ws` server on 127.0.0.1, watching both the messages and
// the writes the client's TCP socket makes.
let server: WebSocketServer;
let peer: Promise<WebSocket>;

beforeEach(async () => {
  server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(server, 'listening');
  peer = once(server, 'connection').then(([socket]) => socket as WebSocket);
});

afterEach(async () => {
  vi.restoreAllMocks();
  for (const client of server.clients) client.terminate();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

interface Received {
  readonly messages: string[];
  /** Writes (`write` or `writev` system calls) made by the client's TCP socket since connecting. */
  writes: number;
}

type WriteMethod = (this: Socket, ...args: unknown[]) => unknown;

async function connect(): Promise<{ connection: TransportConnection; received: Received; socket: WebSocket }> {
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const connection = await createWebSocketTransport({ url }).connect({ onFrame: () => undefined, onClose: () => undefined });
  const socket = await peer;
  const received: Received = { messages: [], writes: 0 };
  socket.on('message', (data: Buffer, isBinary: boolean) => received.messages.push(`${isBinary ? 'binary' : 'text'}:${data.toString()}`));
  const serverSide = (socket as unknown as { _socket: Socket })._socket;
  const prototype = Socket.prototype as unknown as Record<'_write' | '_writev', WriteMethod>;
  for (const method of ['_write', '_writev'] as const) {
    const original = prototype[method];
    vi.spyOn(prototype, method).mockImplementation(function (this: Socket, ...args: unknown[]) {
      if (this !== serverSide) received.writes++;
      return original.apply(this, args);
    });
  }
  return { connection, received, socket };
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('the WebSocket transport', () => {
  it('sends the frames of one event-loop turn as separate messages, in order, in one TCP write', async () => {
    const { connection, received } = await connect();
    await Promise.resolve().then(async () => {
      await connection.send('started');
      await connection.send(Buffer.from('done'));
    });
    await until(() => received.messages.length === 2);
    expect(received.messages).toEqual(['text:started', 'binary:done']);
    expect(received.writes).toBe(1);

    // Later turns are not held back by the batching.
    setTimeout(() => void connection.send('later'), 10);
    await until(() => received.messages.length === 3);
    expect(received.messages[2]).toBe('text:later');
    await connection.close();
  });

  it('delivers frames sent just before close, then closes normally', async () => {
    const { connection, received, socket } = await connect();
    const closed = once(socket, 'close');
    void connection.send('last');
    await connection.close(1000, 'exit');
    const [code] = (await closed) as [number];
    expect(received.messages).toEqual(['text:last']);
    expect(code).toBe(1000);
  });
});
