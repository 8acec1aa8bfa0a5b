/**
 * The contract between the engine and whatever runs algorithms: the engine hands out
 * {@link TaskRequest}s and awaits {@link TaskOutcome}s. Shapes follow the job data HKube gives a
 * worker (§2.5 of the spec), with inputs already resolved to values.
 */
import type { FlowStep, NodeKind, PipelineKind, RetryOptions, StateType } from './descriptor.js';
import type { ProducerReport } from './streaming/edge-statistics.js';

/** Statuses of a task (and of a node that has no task yet: `creating`, `preschedule`). */
export type TaskStatus = 'creating' | 'preschedule' | 'pending' | 'active' | 'succeed' | 'failed' | 'skipped' | 'stopped';

/** Statuses after which a task never changes again. */
export const FINAL_TASK_STATUSES: ReadonlySet<TaskStatus> = new Set<TaskStatus>(['succeed', 'failed', 'skipped', 'stopped']);

/** The `info` part of a task's job data. */
export interface TaskInfo {
  /** The `<node>[.<path>]` references the node's children make to it. */
  readonly savePaths: readonly string[];
  /** The node's `extraData`. */
  readonly extraData?: unknown;
  /** The first job of a chain of jobs, when this job is not the first. */
  readonly rootJobId?: string;
  /** HKube's summary of the previous run of the pipeline; always `null` in the engine. */
  readonly lastRunResult: null;
}

/** One task to run. */
export interface TaskRequest {
  readonly jobId: string;
  /** 8 lowercase alphanumeric characters, unique within the job. */
  readonly taskId: string;
  readonly nodeName: string;
  /** Absent only for node kinds without an algorithm (`pipeline`, `dataSource`). */
  readonly algorithmName?: string;
  readonly pipelineName: string;
  /** The pipeline's kind. */
  readonly kind: PipelineKind;
  /** The node's kind (`output` nodes never reach the executor: the engine runs them as identity). */
  readonly nodeKind: NodeKind;
  /** Resolved input values, deep copies. */
  readonly input: unknown[];
  /** 1-based for batch and wait-any items, 0 for a single task. */
  readonly batchIndex: number;
  readonly info: TaskInfo;
  /** Graph neighbours of the node. */
  readonly parents: readonly string[];
  readonly childs: readonly string[];
  /** The node's `ttl` in seconds (the engine enforces it). */
  readonly ttl?: number;
  /** The node's retry settings (not enforced by the engine). */
  readonly retry?: RetryOptions;
  /** The node's kind-specific spec. */
  readonly spec?: Readonly<Record<string, unknown>>;
  /** Set on the tasks of a stream pipeline. */
  readonly stream?: StreamTaskInfo;
}

/** What a stream task adds to its job data (worker-protocol §4.1, pipeline-semantics §4). */
export interface StreamTaskInfo {
  /** The node's state type. */
  readonly stateType: StateType;
  /** Every flow of the pipeline. */
  readonly parsedFlow: Readonly<Record<string, readonly FlowStep[]>>;
  /** The flow `sendMessage` uses without a flow name. */
  readonly defaultFlow: string;
  /** True for the `minStatelessCount` replicas started with the job (HKube's `isScaled`). */
  readonly isScaled?: boolean;
}

/** Callbacks a running task uses to report to its job. */
export interface TaskHooks {
  /** A stream producer's `streamingStatistics` report, one entry per child node. */
  readonly onStatistics?: (entries: readonly ProducerReport[]) => void;
}

/** How a task ended, as reported by the executor. */
export type TaskOutcome = { readonly status: 'succeed'; readonly result: unknown } | { readonly status: 'failed'; readonly error: string };

/**
 * Runs one task. `signal` aborts when the task must stop (its ttl expired, its job failed or was
 * stopped, its stream replica was scaled down: a `TaskScaledDownError` reason); the outcome of an
 * aborted task is ignored. A thrown error or rejected promise counts as a failed outcome with the
 * error's message. Stream jobs pass `hooks` for what their tasks report while they run.
 */
export type ExecuteTask = (task: TaskRequest, signal: AbortSignal, hooks?: TaskHooks) => Promise<TaskOutcome>;
