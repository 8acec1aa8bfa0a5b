/**
 * Payloads of the Code API: algorithm executions, sub-pipelines, data sources and tracing spans
 * (spec §3, §6). Requests go A→W; replies come W→A and echo the wrapper-chosen id.
 *
 * The debug relay reports failures in `response` instead of `error` (spec §1.6, §8.2 #7), so the
 * error reply types allow both; read them as `data.error ?? data.response`.
 *
 * @module
 */

import type { StorageLinks } from './initialize.js';

// ---------------------------------------------------------------- A→W requests

/**
 * `startAlgorithmExecution`: run another algorithm as a child task. Ids are wrapper-chosen, non-empty,
 * unique among the task's running executions (the worker rejects duplicates).
 *
 * @example
 * ```ts
 * const data: StartAlgorithmExecutionData = {
 *   execId: '1', algorithmName: 'green-alg', storageInput: ['$$k1'],
 *   storage: { k1: { storageInfo: { path: 'local-hkube/job-1/k1', size: 9 } } }, includeResult: true,
 * };
 * ```
 */
export interface StartAlgorithmExecutionData {
  /** Correlation id (non-empty string). */
  readonly execId: string;
  /** The algorithm to run (non-empty). */
  readonly algorithmName: string;
  /** Inline input items (they travel in the job queue; keep them small). */
  readonly input?: unknown[];
  /** v2/v3: input with `"$$<key>"` references into `storage`; preferred over `input` by the worker. */
  readonly storageInput?: unknown[];
  /** v2/v3: reference key → storage link of the stored input items. */
  readonly storage?: StorageLinks;
  /** Whether the caller wants the result value (the worker only honours it in v1). */
  readonly includeResult?: boolean;
  /** Anything else (Java sends `resultAsRaw`). */
  readonly [key: string]: unknown;
}

/** `stopAlgorithmExecution`: ask the worker to stop a child execution. No reply follows on success (§6.3). */
export interface StopAlgorithmExecutionData {
  /** The execution to stop. */
  readonly execId: string;
  /** Free-text reason. */
  readonly reason?: string;
  /** Anything else. */
  readonly [key: string]: unknown;
}

/** The pipeline description of `startRawSubPipeline` (validated by the api-server, not here). */
export interface RawSubPipeline {
  /** Pipeline name. */
  readonly name?: string;
  /** Pipeline nodes. */
  readonly nodes?: readonly unknown[];
  /** Flow input. */
  readonly flowInput?: Readonly<Record<string, unknown>>;
  /** Pipeline options. */
  readonly options?: Readonly<Record<string, unknown>>;
  /** Webhooks. */
  readonly webhooks?: Readonly<Record<string, unknown>>;
  /** Anything else the api-server accepts. */
  readonly [key: string]: unknown;
}

/** The pipeline reference of `startStoredSubPipeline`: a stored pipeline's name plus overrides. */
export interface StoredSubPipeline {
  /** Name of the stored pipeline. */
  readonly name?: string;
  /** Flow input. */
  readonly flowInput?: Readonly<Record<string, unknown>>;
  /** Anything else the api-server accepts. */
  readonly [key: string]: unknown;
}

/** `startRawSubPipeline`: run an ad-hoc pipeline. Replies: `subPipelineStarted`, then done/error/stopped. */
export interface StartRawSubPipelineData {
  /** Correlation id. */
  readonly subPipelineId: string;
  /** The pipeline. */
  readonly subPipeline: RawSubPipeline;
  /** Whether the caller wants the results (default true in all wrappers). */
  readonly includeResult?: boolean;
  /** Anything else. */
  readonly [key: string]: unknown;
}

/** `startStoredSubPipeline`: run a stored pipeline. Same replies as {@link StartRawSubPipelineData}. */
export interface StartStoredSubPipelineData {
  /** Correlation id. */
  readonly subPipelineId: string;
  /** The stored pipeline's name and overrides. */
  readonly subPipeline: StoredSubPipeline;
  /** Whether the caller wants the results. */
  readonly includeResult?: boolean;
  /** Anything else. */
  readonly [key: string]: unknown;
}

/** `stopSubPipeline`: stop a running sub-pipeline. No `subPipelineStopped` follows on success (§6.4). */
export interface StopSubPipelineData {
  /** The sub-pipeline to stop. */
  readonly subPipelineId: string;
  /** Free-text reason (the worker reports `stopped by algorithm: <reason>`). */
  readonly reason?: string;
  /** Anything else. */
  readonly [key: string]: unknown;
}

/** Which data source to fetch: by id (latest version) or by snapshot. */
export type DataSourceRef =
  | { readonly dataSourceId: string; readonly [key: string]: unknown }
  | { readonly snapshotId: string; readonly [key: string]: unknown };

/** `dataSourceRequest`: resolve a data source to file paths. The worker requires `data` (§5.10). */
export interface DataSourceRequestData {
  /** Correlation id (echoed back). */
  readonly requestId: string;
  /** The data source. */
  readonly dataSource: DataSourceRef;
  /** Anything else. */
  readonly [key: string]: unknown;
}

/** `startSpan`: open an algorithm tracing span under the task span (only while working). */
export interface StartSpanData {
  /** Span name (the worker ignores the request without it). */
  readonly name: string;
  /** Span tags. */
  readonly tags?: Readonly<Record<string, unknown>>;
  /** Anything else. */
  readonly [key: string]: unknown;
}

/** `finishSpan`: tag and finish the innermost algorithm span. */
export interface FinishSpanData {
  /** Tags to add. */
  readonly tags?: Readonly<Record<string, unknown>>;
  /** Error to record on the span. */
  readonly error?: unknown;
  /** Anything else. */
  readonly [key: string]: unknown;
}

// ---------------------------------------------------------------- W→A replies

/** `subPipelineStarted`: the worker accepted a sub-pipeline request (informational; the relay never sends it). */
export interface SubPipelineStartedData {
  /** The request's id. */
  readonly subPipelineId: string;
  /** Anything else. */
  readonly [key: string]: unknown;
}

/**
 * One entry of a sub-pipeline's results array (v1 with `includeResult`). `info` (with `isBigData: true`)
 * replaces `result` when the value was too large to inline.
 */
export interface PipelineNodeResult {
  /** Node that produced the result. */
  readonly nodeName: string;
  /** Its algorithm. */
  readonly algorithmName: string;
  /** Batch index, for batch nodes. */
  readonly batchIndex?: number;
  /** The value. */
  readonly result?: unknown;
  /** The node's error text. */
  readonly error?: string;
  /** Storage info of a big result. */
  readonly info?: Readonly<Record<string, unknown>>;
  /** Anything else. */
  readonly [key: string]: unknown;
}

/**
 * `subPipelineDone`: v1 + `includeResult` → `response` is the results array ({@link PipelineNodeResult}[]);
 * otherwise `{ storageInfo: { path: '<CLUSTER_NAME>-hkube-results/<subJobId>/result.json' } }`.
 */
export interface SubPipelineDoneData {
  /** The request's id. */
  readonly subPipelineId: string;
  /** Results or a storage reference (not validated). */
  readonly response?: unknown;
  /** Anything else. */
  readonly [key: string]: unknown;
}

/** `subPipelineError`: the request failed. The text is in `error` (worker) or `response` (debug relay). */
export interface SubPipelineErrorData {
  /** The request's id. */
  readonly subPipelineId: string;
  /** Error text from the worker. */
  readonly error?: string;
  /** Error text from the debug relay. */
  readonly response?: unknown;
  /** Anything else. */
  readonly [key: string]: unknown;
}

/** `subPipelineStopped`: the sub-pipeline was stopped from outside; Node and Python settle with no value. */
export interface SubPipelineStoppedData {
  /** The request's id. */
  readonly subPipelineId: string;
  /** Why it stopped (as the platform reported it). */
  readonly reason?: unknown;
  /** Anything else. */
  readonly [key: string]: unknown;
}

/**
 * `algorithmExecutionDone`: the child succeeded. `response` is the value (v1 + `includeResult`) or the
 * child's storage descriptor (`{storageInfo, metadata, discovery?, taskId?}`), which the wrapper fetches.
 */
export interface AlgorithmExecutionDoneData {
  /** The request's id. */
  readonly execId: string;
  /** Value or storage descriptor (not validated). */
  readonly response?: unknown;
  /** Anything else. */
  readonly [key: string]: unknown;
}

/** `algorithmExecutionError`: the child failed or the request was rejected. Text in `error` or (relay) `response`. */
export interface AlgorithmExecutionErrorData {
  /** The request's id. */
  readonly execId: string;
  /** Error text from the worker. */
  readonly error?: string;
  /** Error text from the debug relay. */
  readonly response?: unknown;
  /** Anything else. */
  readonly [key: string]: unknown;
}

/** `dataSourceResponse`: `{requestId, response: {name, files}}` or `{requestId, error}`. */
export interface DataSourceResponseData {
  /** The request's id. */
  readonly requestId: string;
  /** `{ name, files: [{ …fileMeta, path }] }` on success (not validated). */
  readonly response?: unknown;
  /** Error text on failure. */
  readonly error?: string;
  /** Anything else. */
  readonly [key: string]: unknown;
}
