import type { NormalisedPipeline } from '../engine/index.js';

/**
 * The job's `types`, as HKube records them on a job: how it was started (`raw`, `stored`, `node` for
 * a run from a node, plus `sub-pipeline` for jobs started by an algorithm) and `debug` when a node
 * runs under a debugger.
 */
export function jobTypes(stored: boolean, normalised: NormalisedPipeline, rootJobId: string | undefined, rerun: boolean): string[] {
  const types = [rerun ? 'node' : stored ? 'stored' : 'raw'];
  if (rootJobId !== undefined && !rerun) types.push('sub-pipeline');
  const debugged = normalised.nodes.some((node) => node.kind === 'debug') || (normalised.options.debugOverride?.length ?? 0) > 0;
  if (debugged) types.push('debug');
  return types;
}
