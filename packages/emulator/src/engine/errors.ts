/**
 * Failures of the pipeline engine. Each class stands for one failure, carries a stable `code` and the
 * ids involved. The engine reports job failures as strings in the job result (as HKube does); these
 * classes carry the same message plus structured details, and are used as `AbortSignal` reasons.
 */

import { HkubeError } from '@hkube-ts/protocol';

/** Codes of the failures reported by the pipeline engine. */
export type EngineErrorCode =
  | 'PIPELINE_INVALID'
  | 'PIPELINE_UNSUPPORTED'
  | 'NODE_INPUT_INVALID'
  | 'TASK_INPUT_UNRESOLVED'
  | 'BATCH_TOLERANCE_EXCEEDED'
  | 'TASK_TTL_EXPIRED'
  | 'TASK_STOPPED'
  | 'TASK_SCALED_DOWN';

/** Base of every engine error (an `HkubeError`, so `HkubeError.is(err)` holds across packages). */
export abstract class EngineError extends HkubeError {
  /** A stable identifier of the failure, e.g. `PIPELINE_INVALID`. */
  abstract override readonly code: EngineErrorCode;
}

/** A pipeline descriptor that breaks a validation rule. The message is HKube's, word for word, where HKube has one. */
export class PipelineValidationError extends EngineError {
  readonly code = 'PIPELINE_INVALID' as const;
  /** The pipeline's name, when the descriptor had a readable one. */
  readonly pipelineName: string | undefined;
  /** The node the rule is about, when there is one. */
  readonly nodeName: string | undefined;

  constructor(message: string, ids: { readonly pipelineName?: string | undefined; readonly nodeName?: string | undefined } = {}) {
    super(message);
    this.pipelineName = ids.pipelineName;
    this.nodeName = ids.nodeName;
  }
}

/** A valid pipeline that this engine cannot run (kept for callers; the engine runs batch and stream pipelines). */
export class UnsupportedPipelineError extends EngineError {
  readonly code = 'PIPELINE_UNSUPPORTED' as const;
  /** The pipeline's name. */
  readonly pipelineName: string;

  constructor(pipelineName: string, problem: string) {
    super(`pipeline "${pipelineName}": ${problem}`);
    this.pipelineName = pipelineName;
  }
}

/**
 * A node whose input cannot be turned into tasks (a batch over a path that is missing, a batch too
 * large). Fails the whole job, with `nodeName`.
 */
export class NodeInputError extends EngineError {
  readonly code = 'NODE_INPUT_INVALID' as const;
  /** The node whose input could not be expanded. */
  readonly nodeName: string;
  /** The input expression at fault, e.g. `#@A.nope`. */
  readonly expression: string | undefined;

  constructor(nodeName: string, expression: string | undefined, problem: string) {
    super(expression === undefined ? `node "${nodeName}": ${problem}` : `node "${nodeName}" input "${expression}": ${problem}`);
    this.nodeName = nodeName;
    this.expression = expression;
  }
}

/**
 * One task's input that refers to data that does not exist, e.g. `@X` where a (tolerated) batch item of X
 * failed. Fails that task only, which then counts like any failed task.
 */
export class TaskInputError extends EngineError {
  readonly code = 'TASK_INPUT_UNRESOLVED' as const;
  /** The node whose task could not be given its input. */
  readonly nodeName: string;
  /** The input expression at fault. */
  readonly expression: string;
  /** The parent node the expression refers to. */
  readonly parentNodeName: string;
  /** The parent's failed batch item. */
  readonly parentBatchIndex: number;

  constructor(nodeName: string, expression: string, parentNodeName: string, parentBatchIndex: number, parentError: string | undefined) {
    const why = parentError === undefined ? '' : ` (${parentError})`;
    super(
      `node "${nodeName}" input "${expression}" cannot be resolved: batch item ${parentBatchIndex} of node "${parentNodeName}" failed${why}`,
    );
    this.nodeName = nodeName;
    this.expression = expression;
    this.parentNodeName = parentNodeName;
    this.parentBatchIndex = parentBatchIndex;
  }
}

/** A batch node whose failed items reached `options.batchTolerance`. The message is HKube's. */
export class BatchToleranceError extends EngineError {
  readonly code = 'BATCH_TOLERANCE_EXCEEDED' as const;
  /** The batch node. */
  readonly nodeName: string;
  /** Failed items so far. */
  readonly failed: number;
  /** All items of the node, finished or not. */
  readonly total: number;
  /** `round(failed / total * 100)`. */
  readonly percent: number;
  /** The pipeline's `batchTolerance`. */
  readonly tolerance: number;

  constructor(nodeName: string, failed: number, total: number, tolerance: number, taskError: string) {
    const percent = Math.round((failed / total) * 100);
    super(`${failed}/${total} (${percent}%) failed tasks, batch tolerance is ${tolerance}%, error: ${taskError}`);
    this.nodeName = nodeName;
    this.failed = failed;
    this.total = total;
    this.percent = percent;
    this.tolerance = tolerance;
  }
}

/** A task that ran longer than its node's `ttl`. Also the `reason` of the task's aborted signal. */
export class TaskTtlExpiredError extends EngineError {
  readonly code = 'TASK_TTL_EXPIRED' as const;
  /** The expired task. */
  readonly taskId: string;
  /** Its node. */
  readonly nodeName: string;
  /** The node's `ttl`, in seconds. */
  readonly ttl: number;

  constructor(taskId: string, nodeName: string, ttl: number) {
    super('Algorithm TTL expired');
    this.taskId = taskId;
    this.nodeName = nodeName;
    this.ttl = ttl;
  }
}

/** The `reason` of a running task's aborted signal when its job failed or was stopped. */
export class TaskStoppedError extends EngineError {
  readonly code = 'TASK_STOPPED' as const;
  /** The job the task belongs to. */
  readonly jobId: string;
  /** The stopped task. */
  readonly taskId: string;
  /** Why its job ended. */
  readonly reason: string;

  constructor(jobId: string, taskId: string, reason: string) {
    super(`task ${taskId} of job ${jobId} stopped: ${reason}`);
    this.jobId = jobId;
    this.taskId = taskId;
    this.reason = reason;
  }
}

/**
 * The `reason` of a stateless stream replica's aborted signal when the autoscaler removes it: its
 * worker is sent `stop {forceStop: false}`, so the wrapper drains its queue before it answers `stopped`
 * (worker-protocol §7.4), unlike every other abort, which is a forced stop.
 */
export class TaskScaledDownError extends EngineError {
  readonly code = 'TASK_SCALED_DOWN' as const;
  /** The job the replica belongs to. */
  readonly jobId: string;
  /** The replica's task. */
  readonly taskId: string;
  /** Its node. */
  readonly nodeName: string;

  constructor(jobId: string, taskId: string, nodeName: string) {
    super(`task ${taskId} of node ${nodeName} in job ${jobId} was scaled down`);
    this.jobId = jobId;
    this.taskId = taskId;
    this.nodeName = nodeName;
  }
}
