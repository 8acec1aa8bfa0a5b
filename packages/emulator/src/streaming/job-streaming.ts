/**
 * The streaming side of one stream job in the emulator: the network its in-process wrappers share (an
 * in-memory one, or ZeroMQ on 127.0.0.1 as soon as one node runs as a process, so that mixed pipelines
 * talk), one producer endpoint per algorithm instance, the job's discovery, and the link between each
 * task and the engine (statistics up, discovery down).
 */
import { createServer, type AddressInfo } from 'node:net';
import { ENV } from '@hkube-ts/protocol';
import { createMemoryStreamNetwork, createMemoryStreamTransport, type StreamTransport } from '@hkube-ts/wrapper-node';
import type { TaskHooks, TaskRequest } from '../engine/index.js';
import type { StreamEndpoint } from '../worker/backend.js';
import type { StreamTaskLink } from '../worker/virtual-worker.js';
import { StreamDiscovery } from './discovery.js';

/** How the nodes of a stream job reach each other. */
export type StreamNetworkKind = 'memory' | 'zeromq';

/** Options of {@link JobStreaming}. */
export interface JobStreamingOptions {
  /** `memory` when every node runs in-process, else `zeromq`. */
  readonly network: StreamNetworkKind;
  /** `STREAMING_STATISTICS_INTERVAL` of every wrapper, in ms. */
  readonly statisticsIntervalMs: number;
}

/** The first port handed out on an in-memory network (HKube's default `STREAMING_DISCOVERY_PORT`). */
const FIRST_MEMORY_PORT = 9022;

/** A free TCP port on 127.0.0.1 (free when probed; the wrapper binds it right after). */
function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The streaming resources of one job. `close()` it when the job's workers are gone. */
export class JobStreaming {
  /** The job's discovery. */
  readonly discovery = new StreamDiscovery();
  readonly #options: JobStreamingOptions;
  readonly #network = createMemoryStreamNetwork();
  readonly #transports: StreamTransport[] = [];
  #nextMemoryPort = FIRST_MEMORY_PORT;

  constructor(options: JobStreamingOptions) {
    this.#options = options;
  }

  /** The network the job uses. */
  get network(): StreamNetworkKind {
    return this.#options.network;
  }

  /** A new producer endpoint, for an in-process wrapper or a process. */
  async endpoint(runs: 'in-process' | 'process'): Promise<StreamEndpoint> {
    const memory = this.#options.network === 'memory' && runs === 'in-process';
    const port = memory ? this.#nextMemoryPort++ : await freeTcpPort();
    const env = { [ENV.STREAMING_DISCOVERY_PORT]: String(port), [ENV.STREAMING_STATISTICS_INTERVAL]: String(this.#options.statisticsIntervalMs) };
    // Without a transport, an in-process wrapper uses its default one, ZeroMQ, as a process does.
    if (!memory) return { address: { host: '127.0.0.1', port }, env };
    const transport = createMemoryStreamTransport(this.#network);
    this.#transports.push(transport);
    return { address: { host: 'memory', port }, env, transport };
  }

  /** What connects a task's worker to the job: it publishes its producer and hears about its parents'. */
  link(task: TaskRequest, hooks: TaskHooks | undefined): StreamTaskLink {
    let unsubscribe: (() => void) | undefined;
    return {
      onWorking: (send, address) => {
        if (address !== undefined) this.discovery.publish(task.taskId, task.nodeName, address);
        unsubscribe = this.discovery.subscribe(task.parents, send);
      },
      onStatistics: (entries) => hooks?.onStatistics?.(entries),
      onEnded: () => {
        unsubscribe?.();
        unsubscribe = undefined;
        this.discovery.withdraw(task.taskId);
      },
    };
  }

  /** Releases the in-memory transports of in-process wrappers. */
  async close(): Promise<void> {
    await Promise.allSettled(this.#transports.splice(0).map((transport) => transport.close()));
  }
}
