import type { Algorithm } from '@hkube-ts/wrapper-node';
import { expect } from 'vitest';
import type { Emulator, JobResult } from '../../src/index.js';

/** Fast statistics and autoscaler ticks, so that stream tests end quickly. */
export const FAST_STREAMING = { statisticsIntervalMs: 50, autoscaleIntervalMs: 25 } as const;

/** Counts of received messages per origin, and a promise resolving once `expected` were received. */
export class OriginCounter {
  readonly counts: Record<string, number> = {};
  #total = 0;
  #resolve: () => void = () => undefined;
  /** Resolves once `expected` messages were counted. */
  readonly reached: Promise<void>;

  constructor(readonly expected: number) {
    this.reached = new Promise((resolve) => (this.#resolve = resolve));
  }

  /** Counts one message from `origin`. */
  add(origin: string): void {
    this.counts[origin] = (this.counts[origin] ?? 0) + 1;
    this.#total += 1;
    if (this.#total >= this.expected) this.#resolve();
  }
}

/** A stateless algorithm counting its inputs by origin and returning `value`. */
export function countingStateless(counter: OriginCounter, value: unknown = 42): Algorithm {
  return {
    start: ({ streamInput }) => {
      if (streamInput !== undefined) counter.add(streamInput.origin);
      return value;
    },
  };
}

/** Fails the test unless the job completed. */
export function expectCompleted(result: JobResult): asserts result is Extract<JobResult, { status: 'completed' }> {
  if (result.status !== 'completed') expect.fail(`job ${result.status}: ${result.status === 'failed' ? result.error : result.reason}`);
}

/** The tweet flows of HKube's streaming docs (pipeline-semantics §1.6, F3). */
export const tweetsPipeline = {
  name: 'tweets',
  kind: 'stream',
  nodes: [
    { nodeName: 'twitt', algorithmName: 'twitt', stateType: 'stateful', input: ['@flowInput.count'] },
    { nodeName: 'sort', algorithmName: 'sort', stateType: 'stateful' },
    { nodeName: 'A', algorithmName: 'enrich-a', stateType: 'stateless' },
    { nodeName: 'B', algorithmName: 'enrich-b', stateType: 'stateless' },
  ],
  streaming: { flows: { analyze: 'sort>>A', master: 'twitt >>sort>>B' }, defaultFlow: 'master' },
  flowInput: { count: 20 },
};

/** A stream pipeline whose nodes run the algorithm of their own name: `{ nodeName: stateType or node fields }`. */
export function streamPipeline(
  name: string,
  nodes: Record<string, 'stateful' | 'stateless' | Record<string, unknown>>,
  flows: Record<string, string>,
  defaultFlow?: string,
): Record<string, unknown> {
  return {
    name,
    kind: 'stream',
    nodes: Object.entries(nodes).map(([nodeName, spec]) => ({ nodeName, algorithmName: nodeName, ...(typeof spec === 'string' ? { stateType: spec } : spec) })),
    streaming: { flows, ...(defaultFlow === undefined ? {} : { defaultFlow }) },
  };
}

/** Resolves when `signal` aborts (a stateful node that runs until the job stops it). */
export function untilStopped(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

/**
 * Registers F3's stateless enrichers of nodes A and B in-process (`enrich-a`, `enrich-b`); `routed()`
 * resolves once both got their 10 tweets of {@link tweetsPipeline}, and checks who got what.
 */
export function registerTweetEnrichers(emulator: Emulator): { readonly routed: () => Promise<void> } {
  const counters = { A: new OriginCounter(10), B: new OriginCounter(10) };
  const ids: Record<'A' | 'B', number[]> = { A: [], B: [] };
  for (const name of ['A', 'B'] as const) {
    emulator.registerAlgorithm(`enrich-${name.toLowerCase()}`, {
      start: ({ streamInput }) => {
        ids[name].push((streamInput!.message as { id: number }).id);
        counters[name].add(streamInput!.origin);
        return null;
      },
    });
  }
  return {
    routed: async () => {
      await Promise.all([counters.A.reached, counters.B.reached]);
      expect(counters.A.counts).toEqual({ sort: 10 });
      expect(counters.B.counts).toEqual({ sort: 10 });
      expect(ids.A.sort((x, y) => x - y)).toEqual([2, 4, 6, 8, 10, 12, 14, 16, 18, 20]);
      expect(ids.B.sort((x, y) => x - y)).toEqual([1, 3, 5, 7, 9, 11, 13, 15, 17, 19]);
    },
  };
}
