/**
 * The pure pipeline engine of the emulator: descriptor validation, the input grammar, the DAG
 * scheduler, batch expansion, stream jobs (edge statistics, the autoscaler), results and progress. No
 * I/O: tasks run through an injected executor.
 */
export type {
  BatchOperation,
  ConcurrentPipelinesOptions,
  FlowStep,
  NodeKind,
  NormalisedNode,
  NormalisedOptions,
  NormalisedPipeline,
  NormalisedStreaming,
  PipelineDescriptor,
  PipelineEdge,
  PipelineKind,
  PipelineNodeDescriptor,
  PipelineOptions,
  PipelineWebhooks,
  ProgressLevel,
  RetryOptions,
  RetryPolicy,
  StateType,
  StreamingDescriptor,
} from './descriptor.js';
export { PIPELINE_DEFAULTS, RESERVED_NODE_NAMES } from './defaults.js';
export {
  BatchToleranceError,
  EngineError,
  NodeInputError,
  PipelineValidationError,
  TaskInputError,
  TaskScaledDownError,
  TaskStoppedError,
  TaskTtlExpiredError,
  UnsupportedPipelineError,
  type EngineErrorCode,
} from './errors.js';
export { parseFlows, type ParsedFlows } from './flows.js';
export { buildGraph, findCycle, type EdgeType, type GraphEdge, type GraphNode, type PipelineGraph } from './graph.js';
export {
  classifyLeaf,
  isBatchExpression,
  literalBatchSize,
  parseLiteralBatch,
  type DataSourceReference,
  type FlowInputReference,
  type InputExpression,
  type InputReference,
  type LiteralBatch,
  type NodeReference,
  type Relation,
} from './grammar.js';
export { compileInput, expandInput, parseInput, type CompiledInput, type ExpandedInput, type InputTemplate, type ParsedInput } from './input-parser.js';
export { runJob, type RunJobOptions } from './job.js';
export type { StreamingRunOptions } from './job-options.js';
export { HKUBE_AUTOSCALE_SETTINGS, requiredReplicas, type AutoscaleInput, type AutoscaleSettings } from './streaming/autoscale.js';
export { StreamStatistics, WINDOW_SIZE, type EdgeStatistics, type ProducerReport, type TargetLoad } from './streaming/edge-statistics.js';
export { isProgressReported, type JobStatus, type ProgressEvent, type TaskStates } from './progress.js';
export { MAX_BATCH_ITEMS, type BatchItemOutput, type ParentOutput, type ParentOutputs, type ResolveContext } from './resolve.js';
export type { CompletedJobResult, FailedJobResult, JobResult, NodeResult, StoppedJobResult } from './results.js';
export { FINAL_TASK_STATUSES, type ExecuteTask, type StreamTaskInfo, type TaskHooks, type TaskInfo, type TaskOutcome, type TaskRequest, type TaskStatus } from './task.js';
export { validatePipeline, type ValidateOptions, type ValidationResult } from './validate.js';
