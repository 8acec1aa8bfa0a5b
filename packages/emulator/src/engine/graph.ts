/**
 * The pipeline graph (§2.1 of the spec): one edge per (parent, child) pair, typed with every relation
 * the child's input has to the parent plus `input`; explicit `edges` add `waitNode` edges that carry no
 * data. Node order is declaration order.
 */
import type { NormalisedNode, PipelineEdge } from './descriptor.js';
import { PipelineValidationError } from './errors.js';
import type { Relation } from './grammar.js';
import { compileInput, type CompiledInput } from './input-parser.js';

/** The type of an edge: the relations of the child's input to the parent, `input`, or `customStream`. */
export type EdgeType = Relation | 'input' | 'customStream';

/** A typed edge. */
export interface GraphEdge {
  readonly source: string;
  readonly target: string;
  readonly types: readonly EdgeType[];
}

/** A node with what the scheduler needs to know about it. */
export interface GraphNode {
  readonly name: string;
  /** Position in `pipeline.nodes`. */
  readonly index: number;
  readonly node: NormalisedNode;
  /** The parsed input. */
  readonly input: CompiledInput;
  /** Graph neighbours, in order of first appearance. */
  readonly parents: readonly string[];
  readonly childs: readonly string[];
  /** Parents this node waits for completely (`@`, `#@`, explicit edges). */
  readonly waitParents: readonly string[];
  /** Parents this node waits for item by item (`*@`). */
  readonly anyParents: readonly string[];
  /** The `<node>[.<path>]` references children make to this node (HKube's `info.savePaths`). */
  readonly savePaths: readonly string[];
  /** True when the node runs as batch items: a batch expression in its input, or a wait-any parent. */
  readonly batch: boolean;
  /** True when the node is listed in the job result: a sink, or `includeInResults` (or `includeInResult`). */
  readonly inResults: boolean;
}

/** A pipeline's graph. */
export interface PipelineGraph {
  /** In declaration order. */
  readonly nodes: readonly GraphNode[];
  readonly byName: ReadonlyMap<string, GraphNode>;
  readonly edges: readonly GraphEdge[];
}

interface Draft {
  readonly parents: string[];
  readonly childs: string[];
  readonly waitParents: string[];
  readonly anyParents: string[];
  readonly savePaths: string[];
}

function pushUnique(list: string[], value: string): void {
  if (!list.includes(value)) list.push(value);
}

/**
 * Builds the graph of a pipeline whose node names are unique.
 *
 * @throws {PipelineValidationError} `node "A" is depend on node "X" which is not exists` for a reference
 *   or edge to an unknown node.
 */
export function buildGraph(pipeline: { readonly name?: string; readonly nodes: readonly NormalisedNode[]; readonly edges?: readonly PipelineEdge[] }): PipelineGraph {
  const drafts = new Map<string, Draft>();
  for (const node of pipeline.nodes) drafts.set(node.nodeName, { parents: [], childs: [], waitParents: [], anyParents: [], savePaths: [] });
  const edges = new Map<string, { source: string; target: string; types: EdgeType[] }>();
  const link = (source: string, target: string, types: readonly EdgeType[]): void => {
    const from = drafts.get(source);
    const to = drafts.get(target);
    if (from === undefined || to === undefined) {
      const missing = from === undefined ? source : target;
      throw new PipelineValidationError(`node "${target}" is depend on node "${missing}" which is not exists`, { pipelineName: pipeline.name, nodeName: target });
    }
    const key = `${source}\u0000${target}`;
    const edge = edges.get(key) ?? { source, target, types: [] };
    edges.set(key, edge);
    for (const type of types) if (!edge.types.includes(type)) edge.types.push(type);
    pushUnique(from.childs, target);
    pushUnique(to.parents, source);
    if (types.includes('waitAny')) pushUnique(to.anyParents, source);
    if (types.some((type) => type === 'waitNode' || type === 'waitBatch' || type === 'waitAnyBatch')) pushUnique(to.waitParents, source);
  };

  const inputs = pipeline.nodes.map((node) => compileInput(node.input));
  pipeline.nodes.forEach((node, index) => {
    for (const expression of inputs[index]!.expressions) {
      if (expression.type !== 'node') continue;
      link(expression.nodeName, node.nodeName, [expression.relation, 'input']);
      pushUnique(drafts.get(expression.nodeName)!.savePaths, expression.body);
    }
  });
  for (const edge of pipeline.edges ?? []) link(edge.source, edge.target, (edge.types as readonly EdgeType[] | undefined) ?? ['waitNode']);

  const nodes = pipeline.nodes.map((node, index): GraphNode => {
    const draft = drafts.get(node.nodeName)!;
    const input = inputs[index]!;
    return {
      name: node.nodeName,
      index,
      node,
      input,
      ...draft,
      batch: input.hasBatch || draft.anyParents.length > 0,
      inResults: draft.childs.length === 0 || node.includeInResults === true || node.includeInResult === true,
    };
  });
  return { nodes, byName: new Map(nodes.map((node) => [node.name, node])), edges: [...edges.values()] };
}

/** Names of the nodes on a cycle, or `undefined` when the graph is acyclic. */
export function findCycle(graph: PipelineGraph): string[] | undefined {
  const indegree = new Map(graph.nodes.map((node) => [node.name, node.parents.length]));
  const ready = graph.nodes.filter((node) => node.parents.length === 0).map((node) => node.name);
  for (let head = 0; head < ready.length; head += 1) {
    for (const child of graph.byName.get(ready[head]!)!.childs) {
      const remaining = indegree.get(child)! - 1;
      indegree.set(child, remaining);
      if (remaining === 0) ready.push(child);
    }
  }
  if (ready.length === graph.nodes.length) return undefined;
  return [...indegree].filter(([, degree]) => degree > 0).map(([name]) => name);
}
