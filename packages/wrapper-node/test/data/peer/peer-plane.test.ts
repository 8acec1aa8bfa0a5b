import { describe, expect, it } from 'vitest';
import { getCodec, readDiscoveryEnv, type InitializePayload, type StorageDescriptor } from '@hkube-ts/protocol';
import {
  MemoryStorageAdapter, PeerPlane, PeerTransportUnavailableError, ZmqPeerClient, type OutputTask, type StorageAdapter, type StoragePutData,
} from '../../../src/data/index.js';
import { silentLogger } from '../../../src/logging/logger.js';
import { initializePayload } from '../../support/initialize.js';
import { freePortPair, useCleanup } from './helpers.js';

const msgpack = getCodec('msgpack');
const cleanup = useCleanup();

async function plane(env: Record<string, string> = {}, zeromq?: () => Promise<never>): Promise<PeerPlane> {
  const port = await freePortPair();
  const peer = new PeerPlane({
    env: readDiscoveryEnv({ DISCOVERY_PORT: String(port), POD_IP: '127.0.0.1', DISCOVERY_ENCODING: 'msgpack', ...env }),
    logger: silentLogger,
    bindHost: '127.0.0.1',
    zeromq,
  });
  cleanup(() => peer.close());
  return peer;
}

function payload(overrides: Record<string, unknown> = {}): InitializePayload {
  return initializePayload({ taskId: 'green:1', ...overrides }) as unknown as InitializePayload;
}

function output(savePaths: string[] = ['green']): OutputTask {
  return { result: { big: 'output' }, jobId: 'job-1', taskId: 'green:1', nodeName: 'green', savePaths, clusterName: 'local' };
}

/** Records whether the object was in storage when the server got it. */
class OrderedStorage extends MemoryStorageAdapter implements StorageAdapter {
  readonly events: string[] = [];
  override async put(path: string, data: StoragePutData, signal?: AbortSignal): Promise<void> {
    await super.put(path, data, signal);
    this.events.push(`stored ${path}`);
  }
}

describe('PeerPlane', () => {
  it('writes storage first, then serves the output and advertises {host: POD_IP, port} with the task id', async () => {
    const peer = await plane();
    const storage = new OrderedStorage();

    const descriptor: StorageDescriptor = await peer.writeOutput(payload(), output(), { storage, codec: msgpack });

    expect(storage.events).toEqual(['stored local-hkube/job-1/green:1']);
    const port = peer.server?.port;
    expect(descriptor).toMatchObject({ discovery: { host: '127.0.0.1', port }, taskId: 'green:1', storageInfo: { path: 'local-hkube/job-1/green:1' } });
    // Our own client reads it from the cache, without the network.
    const [fetched] = await peer.client.fetch({ host: '127.0.0.1', port: port ?? 0 }, ['green:1']);
    expect(fetched).toMatchObject({ ok: true, value: { big: 'output' } });
    expect(peer.server?.stats.requests).toBe(0);
  });

  it('does not advertise outputs no child references, streaming tasks, or when DISCOVERY_ENABLE is false', async () => {
    const storage = new MemoryStorageAdapter();
    const peer = await plane();
    expect(await peer.writeOutput(payload(), output([]), { storage, codec: msgpack })).not.toHaveProperty('discovery');
    expect(await peer.writeOutput(payload({ kind: 'stream' }), output(), { storage, codec: msgpack })).not.toHaveProperty('discovery');
    expect(peer.server).toBeUndefined();
    const off = await plane({ DISCOVERY_ENABLE: 'false' });
    expect(await off.writeOutput(payload(), output(), { storage, codec: msgpack })).not.toHaveProperty('discovery');
    expect(off.server).toBeUndefined();
    expect(await storage.exists('local-hkube/job-1/green:1')).toBe(true);
  });

  it('stores without advertising when zeromq is missing', async () => {
    const peer = await plane({}, () => Promise.reject(new PeerTransportUnavailableError()));
    const storage = new MemoryStorageAdapter();
    const descriptor = await peer.writeOutput(payload(), output(), { storage, codec: msgpack });
    expect(descriptor).not.toHaveProperty('discovery');
    expect(await storage.exists(descriptor.storageInfo.path)).toBe(true);
  });

  it('reports serving status while the server has answered requests recently', async () => {
    const peer = await plane({ DISCOVERY_SERVING_REPORT_INTERVAL: '20' });
    await peer.writeOutput(payload(), output(), { storage: new MemoryStorageAdapter(), codec: msgpack });
    const reported = new Promise<void>((resolve) => cleanup(peer.onServing(resolve)));
    // A request from another client (not the local short-circuit) makes the server "serving".
    await new ZmqPeerClient({ codec: msgpack }).fetch({ host: '127.0.0.1', port: peer.server?.port ?? 0 }, ['green:1']);
    await reported;
    expect(peer.server?.isServing).toBe(true);
  });
});
