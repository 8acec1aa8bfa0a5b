import type { ParsedFlow } from '@hkube-ts/protocol';
import { MemoryStorageAdapter, type Algorithm, type ServeOutcome } from '../../../../src/index.js';
import { createMemoryStreamTransport } from '../../../../src/streaming/memory/transport.js';
import type { MemoryStreamNetwork } from '../../../../src/streaming/memory/network.js';
import type { StreamTransport } from '../../../../src/streaming/types.js';
import { initializePayload } from '../../../support/initialize.js';
import type { PipeWorker } from './pipe-worker.js';
import { runOnPipe } from './pipe-runner.js';

/** One node of a streaming pipeline, running under `run()` in this process. */
export interface StreamNode {
  readonly name: string;
  readonly port: number;
  /** Where its producer is reached: `memory`, or 127.0.0.1 for ZeroMQ. */
  readonly host: string;
  /** The parent node names its `initialize` carries. */
  readonly parents: readonly string[];
  readonly worker: PipeWorker;
  readonly serving: Promise<ServeOutcome>;
  readonly abort: AbortController;
  /**
   * Sends `initialize` (+ waits for `initialized`) and `start` for a task (default `task-<name>`);
   * an `errorMessage` instead of `initialized` leaves it there.
   */
  begin(taskId?: string): Promise<void>;
  /** Announces parent producers (`serviceDiscoveryUpdate` Add). */
  addParents(...parents: StreamNode[]): void;
  /** Withdraws parent producers (`serviceDiscoveryUpdate` Del). */
  removeParents(...parents: StreamNode[]): void;
}

export interface NodeSpec {
  readonly name: string;
  readonly algorithm: Algorithm;
  readonly childs?: string[];
  readonly parents?: string[];
  readonly stateType?: 'stateful' | 'stateless';
  readonly flows: ParsedFlow;
  readonly defaultFlow: string;
  readonly storageProtocol?: 'v1' | 'v3';
  readonly env?: Record<string, string>;
  readonly streamTransport?: StreamTransport;
  readonly port?: number;
}

let nextPort = 41_000;

/** Starts a node: `run()` over a memory pipe and an in-memory stream transport on `network`. */
export function startNode(network: MemoryStreamNetwork | undefined, spec: NodeSpec): StreamNode {
  const port = spec.port ?? nextPort++;
  const storageProtocol = spec.storageProtocol ?? 'v3';
  const parents = spec.parents ?? [];
  const { worker, serving, abort } = runOnPipe(spec.algorithm, {
    ...(network || spec.streamTransport ? { streamTransport: spec.streamTransport ?? createMemoryStreamTransport(network!) } : {}),
    storage: new MemoryStorageAdapter(),
    stopTimeoutMs: 2000,
    env: {
      WORKER_ALGORITHM_ENCODING: 'msgpack',
      STORAGE_PROTOCOL: storageProtocol,
      DISCOVERY_ENCODING: 'msgpack',
      STREAMING_DISCOVERY_PORT: String(port),
      STREAMING_STATISTICS_INTERVAL: '40',
      ...spec.env,
    },
  });
  const discovery = (type: 'Add' | 'Del', producers: StreamNode[]) =>
    worker.send({
      command: 'serviceDiscoveryUpdate',
      data: producers.map((parent) => ({ nodeName: parent.name, address: { host: parent.host, port: parent.port }, type })),
    });
  return {
    name: spec.name,
    port,
    host: spec.streamTransport?.kind === 'zeromq' ? '127.0.0.1' : 'memory',
    parents,
    worker,
    serving,
    abort,
    begin: async (taskId = `task-${spec.name}`) => {
      const from = worker.received.length;
      worker.send({
        command: 'initialize',
        data: initializePayload({
          jobId: 'job-s',
          taskId,
          nodeName: spec.name,
          algorithmName: `${spec.name}-alg`,
          kind: 'stream',
          stateType: spec.stateType ?? 'stateful',
          childs: spec.childs ?? [],
          parents,
          parsedFlow: spec.flows,
          defaultFlow: spec.defaultFlow,
          flatInput: {},
        }),
      });
      const answer = await Promise.race([worker.next('initialized', from), worker.next('errorMessage', from)]);
      if (answer.command === 'errorMessage') return;
      worker.send({ command: 'start', data: { spanId: null } });
    },
    addParents: (...producers) => discovery('Add', producers),
    removeParents: (...producers) => discovery('Del', producers),
  };
}

/** Stops every node's `run()` and waits for it. */
export async function shutdown(nodes: readonly StreamNode[]): Promise<void> {
  for (const node of nodes) node.abort.abort();
  await Promise.allSettled(nodes.map((node) => node.serving));
}
