import { describe, expect, it } from 'vitest';
import { getCodec, InvalidEnvironmentError, readDiscoveryEnv, readStorageEnv, taskOutputPath, type InitializePayload } from '@hkube-ts/protocol';
import {
  createMemoryPipe, createTaskDataPlane, MemoryStorageAdapter, PeerPlane, run, silentLogger, ZmqPeerClient, type PeerFetchResult,
} from '../../../src/index.js';
import { initializePayload } from '../../support/initialize.js';
import { useCleanup } from './helpers.js';
import { RequestLedger, useHoldingPeers } from './holding-peer.js';

// DISCOVERY_CONCURRENCY bounds the peer requests in flight across peers (data-plane spec §3.3). The
// peers hold every request, so the bound is read from what they see at once, never from timing.
const msgpack = getCodec('msgpack');
const startHoldingPeer = useHoldingPeers();
const cleanup = useCleanup();

/**
 * Answers the `total` requests one at a time, oldest first; after each answer, waits until the next
 * queued request (while any is left) has reached a peer.
 */
async function releaseOneByOne(ledger: RequestLedger, total: number, limit: number): Promise<void> {
  for (let released = 1; released <= total; released++) {
    await ledger.releaseOldest();
    await ledger.arrived(Math.min(total, limit + released));
  }
}

function value(results: readonly PeerFetchResult[]): unknown {
  const [result] = results;
  return result?.ok === true ? result.value : result?.error;
}

describe('peer request concurrency', () => {
  it('the client keeps at most `concurrency` requests in flight across peers; the others wait their turn, then all resolve', async () => {
    const ledger = new RequestLedger();
    const ports = [await startHoldingPeer(ledger), await startHoldingPeer(ledger)];
    const client = new ZmqPeerClient({ codec: msgpack, concurrency: 3, timeoutMs: 30_000 });
    const taskIds = Array.from({ length: 20 }, (_, i) => `task-${i}`);
    const portOf = (i: number): number => ports[i % ports.length]!;

    const fetches = taskIds.map((taskId, i) => client.fetch({ host: '127.0.0.1', port: portOf(i) }, [taskId]));

    await ledger.arrived(3);
    expect(ledger.held).toHaveLength(3);
    expect(ledger.arrivals.flat().sort()).toEqual(['task-0', 'task-1', 'task-2']);
    await releaseOneByOne(ledger, taskIds.length, 3);
    expect(ledger.maxOutstanding).toBe(3);
    // A freed slot goes to the oldest waiting fetch.
    expect(ledger.arrivals.slice(3).flat()).toEqual(taskIds.slice(3));
    const results = await Promise.all(fetches);
    expect(results.map(value)).toEqual(taskIds.map((task, i) => ({ task, port: portOf(i) })));
  });

  it('DISCOVERY_CONCURRENCY from the environment bounds the peer requests of a task data plane', async () => {
    const ledger = new RequestLedger();
    const ports = await Promise.all([1, 2, 3, 4].map(() => startHoldingPeer(ledger)));
    const env = { DISCOVERY_CONCURRENCY: '2', DISCOVERY_ENCODING: 'msgpack', DISCOVERY_TIMEOUT: '30000' };
    const plane = createTaskDataPlane(readStorageEnv(env), {
      storage: new MemoryStorageAdapter(),
      source: env,
      peer: new PeerPlane({ env: readDiscoveryEnv(env), logger: silentLogger }),
    });
    cleanup(() => plane.close());
    // Five inputs resolved at once, each linking one task on each of the four peers: 20 requests, far
    // above DISCOVERY_CONCURRENCY, each input's request count below the resolver's own bound.
    const inputs = [0, 1, 2, 3, 4].map((input) => ports.map((port, i) => ({ task: `task-${input}-${i}`, port })));
    const resolving = inputs.map((tasks) => {
      const links = tasks.map(({ task, port }) => ({ discovery: { host: '127.0.0.1', port }, taskId: task, storageInfo: { path: taskOutputPath('local', 'job-1', task) } }));
      const payload = initializePayload({ jobId: 'job-1', input: ['$$inputs'], storage: { inputs: links }, flatInput: undefined });
      return plane.resolveInput(payload as unknown as InitializePayload, new AbortController().signal);
    });

    await ledger.arrived(2);
    expect(ledger.held).toHaveLength(2);
    await releaseOneByOne(ledger, 20, 2);
    expect(ledger.maxOutstanding).toBe(2);
    expect(await Promise.all(resolving)).toEqual(inputs.map((tasks) => [tasks]));
  });

  it.each(['0', '-2', '1.5', 'many'])('DISCOVERY_CONCURRENCY=%s is refused by env validation with InvalidEnvironmentError', async (concurrency) => {
    const refused = { variable: 'DISCOVERY_CONCURRENCY', value: concurrency, code: 'INVALID_ENVIRONMENT' };
    expect(() => readDiscoveryEnv({ DISCOVERY_CONCURRENCY: concurrency })).toThrow(InvalidEnvironmentError);
    expect(() => readDiscoveryEnv({ DISCOVERY_CONCURRENCY: concurrency })).toThrow(expect.objectContaining(refused) as Error);
    // run() reads it before the first task: the wrapper refuses to start.
    const running = run({ start: () => undefined }, { transport: createMemoryPipe().transport, env: { DISCOVERY_CONCURRENCY: concurrency }, exitProcess: false, logger: silentLogger });
    await expect(running).rejects.toBeInstanceOf(InvalidEnvironmentError);
    await expect(running).rejects.toMatchObject(refused);
  });
});
