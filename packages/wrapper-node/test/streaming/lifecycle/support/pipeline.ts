import type { ParsedFlow } from '@hkube-ts/protocol';
import { afterEach } from 'vitest';
import { createMemoryStreamNetwork, type MemoryStreamNetwork } from '../../../../src/streaming/memory/network.js';
import { shutdown, startNode, type NodeSpec, type StreamNode } from './stream-node.js';

/** A node of a {@link Pipeline}: its flows and default flow come from the pipeline unless given. */
export type PipelineNodeSpec = Omit<NodeSpec, 'flows' | 'defaultFlow'> & Partial<Pick<NodeSpec, 'flows' | 'defaultFlow'>>;

/** The runners of one streaming pipeline, on one in-memory stream network (a node may bring its own transport). */
export interface Pipeline {
  readonly network: MemoryStreamNetwork;
  readonly flows: ParsedFlow;
  /** Starts a node; it is shut down after the test. */
  node(spec: PipelineNodeSpec): StreamNode;
  /** A stateless child `yellow` of `green` that collects every message it gets, in order. */
  collectingChild(extra?: Partial<PipelineNodeSpec>): { node: StreamNode; got: unknown[] };
  /**
   * Starts streaming as HKube does: begins every node but `sources`, announces to each the nodes its
   * `parents` name, then begins the `sources` in order.
   */
  launch(...sources: StreamNode[]): Promise<void>;
}

/** Options of a {@link Pipeline}. */
export interface PipelineOptions {
  readonly flows: ParsedFlow;
  /** The pipeline's `defaultFlow` (default `main`). */
  readonly defaultFlow?: string;
}

/** Gives each test pipelines whose nodes are all shut down after it. */
export function usePipelines(): (options: PipelineOptions) => Pipeline {
  const running: StreamNode[] = [];
  afterEach(async () => {
    await shutdown(running.splice(0));
  });
  return ({ flows, defaultFlow = 'main' }) => {
    const network = createMemoryStreamNetwork();
    const nodes: StreamNode[] = [];
    const node = (spec: PipelineNodeSpec): StreamNode => {
      const created = startNode(network, { flows, defaultFlow, ...spec });
      nodes.push(created);
      running.push(created);
      return created;
    };
    const byName = (name: string): StreamNode => {
      const found = nodes.find((candidate) => candidate.name === name);
      if (found === undefined) throw new Error(`no node '${name}' in this pipeline`);
      return found;
    };
    return {
      network,
      flows,
      node,
      collectingChild: (extra = {}) => {
        const got: unknown[] = [];
        const child = node({
          name: 'yellow',
          stateType: 'stateless',
          parents: ['green'],
          algorithm: { start: ({ streamInput }) => void got.push(streamInput!.message) },
          ...extra,
        });
        return { node: child, got };
      },
      launch: async (...sources) => {
        const consumers = nodes.filter((candidate) => !sources.includes(candidate));
        await Promise.all(consumers.map((consumer) => consumer.begin()));
        for (const consumer of consumers) consumer.addParents(...consumer.parents.map(byName));
        for (const source of sources) await source.begin();
      },
    };
  };
}
