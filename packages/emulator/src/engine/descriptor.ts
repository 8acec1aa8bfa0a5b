/**
 * Types of the HKube pipeline descriptor, as a user writes it ({@link PipelineDescriptor}) and as
 * {@link validatePipeline} returns it with every default filled in ({@link NormalisedPipeline}).
 * Source: HKube's OpenAPI schemas `pipeline.yaml`, `pipelineNode.yaml`, `options.yaml`.
 */

/** A pipeline's kind. */
export type PipelineKind = 'batch' | 'stream';

/** A node's kind. In the emulator a `debug` node's tasks are served to a debugger that attaches. */
export type NodeKind = 'algorithm' | 'pipeline' | 'debug' | 'dataSource' | 'gateway' | 'output' | 'hyperparamsTuner';

/** How several batch lists of one node combine: item by item, or every combination. */
export type BatchOperation = 'indexed' | 'cartesian';

/** When HKube re-runs a failed task. */
export type RetryPolicy = 'Never' | 'Always' | 'OnError' | 'OnCrash';

/** A streaming node's state type. */
export type StateType = 'stateful' | 'stateless';

/** Log levels used by progress events and `progressVerbosityLevel`. */
export type ProgressLevel = 'trace' | 'debug' | 'info' | 'warning' | 'error' | 'critical';

/** A node's retry settings. */
export interface RetryOptions {
  /** Default `OnCrash`. */
  readonly policy?: RetryPolicy;
  /** Default 3. */
  readonly limit?: number;
}

/** One node of a pipeline descriptor. */
export interface PipelineNodeDescriptor {
  /** Unique within the pipeline; `flowInput` and `dataSource` are reserved. */
  readonly nodeName: string;
  /** Required for kinds `algorithm` and `debug`. */
  readonly algorithmName?: string;
  /** Input expressions (§1.3 of the spec). Default `[]`. */
  readonly input?: readonly unknown[];
  /** Default `algorithm`. */
  readonly kind?: NodeKind;
  /** Default: behaves as `indexed`. */
  readonly batchOperation?: BatchOperation;
  /** List this node in the job result even when it has children. */
  readonly includeInResults?: boolean;
  /** The schema's singular spelling: HKube ignores it, the emulator honours it and warns. */
  readonly includeInResult?: boolean;
  /** Per-task time limit in seconds; 0 or absent means none. */
  readonly ttl?: number;
  /** Retry settings, handed to the task. */
  readonly retry?: RetryOptions;
  /** Streaming only. */
  readonly stateType?: StateType;
  /** Streaming stateless only. Default 0. */
  readonly minStatelessCount?: number;
  /** Streaming stateless only. */
  readonly maxStatelessCount?: number | null;
  /** Kind-specific settings (`{name}` for `pipeline`, the tuner's spec, …). */
  readonly spec?: Readonly<Record<string, unknown>>;
  /** Not used by the emulator. */
  readonly metrics?: { readonly tensorboard?: boolean };
  /** Forwarded to the algorithm as `info.extraData`. */
  readonly extraData?: unknown;
}

/** `options.concurrentPipelines`. */
export interface ConcurrentPipelinesOptions {
  /** 1..10000. */
  readonly amount: number;
  /** Default true. */
  readonly rejectOnFailure?: boolean;
}

/** A pipeline's `options`. */
export interface PipelineOptions {
  /** Integer 0..100, default 80. */
  readonly batchTolerance?: number;
  /** Job time limit in seconds, default 3600; 0 disables it. */
  readonly ttl?: number;
  /** Time limit from activation, in seconds. */
  readonly activeTtl?: number;
  /** Limit on running jobs of the same pipeline (enforced outside the engine). */
  readonly concurrentPipelines?: ConcurrentPipelinesOptions;
  /** Default `info`. */
  readonly progressVerbosityLevel?: ProgressLevel;
  /** Node names to run as debug nodes. */
  readonly debugOverride?: readonly string[];
}

/** A pipeline's `webhooks`. */
export interface PipelineWebhooks {
  /** URL that receives progress events. */
  readonly progress?: string;
  /** URL that receives the job result. */
  readonly result?: string;
}

/** An ordering-only edge (batch) or a flow edge (stream, with `types: ['customStream']`). */
export interface PipelineEdge {
  /** The node that must finish first. */
  readonly source: string;
  /** The node that waits. */
  readonly target: string;
  /** Set on the flow edges of a normalised stream pipeline. */
  readonly types?: readonly string[];
}

/** A stream pipeline's `streaming` section. */
export interface StreamingDescriptor {
  /** Flow name → flow expression such as `A >> B&C | B >> D`. */
  readonly flows?: Readonly<Record<string, string>>;
  /** Required when there is more than one flow. */
  readonly defaultFlow?: string;
}

/** A pipeline descriptor as a user writes it. Unknown top-level properties are accepted. */
export interface PipelineDescriptor {
  /** `^[:\-_.A-Za-z0-9]+$`. */
  readonly name: string;
  /** Default `batch`. */
  readonly kind?: PipelineKind;
  /** At least one. */
  readonly nodes: readonly PipelineNodeDescriptor[];
  /** Read by nodes through `@flowInput…`. */
  readonly flowInput?: Readonly<Record<string, unknown>> | null;
  /** Default `{}` plus the option defaults. */
  readonly options?: PipelineOptions;
  /** Progress and result URLs. */
  readonly webhooks?: PipelineWebhooks;
  /** Integer 1..5, default 3. Not used by the engine. */
  readonly priority?: number;
  /** Stream pipelines only. */
  readonly streaming?: StreamingDescriptor;
  /** Extra ordering-only edges. */
  readonly edges?: readonly PipelineEdge[];
  /** Not used by the engine. */
  readonly experimentName?: string;
  /** Not used by the engine. */
  readonly description?: string;
  /** Not used by the engine. */
  readonly tags?: readonly string[];
  /** Not used by the engine. */
  readonly triggers?: unknown;
  /** Not used by the engine. */
  readonly version?: string;
  /** The first job of a chain of jobs (sub-pipelines, caching). */
  readonly rootJobId?: string;
}

/** A node with its defaults applied. */
export interface NormalisedNode extends PipelineNodeDescriptor {
  readonly kind: NodeKind;
  readonly input: readonly unknown[];
  readonly minStatelessCount: number;
  readonly retry: { readonly policy: RetryPolicy; readonly limit: number };
}

/** The options with their defaults applied. */
export interface NormalisedOptions extends PipelineOptions {
  readonly batchTolerance: number;
  readonly ttl: number;
  readonly progressVerbosityLevel: ProgressLevel;
}

/** One step of a parsed flow: messages from `source` go to every node of `next`. */
export interface FlowStep {
  /** The sending node. */
  readonly source: string;
  /** Its recipients, in order of appearance. */
  readonly next: readonly string[];
}

/** A stream pipeline's `streaming` section after parsing. */
export interface NormalisedStreaming {
  /** The flows as written. */
  readonly flows: Readonly<Record<string, string>>;
  /** The given default flow, or the only flow. */
  readonly defaultFlow: string;
  /** Flow name → ordered steps. */
  readonly parsedFlow: Readonly<Record<string, readonly FlowStep[]>>;
}

/** A validated pipeline with every default filled in. Produced by {@link validatePipeline}. */
export interface NormalisedPipeline extends PipelineDescriptor {
  readonly kind: PipelineKind;
  readonly nodes: readonly NormalisedNode[];
  readonly options: NormalisedOptions;
  readonly priority: number;
  /** Batch: the descriptor's edges. Stream: the flow edges, with `types: ['customStream']`. */
  readonly edges: readonly PipelineEdge[];
  /** Present on stream pipelines only. */
  readonly streaming?: NormalisedStreaming;
}
