/**
 * {@link HkubeApi}: the object an algorithm's `start(args, api)` receives, and the options of its methods.
 *
 * @module
 */

import type { DataSourceRef } from '@hkube-ts/protocol';
import type { CancellationOptions } from './cancellation.js';
import type { DataSource, GetDataSourceOptions } from './data-sources.js';
import type { Execution } from './execution.js';
import type { PipelineResultEntry } from './replies.js';
import type { StreamingApi } from './streaming.js';

/**
 * Options shared by every request that starts an execution.
 *
 * @example
 * ```ts
 * const options: ExecutionOptions = { includeResult: true, timeoutMs: 60_000, signal: AbortSignal.timeout(120_000) };
 * ```
 */
export interface ExecutionOptions extends CancellationOptions {
  /**
   * Resolve with the value (default `true`). With `false` the worker still runs everything but the
   * handle resolves `null` and nothing is read from storage.
   */
  readonly includeResult?: boolean | undefined;
  /** Stops the execution when aborted: the handle rejects with `ExecutionStoppedError` and the stop command is sent. */
  readonly signal?: AbortSignal | undefined;
  /** Rejects with `ExecutionTimeoutError` after this many milliseconds and sends the stop command. */
  readonly timeoutMs?: number | undefined;
}

/**
 * Options of {@link HkubeApi.startAlgorithm}.
 *
 * @example
 * ```ts
 * api.startAlgorithm('fire-and-forget-alg', [1], { includeResult: false });
 * ```
 */
export type StartAlgorithmOptions = ExecutionOptions;

/**
 * Options of {@link HkubeApi.startStoredSubpipeline}.
 *
 * @example
 * ```ts
 * api.startStoredSubpipeline('nightly', {}, { timeoutMs: 3_600_000 });
 * ```
 */
export type StartStoredSubpipelineOptions = ExecutionOptions;

/**
 * Options of {@link HkubeApi.startRawSubpipeline}.
 *
 * @example
 * ```ts
 * api.startRawSubpipeline('adhoc', nodes, {}, { options: { batchTolerance: 80 }, webhooks: { complete: url } });
 * ```
 */
export interface StartRawSubpipelineOptions extends ExecutionOptions {
  /** Pipeline options (`batchTolerance`, `ttl`, …; default `{}`). */
  readonly options?: Readonly<Record<string, unknown>> | undefined;
  /** Pipeline webhooks (default `{}`). */
  readonly webhooks?: Readonly<Record<string, unknown>> | undefined;
}

/** `includeResult: false`: the handle resolves `null`. @internal */
export type WithoutResult = { readonly includeResult: false };

/**
 * The Code API: what an algorithm can ask the platform to do while it runs.
 *
 * Every method returns at once. Executions come back as {@link Execution} handles (awaitable,
 * stoppable); everything else returns a promise. Nothing throws synchronously: bad arguments and calls
 * after the task ended show up as rejections (`TypeError`/`RangeError`, `CodeApiClosedError`). The
 * exception is the streaming part ({@link StreamingApi}): queue operations that throw synchronously.
 *
 * @example
 * ```ts
 * export async function start(args: StartArgs, api: HkubeApi) {
 *   await api.progress(10);
 *   const [a, b] = await Promise.all([
 *     api.startAlgorithm<number>('square', [3]),
 *     api.startAlgorithm<number>('square', [4]),
 *   ]);
 *   const results = await api.startStoredSubpipeline('simple', { files: { link: 'x' } });
 *   return { sum: a + b, first: results[0]?.result };
 * }
 * ```
 */
export interface HkubeApi extends StreamingApi {
  /**
   * Runs another algorithm as a child task of this job and resolves with its return value (worker-protocol
   * §6.2). In storage mode v3 the input is stored first and sent as references; in v1 it travels inline.
   *
   * @param algorithmName - The algorithm to run.
   * @param input - Its input items (default `[]`).
   * @param options - `includeResult`, `signal`, `timeoutMs`.
   * @example
   * ```ts
   * const doubled = await api.startAlgorithm<number[]>('double-alg', [[1, 2, 3]]);
   * const run = api.startAlgorithm('slow-alg', [], { timeoutMs: 30_000 });
   * ```
   */
  startAlgorithm(algorithmName: string, input: readonly unknown[] | undefined, options: StartAlgorithmOptions & WithoutResult): Execution<null>;
  startAlgorithm<T = unknown>(algorithmName: string, input?: readonly unknown[], options?: StartAlgorithmOptions): Execution<T>;

  /**
   * Runs a stored pipeline as a sub-pipeline (its `flowInput` is deep-merged into the stored one) and
   * resolves with the results array; big results are read from storage (worker-protocol §6.4).
   *
   * @param name - The stored pipeline.
   * @param flowInput - Flow input overrides (default `{}`).
   * @example
   * ```ts
   * const results = await api.startStoredSubpipeline('simple', { files: { link: 'links-1' } });
   * console.log(results.map((r) => r.result));
   * ```
   */
  startStoredSubpipeline(name: string, flowInput: Readonly<Record<string, unknown>> | undefined, options: StartStoredSubpipelineOptions & WithoutResult): Execution<null>;
  startStoredSubpipeline<T = PipelineResultEntry[]>(name: string, flowInput?: Readonly<Record<string, unknown>>, options?: StartStoredSubpipelineOptions): Execution<T>;

  /**
   * Runs an ad-hoc pipeline as a sub-pipeline and resolves with its results array.
   *
   * @param name - Pipeline name.
   * @param nodes - Pipeline nodes (`{ nodeName, algorithmName, input }`…).
   * @param flowInput - Flow input (default `{}`).
   * @param options - `options`, `webhooks`, `includeResult`, `signal`, `timeoutMs`.
   * @example
   * ```ts
   * const [first] = await api.startRawSubpipeline('adhoc', [{ nodeName: 'a', algorithmName: 'green-alg', input: [42] }]);
   * first?.result; // 42
   * ```
   */
  startRawSubpipeline(
    name: string,
    nodes: readonly unknown[],
    flowInput: Readonly<Record<string, unknown>> | undefined,
    options: StartRawSubpipelineOptions & WithoutResult,
  ): Execution<null>;
  startRawSubpipeline<T = PipelineResultEntry[]>(
    name: string,
    nodes: readonly unknown[],
    flowInput?: Readonly<Record<string, unknown>>,
    options?: StartRawSubpipelineOptions,
  ): Execution<T>;

  /**
   * Resolves a data source (latest version by id, or a snapshot) to the paths of its files.
   *
   * @example
   * ```ts
   * const { files } = await api.getDataSource({ snapshotId: 'snap-1' }, { timeoutMs: 10_000 });
   * ```
   */
  getDataSource(dataSource: DataSourceRef, options?: GetDataSourceOptions): Promise<DataSource>;

  /**
   * Reports progress (the worker only logs it). Rejects with `RangeError` unless `0 <= percent <= 100`.
   *
   * @example
   * ```ts
   * await api.progress(50);
   * ```
   */
  progress(percent: number): Promise<void>;

  /**
   * Opens a tracing span under the task's span (the worker ignores it unless the task is working).
   *
   * @example
   * ```ts
   * await api.startSpan('train', { epochs: 3 });
   * try { await train(); await api.finishSpan({ ok: true }); }
   * catch (err) { await api.finishSpan({}, err); throw err; }
   * ```
   */
  startSpan(name: string, tags?: Readonly<Record<string, unknown>>): Promise<void>;

  /**
   * Tags and finishes the innermost open span. An `error` is sent as its message text.
   */
  finishSpan(tags?: Readonly<Record<string, unknown>>, error?: unknown): Promise<void>;

  /**
   * The TensorBoard metrics directory (`ALGO_METRICS_DIR`, `/var/metrics` in HKube pods), or
   * `undefined` when none is configured. The worker uploads it after a successful task.
   */
  readonly metricsDir: string | undefined;

  /**
   * Creates {@link HkubeApi.metricsDir} if needed (`mkdir -p`) and resolves with its path. Rejects with
   * `MetricsDirError` when none is configured or it cannot be created.
   *
   * @example
   * ```ts
   * const dir = await api.ensureMetricsDir();
   * await writeFile(join(dir, 'events.out'), bytes);
   * ```
   */
  ensureMetricsDir(): Promise<string>;
}

