/** The options of a job run: who runs tasks, the signal that stops it, progress and test hooks. */
import type { ProgressEvent } from './progress.js';
import type { ParentOutput } from './resolve.js';
import type { AutoscaleSettings } from './streaming/autoscale.js';
import type { EdgeStatistics } from './streaming/edge-statistics.js';
import type { ExecuteTask } from './task.js';

/** Options of a stream job (pipeline-semantics §4). */
export interface StreamingRunOptions {
  /** How often the autoscaler looks at the statistics, in ms (HKube: 10 000). Default 2000. */
  readonly autoscaleIntervalMs?: number;
  /** Least time between two scalings of one node, in ms (HKube: 30 000). Default 0. */
  readonly minScaleIntervalMs?: number;
  /** HKube's autoscaler constants, to override. */
  readonly autoscale?: Partial<AutoscaleSettings>;
  /**
   * How often a failed stateful task is started again (HKube: `Always`, limit 10 000). Default 3. A job
   * whose stateful tasks have all failed past this limit fails (HKube would wait for ever).
   */
  readonly statefulRetryLimit?: number;
  /** Receives the statistics of every flow edge after each producer report and autoscaler tick. */
  readonly onStatistics?: (edges: readonly EdgeStatistics[]) => void;
}

/** Options of `runJob`. */
export interface RunJobOptions {
  readonly jobId: string;
  /** Runs one task. */
  readonly executeTask: ExecuteTask;
  /** The job's flowInput. Default: the pipeline's `flowInput`. */
  readonly flowInput?: unknown;
  /** Aborting it stops the job; a string `reason` becomes the job's `reason` (default `stopped due to request`). */
  readonly signal?: AbortSignal;
  /** Receives progress events (by default only those that pass the pipeline's `progressVerbosityLevel`). */
  readonly onProgress?: (event: ProgressEvent) => void;
  /** `verbosity` (default) filters events by `progressVerbosityLevel`; `none` passes all of them. */
  readonly progressFilter?: 'verbosity' | 'none';
  /** Clock in milliseconds since the epoch. Default `Date.now`. */
  readonly now?: () => number;
  /** Most tasks running at once. Default unlimited. */
  readonly concurrency?: number;
  /** Set as `info.rootJobId` of every task. */
  readonly rootJobId?: string;
  /** Stop the job after `options.ttl` / `options.activeTtl` seconds (`pipeline expired`). Default true. */
  readonly enforceJobTtl?: boolean;
  /** Task id generator. Default: random 8-character lowercase ids. */
  readonly createTaskId?: () => string;
  /**
   * Nodes that do not run: each is done from the start with the given output (what its children read),
   * `executeTask` is never called for it, and it is not in the job result (run from node,
   * pipeline-semantics §5.3). Every parent of a cached node must be cached too, and a cached node may
   * not be a wait-any (`*@`) parent of a node that runs.
   */
  readonly cachedOutputs?: ReadonlyMap<string, ParentOutput>;
  /** Stream jobs only: autoscaling and statistics. */
  readonly streaming?: StreamingRunOptions;
}
