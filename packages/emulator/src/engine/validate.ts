/**
 * Pipeline validation (§1.2 of the spec) in the order HKube's api-server applies it: schema, defaults,
 * node rules, expansions (output and tuner names, algorithm existence, streaming flows), the DAG build,
 * then the emulator's own rejections of what HKube accepts but never finishes running (B17).
 */
import { copyValue } from './copy.js';
import { nodeWithDefaults, optionsWithDefaults, PIPELINE_DEFAULTS, RESERVED_NODE_NAMES } from './defaults.js';
import type { NormalisedNode, NormalisedPipeline, PipelineEdge, PipelineKind, StateType } from './descriptor.js';
import { PIPELINE_SCHEMA, TUNER_SPEC_SCHEMA } from './descriptor-schema.js';
import { PipelineValidationError } from './errors.js';
import { parseFlows, type ParsedFlows } from './flows.js';
import { buildGraph, findCycle, type PipelineGraph } from './graph.js';
import { literalBatchSize } from './grammar.js';
import { compileInput } from './input-parser.js';
import { getPath } from './object-path.js';
import { MAX_BATCH_ITEMS } from './resolve.js';
import { checkSchema } from './schema.js';

/** What validation may ask of the outside world. */
export interface ValidateOptions {
  /**
   * Answers whether an algorithm is registered, for a node of `nodeKind` (`algorithm` or `debug`).
   * Without it, algorithm existence is not checked.
   */
  readonly algorithmExists?: (algorithmName: string, nodeKind: 'algorithm' | 'debug') => boolean;
  /** The registered algorithm's streaming state type, used as the default of a stream node's `stateType`. */
  readonly algorithmStateType?: (algorithmName: string) => StateType | undefined;
  /** Check that every `@flowInput.<path>` exists in the descriptor's flowInput (HKube's raw run). Default true. */
  readonly checkFlowInput?: boolean;
}

/** The outcome of {@link validatePipeline}. */
export type ValidationResult =
  | { readonly ok: true; readonly pipeline: NormalisedPipeline; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly error: PipelineValidationError };

type Loose = Record<string, unknown>;

class Validation {
  readonly warnings: string[] = [];
  pipelineName: string | undefined;

  constructor(private readonly options: ValidateOptions) {}

  fail(message: string, nodeName?: string): never {
    throw new PipelineValidationError(message, { pipelineName: this.pipelineName, nodeName });
  }

  run(descriptor: unknown): NormalisedPipeline {
    const raw = (copyValue(descriptor) ?? {}) as Loose;
    if (typeof raw['name'] === 'string') this.pipelineName = raw['name'];
    const schemaError = checkSchema(raw, PIPELINE_SCHEMA);
    if (schemaError !== undefined) this.fail(schemaError);

    const name = raw['name'] as string;
    const kind = (raw['kind'] ?? PIPELINE_DEFAULTS.kind) as PipelineKind;
    const options = optionsWithDefaults(raw['options'] as Loose | undefined);
    let nodes = ((raw['nodes'] ?? []) as Loose[]).map(nodeWithDefaults);
    this.checkNodeRules(nodes, kind, options.debugOverride ?? []);
    nodes = this.expandNodes(nodes, name, kind, options.debugOverride ?? []);
    const flows = this.checkStreaming(raw['streaming'] as Loose | undefined, kind, nodes);
    const edges = flows?.edges ?? ((raw['edges'] ?? []) as PipelineEdge[]);
    const graph = this.checkGraph(nodes, kind, edges, name, raw['flowInput']);
    if (kind === 'batch') this.checkEmulatorRules(graph);
    const streaming = raw['streaming'] as Loose | undefined;
    return {
      ...(raw as unknown as NormalisedPipeline),
      name,
      kind,
      nodes,
      options,
      priority: (raw['priority'] as number | undefined) ?? PIPELINE_DEFAULTS.priority,
      edges,
      ...(flows === undefined
        ? {}
        : {
            streaming: {
              ...streaming,
              flows: streaming?.['flows'] as Record<string, string>,
              defaultFlow: this.defaultFlow(streaming),
              parsedFlow: flows.parsedFlow,
            },
          }),
    };
  }

  /** `validatePipelineNodes`: node count, one output, tuner specs, debugOverride, stateless counts. */
  private checkNodeRules(nodes: readonly NormalisedNode[], kind: PipelineKind, debugOverride: readonly string[]): void {
    if (nodes.length === 0) this.fail('pipeline must have at least one node');
    if (nodes.filter((node) => node.kind === 'output').length > 1) this.fail('pipeline can not have more than one output');
    for (const node of nodes.filter((candidate) => candidate.kind === 'hyperparamsTuner')) {
      if (node.spec === undefined) this.fail('Hyper params tuner node must have spec attribute', node.nodeName);
      const error = checkSchema(node.spec, TUNER_SPEC_SCHEMA);
      if (error !== undefined) this.fail(error, node.nodeName);
      const sampler = node.spec['sampler'] as Loose | undefined;
      if (node.spec['hyperParams'] === undefined && sampler?.['name'] !== 'Grid') this.fail('spec must include hyperParams', node.nodeName);
    }
    const names = new Set(nodes.map((node) => node.nodeName));
    if (debugOverride.some((nodeName) => !names.has(nodeName))) this.fail('debugOverride node not in nodes list');
    if (kind !== 'stream') return;
    for (const node of nodes) {
      const counts = node.minStatelessCount !== 0 || (node.maxStatelessCount ?? 0) !== 0;
      if (node.stateType !== 'stateless' && counts) {
        this.fail('Nodes which are not stateType=stateless cant have minStatelessCount or maxStatelessCount', node.nodeName);
      }
      if (node.stateType === 'stateless' && typeof node.maxStatelessCount === 'number' && node.minStatelessCount > node.maxStatelessCount) {
        this.fail('maxStatelessCount must be greater or equal to minStatelessCount', node.nodeName);
      }
    }
  }

  /** Expansions: debug override, output and tuner algorithm names, algorithm existence, stream state types. */
  private expandNodes(nodes: readonly NormalisedNode[], name: string, kind: PipelineKind, debugOverride: readonly string[]): NormalisedNode[] {
    const expanded = nodes.map((node): NormalisedNode => {
      if (node.includeInResult !== undefined) {
        this.warnings.push(`node "${node.nodeName}" uses "includeInResult": HKube only honours "includeInResults"; the emulator honours both`);
      }
      if (debugOverride.includes(node.nodeName)) return { ...node, kind: 'debug' };
      if (node.kind === 'output') return { ...node, algorithmName: `${name}-output` };
      if (node.kind === 'hyperparamsTuner') return { ...node, algorithmName: `${name}-hyperparamstuner` };
      return node;
    });
    const exists = this.options.algorithmExists;
    for (const node of expanded) {
      if (exists === undefined || node.algorithmName === undefined) continue;
      if (node.kind === 'debug' && !exists(node.algorithmName, 'debug')) this.fail(`debug ${node.algorithmName} does not exists`, node.nodeName);
      if (node.kind === 'algorithm' && !exists(node.algorithmName, 'algorithm')) this.fail(`algorithm ${node.algorithmName} Not Found`, node.nodeName);
    }
    if (kind !== 'stream') return expanded;
    for (const node of expanded) if (node.kind === 'debug') this.warnCappedReplicas(node);
    return expanded.map((node) => {
      const stateType = node.stateType ?? (node.algorithmName === undefined ? undefined : this.options.algorithmStateType?.(node.algorithmName)) ?? 'stateless';
      if (node.kind === 'gateway' && stateType !== 'stateful') this.fail(`Gateway node ${node.nodeName} stateType must be "stateful". Got ${stateType}`, node.nodeName);
      const retry = stateType === 'stateless' ? { policy: 'Never' as const, limit: node.retry.limit } : { policy: 'Always' as const, limit: 10000 };
      return { ...node, stateType, retry };
    });
  }

  /** A debug node has one replica at most (one debugger): stateless counts above 1 are capped, and said so. */
  private warnCappedReplicas(node: NormalisedNode): void {
    const counts = (['minStatelessCount', 'maxStatelessCount'] as const).filter((key) => (node[key] ?? 0) > 1).map((key) => `"${key}": ${String(node[key])}`);
    if (counts.length === 0) return;
    this.warnings.push(`node "${node.nodeName}" is a debug node, which runs one replica at most: ${counts.join(' and ')} ${counts.length === 1 ? 'is' : 'are'} capped at 1`);
  }

  private defaultFlow(streaming: Loose | undefined): string {
    const given = streaming?.['defaultFlow'];
    return typeof given === 'string' && given !== '' ? given : Object.keys(streaming?.['flows'] ?? {})[0]!;
  }

  /** `buildStreamingFlow`: flows only in stream pipelines, a default flow, then the flow grammar. */
  private checkStreaming(streaming: Loose | undefined, kind: PipelineKind, nodes: readonly NormalisedNode[]): ParsedFlows | undefined {
    const flows = streaming?.['flows'] as Loose | undefined;
    if (kind === 'batch') {
      if (flows !== undefined) this.fail('streaming flow is only allowed in stream pipeline');
      return undefined;
    }
    if (flows === undefined || Object.keys(flows).length === 0) this.fail('please specify a stream flow');
    const defaultFlow = streaming?.['defaultFlow'];
    if ((typeof defaultFlow !== 'string' || defaultFlow === '') && Object.keys(flows).length > 1) this.fail('please specify a default stream flow');
    return parseFlows(flows, new Set(nodes.map((node) => node.nodeName)), this.pipelineName);
  }

  /** The DAG build (`checkFlowInput: true`): names, kinds, references, cycles, output placement. */
  private checkGraph(nodes: readonly NormalisedNode[], kind: PipelineKind, edges: readonly PipelineEdge[], name: string, flowInput: unknown): PipelineGraph {
    const names = new Set<string>();
    for (const node of nodes) {
      const nodeName = node.nodeName;
      if (names.has(nodeName)) this.fail(`found duplicate node "${nodeName}"`, nodeName);
      if (RESERVED_NODE_NAMES.includes(nodeName)) this.fail(`pipeline "${name}" has invalid reserved name "${nodeName}"`, nodeName);
      if ((node.kind === 'algorithm' || node.kind === 'debug') && node.algorithmName === undefined) this.fail('please provide algorithm name', nodeName);
      if (node.kind === 'pipeline' && typeof node.spec?.['name'] !== 'string') this.fail('please provide pipeline name', nodeName);
      if (kind === 'batch' && node.stateType === 'stateful') this.fail(`stateful node "${nodeName}" is not allowed on batch pipeline`, nodeName);
      if (kind === 'stream' && node.kind === 'output') this.fail(`node "${nodeName}" from kind output can not be used in a streaming pipeline`, nodeName);
      names.add(nodeName);
    }
    const checkFlowInput = this.options.checkFlowInput ?? true;
    for (const node of nodes) {
      for (const expression of compileInput(node.input).expressions) {
        if (expression.type === 'node' && kind === 'stream') {
          this.fail('the "@" sign is not allowed in "stream" pipeline, please use the "streaming.flows" property instead', node.nodeName);
        }
        if (expression.type === 'flowInput' && checkFlowInput && getPath({ flowInput }, expression.body) === undefined) {
          this.fail(`unable to find ${expression.body}`, node.nodeName);
        }
        if (expression.type === 'node' && !names.has(expression.nodeName)) {
          this.fail(`node "${node.nodeName}" is depend on node "${expression.nodeName}" which is not exists`, node.nodeName);
        }
      }
    }
    const graph = buildGraph({ name, nodes, edges });
    if (kind === 'batch' && findCycle(graph) !== undefined) this.fail('cyclic nodes are not allowed on batch pipeline');
    for (const node of graph.nodes) {
      if (node.node.kind === 'output' && node.childs.length > 0) this.fail(`node "${node.name}" should not have child nodes`, node.name);
      if (node.node.kind === 'output' && node.parents.length === 0) this.fail(`node "${node.name}" should have parent nodes`, node.name);
      if (kind === 'stream' && node.parents.length === 0 && node.node.stateType === 'stateless') {
        this.fail(`entry node "${node.name}" cannot be stateless on stream pipeline`, node.name);
      }
    }
    return graph;
  }

  /** B17: what HKube accepts but never finishes, and what the emulator does not implement. */
  private checkEmulatorRules(graph: PipelineGraph): void {
    for (const node of graph.nodes) {
      for (const expression of node.input.expressions) {
        const where = `node "${node.name}" input "${expression.text}"`;
        if (expression.type === 'literalBatch') {
          if (literalBatchSize(expression.text) > MAX_BATCH_ITEMS) this.fail(`${where}: a batch of more than ${MAX_BATCH_ITEMS} items is not supported`, node.name);
          continue;
        }
        if (expression.type === 'dataSource') this.fail(`${where}: dataSource references are not supported by the emulator`, node.name);
        if (expression.relation === 'waitAnyBatch') {
          this.fail(`${where}: "*#@" (wait-any batch) is not supported: HKube never runs such a node`, node.name);
        }
        if (expression.relation !== 'waitAny') continue;
        if (expression.type === 'flowInput') this.fail(`${where}: "*@" needs a batch node, and flowInput is not a node`, node.name);
        if (expression.type === 'node' && graph.byName.get(expression.nodeName)?.batch !== true) {
          this.fail(`${where}: "*@" needs a batch node, and node "${expression.nodeName}" is not a batch node (HKube would never run "${node.name}")`, node.name);
        }
      }
    }
  }
}

/**
 * Validates a pipeline descriptor and fills in its defaults, with HKube's messages. Never throws.
 *
 * @example
 * ```ts
 * const checked = validatePipeline({ name: 'p', nodes: [{ nodeName: 'A', algorithmName: 'echo', input: [1] }] });
 * if (!checked.ok) console.error(checked.error.message);
 * ```
 */
export function validatePipeline(descriptor: unknown, options: ValidateOptions = {}): ValidationResult {
  const validation = new Validation(options);
  try {
    const pipeline = validation.run(descriptor);
    return { ok: true, pipeline, warnings: validation.warnings };
  } catch (thrown) {
    if (thrown instanceof PipelineValidationError) return { ok: false, error: thrown };
    const message = thrown instanceof Error ? thrown.message : String(thrown);
    return { ok: false, error: new PipelineValidationError(`invalid pipeline: ${message}`, { pipelineName: validation.pipelineName }) };
  }
}
