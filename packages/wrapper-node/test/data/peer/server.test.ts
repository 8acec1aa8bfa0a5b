import { Dealer, Request } from 'zeromq';
import { describe, expect, it } from 'vitest';
import { encodeStored, getCodec, readHeader } from '@hkube-ts/protocol';
import { useCleanup, useServers } from './helpers.js';

const msgpack = getCodec('msgpack');
const startServer = useServers();
const cleanup = useCleanup();

/** A raw REQ client, as HKube's Node and Python clients use. */
async function ask(port: number, frames: (Buffer | string)[]): Promise<Buffer[]> {
  const socket = new Request({ linger: 0, receiveTimeout: 5000 });
  cleanup(() => socket.close());
  socket.connect(`tcp://127.0.0.1:${port}`);
  await socket.send(frames);
  return socket.receive();
}

function decodePairs(frames: Buffer[]): unknown[] {
  const values: unknown[] = [];
  for (let i = 0; i < frames.length; i += 2) {
    const header = readHeader(frames[i] as Buffer);
    const payload = frames[i + 1] as Buffer;
    values.push(header?.dataType === 1 ? payload : (msgpack.decode(payload) as { value: unknown }).value);
  }
  return values;
}

describe('PeerDataServer', () => {
  it('answers {tasks} with header + payload per task in request order, notAvailable for unknown ids', async () => {
    const server = await startServer();
    const a = encodeStored({ a: [1, 2, 3] }, msgpack);
    const b = encodeStored(Buffer.from('raw bytes'), msgpack);
    expect(server.offer('A', a)).toBe(true);
    expect(server.offer('B', b)).toBe(true);

    const frames = await ask(server.port, [msgpack.encode({ tasks: ['B', 'nope', 'A', 'B'] })]);

    expect(frames).toHaveLength(8);
    expect(frames[0]?.equals(b.header)).toBe(true);
    expect(frames[1]?.equals(b.payload)).toBe(true);
    expect(frames[2]?.toString('hex')).toBe('010802030000484b');
    expect(decodePairs(frames)).toEqual([Buffer.from('raw bytes'), { hkube_error: { code: 'notAvailable', message: 'taskId notAvailable' } }, { a: [1, 2, 3] }, Buffer.from('raw bytes')]);
    expect(server.stats).toMatchObject({ requests: 1, served: 3, notAvailable: 1 });
    expect(server.isServing).toBe(true);
  });

  it('answers one unknown pair to an undecodable request, however many tasks it meant', async () => {
    const server = await startServer();
    for (const body of [Buffer.from([0xc1]), msgpack.encode({ tasks: 'A' }), msgpack.encode([1, 2])]) {
      const frames = await ask(server.port, [body]);
      expect(frames).toHaveLength(2);
      expect(decodePairs(frames)[0]).toMatchObject({ hkube_error: { code: 'unknown' } });
    }
    expect(server.stats.undecodable).toBe(3);
  });

  it('answers ping with pong on both ports', async () => {
    const server = await startServer();
    expect((await ask(server.port + 1, ['ping']))[0]?.toString()).toBe('pong');
    expect((await ask(server.port, ['ping']))[0]?.toString()).toBe('pong');
    expect(server.stats.pings).toBe(2);
    expect((await ask(server.port + 1, [msgpack.encode({ tasks: ['A'] })])).map(String)).toEqual(['']);
    expect(server.isServing).toBe(false);
  });

  it('serves concurrent requesters, each getting its own reply, also DEALERs without a delimiter', async () => {
    const server = await startServer();
    const ids = Array.from({ length: 20 }, (_, i) => `t${i}`);
    for (const id of ids) server.offer(id, encodeStored({ id }, msgpack));

    const viaReq = ids.map(async (id) => decodePairs(await ask(server.port, [msgpack.encode({ tasks: [id] })]))[0]);
    const dealer = new Dealer({ linger: 0, receiveTimeout: 5000 });
    cleanup(() => dealer.close());
    dealer.connect(`tcp://127.0.0.1:${server.port}`);
    await dealer.send([msgpack.encode({ tasks: ['t3', 't1'] })]);
    const viaDealer = decodePairs(await dealer.receive());

    expect(await Promise.all(viaReq)).toEqual(ids.map((id) => ({ id })));
    expect(viaDealer).toEqual([{ id: 't3' }, { id: 't1' }]);
  });

  it('does not hold an output larger than its cache, and evicts the least recently served', async () => {
    const server = await startServer({ maxCacheBytes: 100 });
    expect(server.offer('big', encodeStored(Buffer.alloc(200), msgpack))).toBe(false);
    expect(server.offer('x', encodeStored(Buffer.alloc(30), msgpack))).toBe(true);
    expect(server.offer('y', encodeStored(Buffer.alloc(30), msgpack))).toBe(true);
    server.get('x');
    expect(server.offer('z', encodeStored(Buffer.alloc(30), msgpack))).toBe(true);
    expect([server.get('x') !== undefined, server.get('y') !== undefined, server.get('z') !== undefined]).toEqual([true, false, true]);
  });

  it('frees its ports on close', async () => {
    const server = await startServer();
    await server.close();
    const again = await startServer({ port: server.port });
    expect(again.port).toBe(server.port);
  });
});
