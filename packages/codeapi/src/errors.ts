/**
 * The failures of Code API calls. Every one extends {@link HkubeError} (from `@hkube-ts/protocol`), has a
 * stable {@link CodeApiError.code} and carries the ids involved, so callers can branch on the class or
 * the code.
 *
 * @module
 */

import { HkubeError, type DataSourceRef, type HkubeErrorOptions } from '@hkube-ts/protocol';

/** What a Code API request starts: a child algorithm, a sub-pipeline, or a data-source lookup. */
export type CodeApiRequestKind = 'algorithm' | 'subpipeline' | 'dataSource';

/** Codes of the failures reported by `@hkube-ts/codeapi`. */
export type CodeApiErrorCode =
  | 'ALGORITHM_EXECUTION_FAILED'
  | 'SUBPIPELINE_FAILED'
  | 'EXECUTION_STOPPED'
  | 'EXECUTION_TIMED_OUT'
  | 'DATA_SOURCE_FAILED'
  | 'CODE_API_CLOSED'
  | 'REQUEST_FAILED'
  | 'RESULT_FETCH_FAILED'
  | 'METRICS_DIR_UNAVAILABLE'
  | 'NOT_A_STREAMING_TASK'
  | 'NO_SUCH_FLOW'
  | 'NO_STREAM_CONSUMERS'
  | 'STREAMING_CLOSED';

/**
 * Base class of every Code API failure.
 *
 * @example
 * ```ts
 * try { await api.startAlgorithm('green-alg', [1]); }
 * catch (err) { if (err instanceof CodeApiError) console.warn(err.code, err.message); }
 * ```
 */
export abstract class CodeApiError extends HkubeError {
  abstract override readonly code: CodeApiErrorCode;
}

/**
 * The worker reported that a child algorithm failed (`algorithmExecutionError`): the algorithm does not
 * exist, the request was invalid, or the child task failed, stalled or crashed.
 *
 * @example
 * ```ts
 * try { await api.startAlgorithm('missing-alg'); }
 * catch (err) { if (err instanceof AlgorithmExecutionError) log(err.execId, err.workerMessage); }
 * ```
 */
export class AlgorithmExecutionError extends CodeApiError {
  readonly code = 'ALGORITHM_EXECUTION_FAILED' as const;
  /** The execution's id. */
  readonly execId: string;
  /** The algorithm that was started. */
  readonly algorithmName: string;
  /** The error text exactly as the worker (or the debug relay) sent it. */
  readonly workerMessage: string;

  constructor(execId: string, algorithmName: string, workerMessage: string, options: HkubeErrorOptions = {}) {
    super(`algorithm execution ${execId} (${algorithmName}) failed: ${workerMessage}`, options);
    this.execId = execId;
    this.algorithmName = algorithmName;
    this.workerMessage = workerMessage;
  }
}

/**
 * The worker reported that a sub-pipeline failed (`subPipelineError`): rejected by validation or by the
 * api-server, or the sub-pipeline job failed.
 *
 * @example
 * ```ts
 * try { await api.startStoredSubpipeline('simple'); }
 * catch (err) { if (err instanceof SubpipelineError) log(err.subPipelineId, err.workerMessage); }
 * ```
 */
export class SubpipelineError extends CodeApiError {
  readonly code = 'SUBPIPELINE_FAILED' as const;
  /** The sub-pipeline's id. */
  readonly subPipelineId: string;
  /** The pipeline's name. */
  readonly pipelineName: string;
  /** The error text exactly as the worker (or the debug relay) sent it. */
  readonly workerMessage: string;

  constructor(subPipelineId: string, pipelineName: string, workerMessage: string, options: HkubeErrorOptions = {}) {
    super(`sub-pipeline ${subPipelineId} (${pipelineName}) failed: ${workerMessage}`, options);
    this.subPipelineId = subPipelineId;
    this.pipelineName = pipelineName;
    this.workerMessage = workerMessage;
  }
}

/** Who stopped a request: the calling algorithm (`stop()`, an abort signal) or the platform. */
export type StoppedBy = 'caller' | 'platform';

/**
 * The request was stopped before it produced a value: by `execution.stop()`, by its abort signal
 * (`stoppedBy: 'caller'`), or by the platform (`subPipelineStopped`, `stoppedBy: 'platform'`).
 * Unlike the Node wrapper, which resolves a stopped sub-pipeline with `undefined`, a stopped
 * request always rejects with this error.
 *
 * @example
 * ```ts
 * const run = api.startAlgorithm('slow-alg');
 * await run.stop('no longer needed');
 * await run.catch((err) => err instanceof ExecutionStoppedError); // true
 * ```
 */
export class ExecutionStoppedError extends CodeApiError {
  readonly code = 'EXECUTION_STOPPED' as const;
  /** The request's id (`execId`, `subPipelineId` or `requestId`). */
  readonly id: string;
  /** What was stopped. */
  readonly kind: CodeApiRequestKind;
  /** Algorithm or pipeline name (the data-source id for data sources). */
  readonly target: string;
  /** Why it was stopped. */
  readonly reason: string;
  /** Who stopped it. */
  readonly stoppedBy: StoppedBy;

  constructor(
    init: { id: string; kind: CodeApiRequestKind; target: string; reason: string; stoppedBy: StoppedBy },
    options: HkubeErrorOptions = {},
  ) {
    super(`${describeRequest(init.kind, init.id, init.target)} was stopped: ${init.reason}`, options);
    this.id = init.id;
    this.kind = init.kind;
    this.target = init.target;
    this.reason = init.reason;
    this.stoppedBy = init.stoppedBy;
  }
}

/**
 * The request did not settle within its `timeoutMs`. For executions and sub-pipelines the matching
 * stop command was sent to the worker as well.
 *
 * @example
 * ```ts
 * await api.startAlgorithm('slow-alg', [], { timeoutMs: 60_000 })
 *   .catch((err) => { if (err instanceof ExecutionTimeoutError) return fallback; throw err; });
 * ```
 */
export class ExecutionTimeoutError extends CodeApiError {
  readonly code = 'EXECUTION_TIMED_OUT' as const;
  /** The request's id. */
  readonly id: string;
  /** What timed out. */
  readonly kind: CodeApiRequestKind;
  /** Algorithm or pipeline name (the data-source id for data sources). */
  readonly target: string;
  /** The limit that was exceeded. */
  readonly timeoutMs: number;

  constructor(init: { id: string; kind: CodeApiRequestKind; target: string; timeoutMs: number }) {
    super(`${describeRequest(init.kind, init.id, init.target)} timed out after ${init.timeoutMs} ms`);
    this.id = init.id;
    this.kind = init.kind;
    this.target = init.target;
    this.timeoutMs = init.timeoutMs;
  }
}

/**
 * The worker could not resolve a data source (`dataSourceResponse` with `error`), or its answer was
 * not a `{ name, files }` object.
 *
 * @example
 * ```ts
 * const ds = await api.getDataSource({ dataSourceId: 'abc' }).catch((err) => {
 *   if (err instanceof DataSourceError) return undefined;
 *   throw err;
 * });
 * ```
 */
export class DataSourceError extends CodeApiError {
  readonly code = 'DATA_SOURCE_FAILED' as const;
  /** The request's id. */
  readonly requestId: string;
  /** The data source that was asked for. */
  readonly dataSource: DataSourceRef;
  /** The error text as the worker sent it (or a description of the malformed answer). */
  readonly workerMessage: string;

  constructor(requestId: string, dataSource: DataSourceRef, workerMessage: string, options: HkubeErrorOptions = {}) {
    super(`data source request ${requestId} (${describeDataSource(dataSource)}) failed: ${workerMessage}`, options);
    this.requestId = requestId;
    this.dataSource = dataSource;
    this.workerMessage = workerMessage;
  }
}

/**
 * The Code API was closed because the task ended. Requests still pending at that moment reject with
 * it (the worker itself stops the task's executions and sub-pipelines), and every later call rejects
 * with it immediately.
 *
 * @example
 * ```ts
 * session.close('task finished');
 * await session.api.progress(50).catch((err) => err instanceof CodeApiClosedError); // true
 * ```
 */
export class CodeApiClosedError extends CodeApiError {
  readonly code = 'CODE_API_CLOSED' as const;
  /** Why the Code API was closed. */
  readonly reason: string;
  /** The id of the request that was cut short, if any. */
  readonly id: string | undefined;

  constructor(reason: string, id?: string) {
    super(id === undefined ? `the Code API is closed: ${reason}` : `request ${id} cancelled, the Code API was closed: ${reason}`);
    this.reason = reason;
    this.id = id;
  }
}

/**
 * A request could not be made: storing its input failed (`phase: 'writeInput'`) or the channel to the
 * worker refused it (`phase: 'send'`). `cause` holds the underlying error.
 *
 * @example
 * ```ts
 * await api.startAlgorithm('x', [bigValue]).catch((err) => {
 *   if (err instanceof CodeApiRequestError && err.phase === 'writeInput') console.error(err.cause);
 *   throw err;
 * });
 * ```
 */
export class CodeApiRequestError extends CodeApiError {
  readonly code = 'REQUEST_FAILED' as const;
  /** The request's id. */
  readonly id: string;
  /** What was requested. */
  readonly kind: CodeApiRequestKind;
  /** The step that failed. */
  readonly phase: 'writeInput' | 'send';

  constructor(init: { id: string; kind: CodeApiRequestKind; target: string; phase: 'writeInput' | 'send' }, options: HkubeErrorOptions = {}) {
    const what = init.phase === 'send' ? 'could not be sent to the worker' : 'could not store its input';
    super(`${describeRequest(init.kind, init.id, init.target)} ${what}${causeSuffix(options.cause)}`, options);
    this.id = init.id;
    this.kind = init.kind;
    this.phase = init.phase;
  }
}

/**
 * The request succeeded but its result could not be read from storage (the `storageInfo.path` of the
 * reply, or the `info.path` of a big sub-pipeline result). `cause` holds the storage error.
 *
 * @example
 * ```ts
 * await api.startAlgorithm('x').catch((err) => {
 *   if (err instanceof ResultFetchError) console.error('cannot read', err.path);
 *   throw err;
 * });
 * ```
 */
export class ResultFetchError extends CodeApiError {
  readonly code = 'RESULT_FETCH_FAILED' as const;
  /** The request's id. */
  readonly id: string;
  /** What produced the result. */
  readonly kind: CodeApiRequestKind;
  /** The storage path that could not be read. */
  readonly path: string;

  constructor(init: { id: string; kind: CodeApiRequestKind; target: string; path: string }, options: HkubeErrorOptions = {}) {
    super(`cannot read the result of ${describeRequest(init.kind, init.id, init.target)} from '${init.path}'${causeSuffix(options.cause)}`, options);
    this.id = init.id;
    this.kind = init.kind;
    this.path = init.path;
  }
}

/**
 * `ensureMetricsDir()` failed: no metrics directory is configured (`ALGO_METRICS_DIR` unset) or it
 * could not be created.
 *
 * @example
 * ```ts
 * const dir = await api.ensureMetricsDir().catch(() => undefined);
 * ```
 */
export class MetricsDirError extends CodeApiError {
  readonly code = 'METRICS_DIR_UNAVAILABLE' as const;
  /** The configured directory, if any. */
  readonly path: string | undefined;

  constructor(path: string | undefined, options: HkubeErrorOptions = {}) {
    super(
      path === undefined
        ? 'no metrics directory is configured (ALGO_METRICS_DIR is not set)'
        : `cannot create the metrics directory '${path}'${causeSuffix(options.cause)}`,
      options,
    );
    this.path = path;
  }
}

function describeRequest(kind: CodeApiRequestKind, id: string, target: string): string {
  switch (kind) {
    case 'algorithm':
      return `algorithm execution ${id} (${target})`;
    case 'subpipeline':
      return `sub-pipeline ${id} (${target})`;
    case 'dataSource':
      return `data source request ${id} (${target})`;
  }
}

/** `dataSourceId abc` or `snapshotId xyz`, for messages. @internal */
export function describeDataSource(ref: DataSourceRef): string {
  const fields: Readonly<Record<string, unknown>> = ref;
  return typeof fields.snapshotId === 'string' ? `snapshotId ${fields.snapshotId}` : `dataSourceId ${String(fields.dataSourceId)}`;
}

function causeSuffix(cause: unknown): string {
  return cause instanceof Error ? `: ${cause.message}` : '';
}
