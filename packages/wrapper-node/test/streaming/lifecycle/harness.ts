import { createSocketCodec, type AlgorithmMessage, type ParsedFlow, type SocketCodec } from '@hkube-ts/protocol';
import {
  createMemoryPipe, MemoryStorageAdapter, run, silentLogger, type Algorithm, type MemoryPipePeer, type ServeOutcome,
} from '../../../src/index.js';
import { createMemoryStreamTransport } from '../../../src/streaming/memory/transport.js';
import type { MemoryStreamNetwork } from '../../../src/streaming/memory/network.js';
import type { StreamTransport } from '../../../src/streaming/types.js';
import { initializePayload } from '../../support/initialize.js';

/** A worker scripted over an in-memory pipe: what it sends, and what the wrapper answered. */
export class PipeWorker {
  readonly received: AlgorithmMessage[] = [];
  readonly #peer: MemoryPipePeer;
  readonly #codec: SocketCodec;
  #waiters: Array<() => void> = [];

  constructor(peer: MemoryPipePeer, codec: SocketCodec) {
    this.#peer = peer;
    this.#codec = codec;
    peer.onFrame((frame) => {
      const read = codec.readAlgorithmMessage(frame);
      if (!read.ok) throw new Error(`the wrapper sent an invalid frame: ${read.error.message}`);
      this.received.push(read.value);
      const waiters = this.#waiters;
      this.#waiters = [];
      for (const wake of waiters) wake();
    });
  }

  send(message: { command: string; data?: unknown }): void {
    this.#peer.send(this.#codec.encode(message as AlgorithmMessage));
  }

  get commands(): string[] {
    return this.received.map((message) => message.command);
  }

  /** The first message with this command (after index `from`), waiting for it. */
  async next<C extends AlgorithmMessage['command']>(command: C, from = 0, timeoutMs = 10_000): Promise<Extract<AlgorithmMessage, { command: C }>> {
    let found: AlgorithmMessage | undefined;
    await until(() => (found = this.received.slice(from).find((message) => message.command === command)) !== undefined, `'${command}' (got ${this.commands.join(', ')})`, timeoutMs);
    return found as Extract<AlgorithmMessage, { command: C }>;
  }
}

/** Polls `condition` until it holds (a failure after `timeoutMs` names `what`). */
export async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Builds `parsedFlow` from HKube's flow strings (`"A >> B&C >> D"`). */
export function parseFlows(flows: Record<string, string>): ParsedFlow {
  const parsed: Record<string, Array<{ source: string; next: string[] }>> = {};
  for (const [name, text] of Object.entries(flows)) {
    const steps: Array<{ source: string; next: string[] }> = [];
    for (const expression of text.replace(/\s/g, '').split('|')) {
      const parts = expression.split('>>').map((part) => part.split('&'));
      for (let i = 0; i + 1 < parts.length; i++) {
        for (const source of parts[i]!) {
          let step = steps.find((s) => s.source === source);
          if (!step) steps.push((step = { source, next: [] }));
          for (const target of parts[i + 1]!) if (!step.next.includes(target)) step.next.push(target);
        }
      }
    }
    parsed[name] = steps;
  }
  return parsed;
}

/** One node of a streaming pipeline, running under `run()` in this process. */
export interface StreamNode {
  readonly name: string;
  readonly port: number;
  /** Where its producer is reached: `memory`, or 127.0.0.1 for ZeroMQ. */
  readonly host: string;
  readonly worker: PipeWorker;
  readonly serving: Promise<ServeOutcome>;
  readonly abort: AbortController;
  /** Sends `initialize` (+ waits for `initialized`) and `start`. */
  begin(): Promise<void>;
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
  const codec = createSocketCodec('msgpack');
  const { transport, peer } = createMemoryPipe();
  const worker = new PipeWorker(peer, codec);
  const abort = new AbortController();
  const port = spec.port ?? nextPort++;
  const storageProtocol = spec.storageProtocol ?? 'v3';
  const serving = run(spec.algorithm, {
    transport,
    ...(network || spec.streamTransport ? { streamTransport: spec.streamTransport ?? createMemoryStreamTransport(network!) } : {}),
    storage: new MemoryStorageAdapter(),
    exitProcess: false,
    logger: silentLogger,
    signal: abort.signal,
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
  const discovery = (type: 'Add' | 'Del', parents: StreamNode[]) =>
    worker.send({
      command: 'serviceDiscoveryUpdate',
      data: parents.map((parent) => ({ nodeName: parent.name, address: { host: parent.host, port: parent.port }, type })),
    });
  return {
    name: spec.name,
    port,
    host: spec.streamTransport?.kind === 'zeromq' ? '127.0.0.1' : 'memory',
    worker,
    serving,
    abort,
    begin: async () => {
      worker.send({
        command: 'initialize',
        data: initializePayload({
          jobId: 'job-s',
          taskId: `task-${spec.name}`,
          nodeName: spec.name,
          algorithmName: `${spec.name}-alg`,
          kind: 'stream',
          stateType: spec.stateType ?? 'stateful',
          childs: spec.childs ?? [],
          parents: spec.parents ?? [],
          parsedFlow: spec.flows,
          defaultFlow: spec.defaultFlow,
          flatInput: {},
        }),
      });
      const answer = await Promise.race([worker.next('initialized'), worker.next('errorMessage')]);
      if (answer.command === 'errorMessage') return;
      worker.send({ command: 'start', data: { spanId: null } });
    },
    addParents: (...parents) => discovery('Add', parents),
    removeParents: (...parents) => discovery('Del', parents),
  };
}

/** Stops every node's `run()` and waits for it. */
export async function shutdown(nodes: StreamNode[]): Promise<void> {
  for (const node of nodes) node.abort.abort();
  await Promise.allSettled(nodes.map((node) => node.serving));
}

/** A stateless child of `green` on flow `main` that collects every message it gets. */
export function collectingChild(network: MemoryStreamNetwork | undefined, flows: ParsedFlow, extra: Partial<NodeSpec> = {}): { node: StreamNode; got: unknown[] } {
  const got: unknown[] = [];
  const node = startNode(network, {
    name: 'yellow',
    stateType: 'stateless',
    parents: ['green'],
    flows,
    defaultFlow: 'main',
    algorithm: { start: ({ streamInput }) => void got.push(streamInput!.message) },
    ...extra,
  });
  return { node, got };
}
