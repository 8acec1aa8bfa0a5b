/**
 * The job result (§2.7 of the spec): the shape `/exec/results` returns, and the `data` list of node
 * results.
 */

/** One entry of a completed job's `data`: a node (or one batch item of it). Undefined keys are absent. */
export interface NodeResult {
  readonly nodeName: string;
  /** Present for batch and wait-any items (1-based) and for a skipped node (-1). */
  readonly batchIndex?: number;
  readonly algorithmName?: string;
  /** The output, when the task succeeded. */
  readonly result?: unknown;
  /** The error, when the (tolerated) task failed. */
  readonly error?: string;
}

interface JobResultBase {
  readonly jobId: string;
  /** The pipeline's name. */
  readonly pipeline: string;
  /** Milliseconds since the epoch. */
  readonly startTime: number;
  /** When the job ended, in milliseconds since the epoch. */
  readonly timestamp: number;
  /** Seconds from `startTime` to `timestamp`. */
  readonly timeTook: number;
}

/** A completed job: the sinks and `includeInResults` nodes, in declaration order. */
export interface CompletedJobResult extends JobResultBase {
  readonly status: 'completed';
  readonly data: readonly NodeResult[];
}

/** A failed job: the error, and the node it came from. No data. */
export interface FailedJobResult extends JobResultBase {
  readonly status: 'failed';
  readonly error: string;
  readonly nodeName?: string;
}

/** A stopped job: the reason. No data. */
export interface StoppedJobResult extends JobResultBase {
  readonly status: 'stopped';
  /** `stopped due to request` unless the stop gave one. */
  readonly reason: string;
}

/** The result of a job. */
export type JobResult = CompletedJobResult | FailedJobResult | StoppedJobResult;

/** Builds a {@link NodeResult} without its undefined keys. */
export function nodeResult(fields: {
  readonly nodeName: string;
  readonly batchIndex?: number | undefined;
  readonly algorithmName?: string | undefined;
  readonly result?: unknown;
  readonly error?: string | undefined;
}): NodeResult {
  const entry: Record<string, unknown> = { nodeName: fields.nodeName };
  if (fields.batchIndex !== undefined) entry['batchIndex'] = fields.batchIndex;
  if (fields.algorithmName !== undefined) entry['algorithmName'] = fields.algorithmName;
  if (fields.result !== undefined) entry['result'] = fields.result;
  if (fields.error !== undefined) entry['error'] = fields.error;
  return entry as unknown as NodeResult;
}
