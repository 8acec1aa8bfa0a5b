/**
 * Planning a run from node (pipeline-semantics §5.3): which nodes run again (the chosen node and all
 * its transitive descendants), and what the others hand their children (their outputs in the earlier
 * job's storage; §7.3 #2: nodes inside the subtree read the fresh outputs).
 */
import { readStoredValue } from '@hkube-ts/wrapper-node';
import { copyValue } from '../../engine/copy.js';
import { buildGraph, validatePipeline, type BatchItemOutput, type ParentOutput, type PipelineGraph } from '../../engine/index.js';
import type { EmulatorStorage } from '../../storage/emulator-storage.js';
import { CachedOutputMissingError, RunFromNodeNotAllowedError } from './errors.js';
import type { JobRecord, TaskOutputRecord } from './job-record.js';

/** A run from node, ready to start. */
export interface RunFromNodePlan {
  /** The new job's descriptor: the earlier one named `<name>-<nodeName>` (HKube's naming, when it is a valid name). */
  readonly descriptor: Record<string, unknown>;
  /** The chosen node and its descendants, in declaration order. */
  readonly rerun: readonly string[];
  /** The other nodes, with the earlier job's entries. */
  readonly cachedNodes: Readonly<Record<string, readonly TaskOutputRecord[]>>;
  /** Algorithms that only nodes outside the subtree use (they need not be registered). */
  readonly cachedOnlyAlgorithms: ReadonlySet<string>;
  /** The first job of the chain. */
  readonly rootJobId: string;
  /** The node graph of the pipeline. */
  readonly graph: PipelineGraph;
}

const PIPELINE_NAME = /^[:\-_.A-Za-z0-9]+$/;

/**
 * Checks that `record`'s job can be re-run from `nodeName` and plans the new job.
 *
 * @throws {RunFromNodeNotAllowedError} for a stream pipeline, a pipeline with a `*@` relation, or an unknown node.
 */
export function planRunFromNode(record: JobRecord, nodeName: string): RunFromNodePlan {
  const { jobId } = record;
  if (record.descriptor['kind'] === 'stream') throw new RunFromNodeNotAllowedError(jobId, 'run node is not allowed in stream pipeline');
  const checked = validatePipeline(record.descriptor, { checkFlowInput: false });
  if (!checked.ok) throw checked.error;
  const graph = buildGraph(checked.pipeline);
  if (!graph.byName.has(nodeName)) throw new RunFromNodeNotAllowedError(jobId, `unable to find node ${nodeName} in pipeline ${jobId}`, nodeName);
  // HKube refuses caching when any node of the pipeline has a wait-any relation.
  const waitAny = graph.nodes.find((node) => node.anyParents.length > 0);
  if (waitAny !== undefined) throw new RunFromNodeNotAllowedError(jobId, `relation waitAny for node ${waitAny.name} is not allowed`, waitAny.name);

  const subtree = new Set<string>([nodeName]);
  const pending = [nodeName];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    for (const child of graph.byName.get(name)!.childs) {
      if (subtree.has(child)) continue;
      subtree.add(child);
      pending.push(child);
    }
  }
  const cachedNodes: Record<string, readonly TaskOutputRecord[]> = {};
  const used = new Set<string>();
  const cachedUsed = new Set<string>();
  for (const node of graph.nodes) {
    const algorithm = node.node.algorithmName;
    if (subtree.has(node.name)) {
      if (algorithm !== undefined) used.add(algorithm);
    } else {
      cachedNodes[node.name] = record.nodes[node.name] ?? [];
      if (algorithm !== undefined) cachedUsed.add(algorithm);
    }
  }
  const descriptor = copyValue(record.descriptor) as Record<string, unknown>;
  const renamed = `${checked.pipeline.name}-${nodeName}`;
  if (PIPELINE_NAME.test(renamed)) descriptor['name'] = renamed;
  return {
    descriptor,
    rerun: graph.nodes.filter((node) => subtree.has(node.name)).map((node) => node.name),
    cachedNodes,
    cachedOnlyAlgorithms: new Set([...cachedUsed].filter((name) => !used.has(name))),
    rootJobId: record.rootJobId ?? jobId,
    graph,
  };
}

async function readOutput(storage: EmulatorStorage, jobId: string, nodeName: string, entry: TaskOutputRecord & { status: 'succeed' }): Promise<unknown> {
  try {
    return await readStoredValue(entry.path, { storage: storage.adapter, codec: storage.codec });
  } catch (cause) {
    throw new CachedOutputMissingError(jobId, nodeName, `cannot read ${entry.path} (${cause instanceof Error ? cause.message : String(cause)})`);
  }
}

/**
 * Reads, from storage, the outputs of the nodes outside the subtree that a re-run node reads; the other
 * cached nodes get an empty output (nothing reads it).
 *
 * @throws {CachedOutputMissingError} when a needed output was not recorded or cannot be read.
 */
export async function loadCachedOutputs(storage: EmulatorStorage, record: JobRecord, plan: RunFromNodePlan): Promise<Map<string, ParentOutput>> {
  const needed = new Set(plan.rerun.flatMap((name) => plan.graph.byName.get(name)!.parents));
  const outputs = new Map<string, ParentOutput>();
  for (const [name, entries] of Object.entries(plan.cachedNodes)) {
    const node = plan.graph.byName.get(name)!;
    if (!needed.has(name)) {
      outputs.set(name, node.batch ? { kind: 'batch', skipped: false, items: [] } : { kind: 'single', result: null });
    } else if (node.batch) {
      // A batch node of a completed job without items was skipped (its batch was empty).
      if (entries.length === 0 && record.status !== 'completed') throw new CachedOutputMissingError(record.jobId, name, `job ${record.jobId} ${record.status} before it ran`);
      const items: BatchItemOutput[] = [];
      for (const entry of entries) {
        items.push(entry.status === 'succeed' ? { batchIndex: entry.batchIndex, status: 'succeed', result: await readOutput(storage, record.jobId, name, entry) } : { batchIndex: entry.batchIndex, status: 'failed', error: entry.error });
      }
      outputs.set(name, { kind: 'batch', skipped: entries.length === 0, items });
    } else {
      const entry = entries[0];
      if (entry?.status !== 'succeed') throw new CachedOutputMissingError(record.jobId, name, entry === undefined ? 'it did not run (or runs inside the engine)' : `it failed: ${entry.error}`);
      outputs.set(name, { kind: 'single', result: await readOutput(storage, record.jobId, name, entry) });
    }
  }
  return outputs;
}
