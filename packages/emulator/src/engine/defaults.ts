import type { NormalisedNode, NormalisedOptions, PipelineKind, ProgressLevel, RetryPolicy } from './descriptor.js';

/** The defaults HKube's schema fills in (§1.1, §1.5 of the spec). */
export const PIPELINE_DEFAULTS = {
  kind: 'batch' as PipelineKind,
  priority: 3,
  batchTolerance: 80,
  ttl: 3600,
  progressVerbosityLevel: 'info' as ProgressLevel,
  nodeKind: 'algorithm' as const,
  retryPolicy: 'OnCrash' as RetryPolicy,
  retryLimit: 3,
  minStatelessCount: 0,
  concurrentPipelinesRejectOnFailure: true,
} as const;

/** Reserved node names: they collide with the `@flowInput` and `@dataSource` references. */
export const RESERVED_NODE_NAMES: readonly string[] = ['flowInput', 'dataSource'];

type Loose = Record<string, unknown>;

/** Fills the option defaults into a schema-checked `options` object. */
export function optionsWithDefaults(options: Loose | undefined): NormalisedOptions {
  const given = options ?? {};
  const result: Loose = {
    ...given,
    batchTolerance: given['batchTolerance'] ?? PIPELINE_DEFAULTS.batchTolerance,
    ttl: given['ttl'] ?? PIPELINE_DEFAULTS.ttl,
    progressVerbosityLevel: given['progressVerbosityLevel'] ?? PIPELINE_DEFAULTS.progressVerbosityLevel,
  };
  const concurrent = given['concurrentPipelines'] as Loose | undefined;
  if (concurrent !== undefined) {
    result['concurrentPipelines'] = {
      ...concurrent,
      rejectOnFailure: concurrent['rejectOnFailure'] ?? PIPELINE_DEFAULTS.concurrentPipelinesRejectOnFailure,
    };
  }
  return result as unknown as NormalisedOptions;
}

/** Fills the node defaults into a schema-checked node. */
export function nodeWithDefaults(node: Loose): NormalisedNode {
  const retry = (node['retry'] ?? {}) as Loose;
  return {
    ...node,
    kind: node['kind'] ?? PIPELINE_DEFAULTS.nodeKind,
    input: node['input'] ?? [],
    minStatelessCount: node['minStatelessCount'] ?? PIPELINE_DEFAULTS.minStatelessCount,
    retry: { ...retry, policy: retry['policy'] ?? PIPELINE_DEFAULTS.retryPolicy, limit: retry['limit'] ?? PIPELINE_DEFAULTS.retryLimit },
  } as unknown as NormalisedNode;
}
