import { execFile, spawn, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { Reply, Request } from 'zeromq';
import { describe, expect, it } from 'vitest';
import { createHeader, DATA_TYPE, encodeStored, getCodec, PROTOCOL_TYPE } from '@hkube-ts/protocol';
import { ZmqPeerClient, type PeerFetchResult } from '../../../src/data/index.js';
import { FIXTURES } from '../../support/spawn-wrapper.js';
import { freePortPair, useCleanup, useServers } from './helpers.js';

const msgpack = getCodec('msgpack');
const json = getCodec('json');
const startServer = useServers();
const cleanup = useCleanup();

function values(results: readonly PeerFetchResult[]): unknown[] {
  return results.map((result) => (result.ok ? result.value : { failed: result.error.message }));
}

/** A REP-style peer exactly as HKube's Node DataServer (zeromq 5 `rep` sockets): one REP per port. */
async function startRepPeer(outputs: Record<string, { header: Buffer; payload: Buffer }>): Promise<number> {
  const port = await freePortPair();
  const data = new Reply({ linger: 0 });
  const ping = new Reply({ linger: 0 });
  cleanup(() => data.close());
  cleanup(() => ping.close());
  await data.bind(`tcp://127.0.0.1:${port}`);
  await ping.bind(`tcp://127.0.0.1:${port + 1}`);
  void (async () => {
    for await (const [frame] of ping) await ping.send(frame?.toString() === 'ping' ? 'pong' : '');
  })().catch(() => undefined);
  void (async () => {
    for await (const [frame] of data) {
      const decoded = msgpack.decode(frame as Buffer);
      const tasks = decoded.ok ? (decoded.value as { tasks: string[] }).tasks : [];
      const notAvailable = encodeStored({ hkube_error: { code: 'notAvailable', message: 'taskId notAvailable' } }, msgpack);
      await data.send(tasks.flatMap((task) => {
        const item = outputs[task] ?? notAvailable;
        return [item.header, item.payload];
      }));
    }
  })().catch(() => undefined);
  return port;
}

describe('interop with a Node peer speaking HKube framing (REP server, REQ client)', () => {
  it('our client reads a REP-style data server', async () => {
    const port = await startRepPeer({ 'n:1': encodeStored({ from: 'rep' }, msgpack), 'n:2': encodeStored(Buffer.from([1, 2, 3]), msgpack) });
    const client = new ZmqPeerClient({ codec: msgpack });
    expect(values(await client.fetch({ host: '127.0.0.1', port }, ['n:2', 'n:1', 'none']))).toEqual([
      Buffer.from([1, 2, 3]),
      { from: 'rep' },
      { failed: expect.stringContaining('notAvailable') as unknown },
    ]);
  });

  it('a plain REQ client reads our server: ping on port + 1, then {tasks} on port', async () => {
    const server = await startServer();
    server.offer('t:1', encodeStored({ served: 'by ts' }, msgpack));
    const req = async (port: number, frame: Buffer | string): Promise<Buffer[]> => {
      const socket = new Request({ linger: 0, receiveTimeout: 5000 });
      cleanup(() => socket.close());
      socket.connect(`tcp://127.0.0.1:${port}`);
      await socket.send(frame);
      return socket.receive();
    };
    expect((await req(server.port + 1, 'ping')).map(String)).toEqual(['pong']);
    const frames = await req(server.port, msgpack.encode({ tasks: ['t:1', 'x'] }));
    expect(frames.map((frame, i) => (i % 2 === 0 ? frame.toString('hex') : msgpack.decode(frame)))).toEqual([
      '010802030000484b', { ok: true, value: { served: 'by ts' } },
      '010802030000484b', { ok: true, value: { hkube_error: { code: 'notAvailable', message: 'taskId notAvailable' } } },
    ]);
  });
});

const python = '/usr/bin/python3';
const hasPyzmq = spawnSync(python, ['-c', 'import zmq'], { stdio: 'ignore' }).status === 0;
const script = join(FIXTURES, 'python-peer.py');

describe.skipIf(!hasPyzmq)('interop with a Python peer (pyzmq, the Python wrapper framing; skipped: /usr/bin/python3 cannot import zmq)', () => {
  it('the Python client fetches outputs our server serves', async () => {
    const server = await startServer({ encoding: 'json' });
    server.offer('ts:a', encodeStored({ a: [1, 'two'] }, json));
    server.offer('ts:b', { header: createHeader(DATA_TYPE.raw, PROTOCOL_TYPE.json), payload: Buffer.from('cafe', 'hex') });

    // Asynchronously: our server answers from this process's event loop.
    const run = await promisify(execFile)(python, [script, 'fetch', String(server.port), 'ts:b', 'nope', 'ts:a'], { encoding: 'utf8', timeout: 20_000 });

    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({
      frames: 6,
      values: [{ raw: 'cafe' }, { hkube_error: { code: 'notAvailable', message: 'taskId notAvailable' } }, { a: [1, 'two'] }],
    });
  });

  it('our client fetches outputs the Python server serves (ROUTER → DEALER → REP workers)', async () => {
    const port = await freePortPair();
    const peer = spawn(python, [script, 'serve', String(port)], { stdio: ['pipe', 'pipe', 'inherit'] });
    cleanup(() => peer.kill('SIGKILL'));
    await new Promise<void>((resolve, reject) => {
      peer.stdout.once('data', () => resolve());
      peer.once('exit', (code) => reject(new Error(`the Python peer exited with ${code}`)));
    });
    const client = new ZmqPeerClient({ codec: json });

    const results = await client.fetch({ host: '127.0.0.1', port: String(port) }, ['py:y', 'py:x', 'missing']);

    expect(values(results)).toEqual([
      Buffer.concat([Buffer.from([0, 1]), Buffer.from('raw from python')]),
      { x: [1, 2], from: 'python' },
      { failed: expect.stringContaining('notAvailable') as unknown },
    ]);
  });
});
