import { describe, expect, it } from 'vitest';
import { encodeStored, getCodec, taskOutputPath } from '@hkube-ts/protocol';
import {
  MemoryStorageAdapter, PeerTimeoutError, PeerTransportUnavailableError, ZmqPeerClient, resolveInput,
  type PeerFetchError, type PeerFetchResult, type StorageLinks,
} from '../../../src/data/index.js';
import { SpyAdapter } from '../helpers/adapters.js';
import { freePortPair, useServers } from './helpers.js';
import { RequestLedger, useHoldingPeers } from './holding-peer.js';

const msgpack = getCodec('msgpack');
const bson = getCodec('bson');
const startServer = useServers();
const startHoldingPeer = useHoldingPeers();

function values(results: readonly PeerFetchResult[]): unknown[] {
  return results.map((result) => (result.ok ? result.value : `failed: ${(result.error as PeerFetchError).peerCode ?? '-'}`));
}

/** Storage holding `A`, `B`, `C` of job1 (bson), as a producer wrote them. */
async function storageWith(outputs: Record<string, unknown>): Promise<SpyAdapter> {
  const inner = new MemoryStorageAdapter();
  for (const [taskId, value] of Object.entries(outputs)) await inner.put(taskOutputPath('local', 'job1', taskId), encodeStored(value, bson));
  return new SpyAdapter(inner);
}

describe('ZmqPeerClient', () => {
  it('fetches several tasks from one server in request order, a port given as a string', async () => {
    const server = await startServer();
    server.offer('A', encodeStored({ a: 1 }, msgpack));
    server.offer('B', encodeStored(Buffer.from('bytes'), msgpack));
    const client = new ZmqPeerClient({ codec: msgpack });

    const results = await client.fetch({ host: '127.0.0.1', port: String(server.port) }, ['B', 'missing', 'A']);

    expect(values(results)).toEqual([Buffer.from('bytes'), 'failed: notAvailable', { a: 1 }]);
    expect(results[0]).toMatchObject({ ok: true, size: 5 });
  });

  it('decodes each payload with the codec its header names, whatever DISCOVERY_ENCODING is', async () => {
    // The producer stores in msgpack and serves with bson; we speak json: only byte 3 tells.
    const server = await startServer({ encoding: 'bson' });
    server.offer('A', encodeStored({ deep: [1, 'x'] }, msgpack));
    const client = new ZmqPeerClient({ codec: getCodec('bson') });
    expect(values(await client.fetch({ host: '127.0.0.1', port: server.port }, ['A', 'gone']))).toEqual([{ deep: [1, 'x'] }, 'failed: notAvailable']);
  });

  it('fails every task, without throwing, when nothing listens', async () => {
    const client = new ZmqPeerClient({ codec: msgpack, networkTimeoutMs: 150 });
    const results = await client.fetch({ host: '127.0.0.1', port: await freePortPair() }, ['A', 'B']);
    expect(results).toHaveLength(2);
    for (const result of results) {
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.cause).toBeInstanceOf(PeerTimeoutError);
    }
  });

  it('fails every task when the peer pongs but never answers the request', async () => {
    const ledger = new RequestLedger();
    const port = await startHoldingPeer(ledger);
    const client = new ZmqPeerClient({ codec: msgpack, timeoutMs: 200 });

    const [result] = await client.fetch({ host: '127.0.0.1', port }, ['A']);

    expect(ledger.arrivals).toEqual([['A']]);
    expect(result?.ok).toBe(false);
    if (result?.ok === false) expect((result.error.cause as PeerTimeoutError).stage).toBe('request');
  });

  it('reads our own server without the network (local short-circuit)', async () => {
    const server = await startServer();
    server.offer('A', encodeStored({ own: true }, msgpack));
    const client = new ZmqPeerClient({ codec: msgpack, local: () => ({ host: '10.0.0.7', port: server.port, get: (id) => server.get(id) }) });
    expect(values(await client.fetch({ host: '10.0.0.7', port: `${server.port}` }, ['A', 'B']))).toEqual([{ own: true }, 'failed: notAvailable']);
    expect(server.stats.requests).toBe(0);
  });

  it('fails every task with PeerTransportUnavailableError when zeromq cannot be loaded', async () => {
    const client = new ZmqPeerClient({ codec: msgpack, zeromq: () => Promise.reject(new PeerTransportUnavailableError()) });
    const [result] = await client.fetch({ host: '127.0.0.1', port: 9020 }, ['A']);
    expect(result?.ok === false && result.error.cause).toBeInstanceOf(PeerTransportUnavailableError);
  });

  it('rejects with the abort reason when the signal aborts', async () => {
    const client = new ZmqPeerClient({ codec: msgpack, networkTimeoutMs: 60_000 });
    const controller = new AbortController();
    const fetching = client.fetch({ host: '127.0.0.1', port: await freePortPair() }, ['A'], controller.signal);
    controller.abort(new Error('stop'));
    await expect(fetching).rejects.toThrow('stop');
  });
});

describe('resolveInput with the peer client', () => {
  it('reads served tasks from the peer and the others from storage, keeping link order', async () => {
    const server = await startServer();
    server.offer('A', encodeStored({ v: 'A from peer' }, msgpack));
    server.offer('C', encodeStored({ v: 'C from peer' }, msgpack));
    const storage = await storageWith({ A: { v: 'A stored' }, B: { v: 'B stored' }, C: { v: 'C stored' } });
    const discovery = { host: '127.0.0.1', port: server.port };
    const links: StorageLinks = { k: [{ discovery, tasks: ['A', 'B', 'C'], path: 'v' }] };

    const input = await resolveInput(
      { input: ['$$k'], storage: links, jobId: 'job1', clusterName: 'local' },
      { storage, codec: bson, peer: new ZmqPeerClient({ codec: msgpack }) },
    );

    expect(input).toEqual([['A from peer', 'B stored', 'C from peer']]);
    expect(storage.gets).toEqual([taskOutputPath('local', 'job1', 'B')]);
  });

  it('falls back to storage for every link of a dead peer', async () => {
    const storage = await storageWith({ A: [1, 2] });
    const port = await freePortPair();
    const links: StorageLinks = { k: { discovery: { host: '127.0.0.1', port }, taskId: 'A', storageInfo: { path: taskOutputPath('local', 'job1', 'A') }, path: '1' } };
    const input = await resolveInput(
      { input: ['$$k'], storage: links, jobId: 'job1', clusterName: 'local' },
      { storage, codec: bson, peer: new ZmqPeerClient({ codec: msgpack, networkTimeoutMs: 150 }) },
    );
    expect(input).toEqual([2]);
  });
});
