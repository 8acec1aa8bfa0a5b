/**
 * {@link Execution}: the awaitable, stoppable handle of a child algorithm or sub-pipeline, and the
 * private control side that settles it.
 *
 * @module
 */

import { abortReasonText, watchCancellation, type CancellationOptions } from './cancellation.js';
import { ExecutionStoppedError, ExecutionTimeoutError } from './errors.js';

/**
 * What an {@link Execution} runs.
 *
 * @example
 * ```ts
 * const label = run.kind === 'algorithm' ? `algorithm ${run.name}` : `pipeline ${run.name}`;
 * ```
 */
export type ExecutionKind = 'algorithm' | 'subpipeline';

/**
 * Where an {@link Execution} stands. It starts `running` and changes exactly once:
 * `succeeded` (resolved), `failed` (rejected by the worker, or the request or result fetch failed),
 * `stopped` (by `stop()`, its abort signal, the platform, or the Code API closing) or `timedOut`.
 *
 * @example
 * ```ts
 * await Promise.allSettled(runs);
 * const failed = runs.filter((run) => run.status === 'failed').map((run) => run.id);
 * ```
 */
export type ExecutionStatus = 'running' | 'succeeded' | 'failed' | 'stopped' | 'timedOut';

/**
 * A running child algorithm or sub-pipeline. It is returned at once (before anything is sent) and is
 * awaitable like a promise of the result; it also knows its id and status and can be stopped.
 *
 * An ignored handle never causes an `unhandledRejection`: attach handlers (await it) to see failures.
 *
 * @example
 * ```ts
 * // await it directly
 * const sum = await api.startAlgorithm<number>('sum-alg', [1, 2]);
 *
 * // or keep the handle: run several, stop one
 * const a = api.startAlgorithm('green-alg', [1]);
 * const b = api.startAlgorithm('slow-alg', [2], { timeoutMs: 60_000 });
 * console.log(a.id, a.status); // 'task-1:1' 'running'
 * const first = await a;
 * await b.stop('not needed after all'); // b rejects with ExecutionStoppedError
 * ```
 */
export interface Execution<T> extends PromiseLike<T> {
  /** The `execId` (algorithms) or `subPipelineId` (sub-pipelines) sent to the worker. */
  readonly id: string;
  /** Child algorithm or sub-pipeline. */
  readonly kind: ExecutionKind;
  /** The algorithm's or pipeline's name. */
  readonly name: string;
  /** Current state; changes once, when the handle settles. */
  readonly status: ExecutionStatus;
  /** The result as a real `Promise` (the same outcome as awaiting the handle). */
  readonly result: Promise<T>;
  /** When the handle was created (milliseconds, from the Code API's clock). */
  readonly startedAt: number;
  /** When the handle settled, or `undefined` while running. */
  readonly settledAt: number | undefined;
  /**
   * Stops the execution: rejects this handle with {@link ExecutionStoppedError} at once and sends
   * `stopAlgorithmExecution` / `stopSubPipeline` to the worker (which sends no reply on success, so
   * the handle settles itself). The returned promise resolves once the stop command was sent and
   * rejects if it could not be. No-op when the handle has already settled.
   *
   * @param reason - Free text for the worker and the error (default `stopped by caller`).
   */
  stop(reason?: string): Promise<void>;
  /** Same as `execution.result.then(…)`. */
  then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2>;
  /** Same as `execution.result.catch(…)`. */
  catch<R = never>(onRejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R>;
  /** Same as `execution.result.finally(…)`. */
  finally(onFinally?: (() => void) | null): Promise<T>;
}

/**
 * The reason sent with a stop command when `stop()` is called without one.
 *
 * @example
 * ```ts
 * await run.stop(); // sends { execId: run.id, reason: DEFAULT_STOP_REASON }
 * ```
 */
export const DEFAULT_STOP_REASON = 'stopped by caller';

/** What {@link createExecution} needs. @internal */
export interface ExecutionInit extends CancellationOptions {
  readonly id: string;
  readonly kind: ExecutionKind;
  readonly name: string;
  /** The clock for `startedAt`/`settledAt`. */
  readonly now: () => number;
  /** Sends the stop command for this execution (called at most once, after the handle was rejected). */
  requestStop(reason: string): Promise<void>;
  /** Receives failures no caller can see (a stop command that failed after an abort or a timeout). */
  onBackgroundError(error: unknown): void;
  /** Called once, right after the handle settles. */
  onSettled(): void;
}

/** The private side of an {@link Execution}: settles it. Settling twice is a no-op. @internal */
export interface ExecutionControl<T> {
  /** The public handle. */
  readonly execution: Execution<T>;
  /** Aborted as soon as the handle settles (cancels storage I/O still running for it). */
  readonly signal: AbortSignal;
  /** Whether the handle has settled. */
  readonly settled: boolean;
  /** Resolves the handle (status `succeeded`). */
  resolve(value: T): void;
  /** Rejects the handle with `error` and the given final status. */
  reject(error: Error, status: Exclude<ExecutionStatus, 'running' | 'succeeded'>): void;
}

/**
 * Creates a running {@link Execution} and its control. Arms the caller's abort signal and timeout: an
 * abort rejects with {@link ExecutionStoppedError}, a timeout with {@link ExecutionTimeoutError}, and
 * both then ask `requestStop`. A signal that is already aborted rejects the handle at once without
 * asking for a stop (nothing was sent yet).
 *
 * @internal
 */
export function createExecution<T>(init: ExecutionInit): ExecutionControl<T> {
  const { id, kind, name, now } = init;
  let status: ExecutionStatus = 'running';
  let settledAt: number | undefined;
  let resolvePromise!: (value: T) => void;
  let rejectPromise!: (error: Error) => void;
  const result = new Promise<T>((resolve, reject) => {
    resolvePromise = resolve;
    rejectPromise = reject;
  });
  // A handle nobody awaits must not crash the process when it rejects (e.g. after stop()).
  result.catch(() => undefined);
  const lifetime = new AbortController();
  let disarm: () => void = () => undefined;

  const finish = (next: ExecutionStatus): boolean => {
    if (status !== 'running') return false;
    status = next;
    settledAt = now();
    disarm();
    lifetime.abort();
    init.onSettled();
    return true;
  };
  const control: ExecutionControl<T> = {
    get execution() {
      return execution;
    },
    signal: lifetime.signal,
    get settled() {
      return status !== 'running';
    },
    resolve(value) {
      if (finish('succeeded')) resolvePromise(value);
    },
    reject(error, next) {
      if (finish(next)) rejectPromise(error);
    },
  };
  const stopError = (reason: string, cause?: unknown): ExecutionStoppedError =>
    new ExecutionStoppedError({ id, kind, target: name, reason, stoppedBy: 'caller' }, cause === undefined ? {} : { cause });
  const stopInBackground = (reason: string): void => {
    init.requestStop(reason).catch((error: unknown) => init.onBackgroundError(error));
  };

  const execution: Execution<T> = {
    id,
    kind,
    name,
    get status() {
      return status;
    },
    result,
    startedAt: now(),
    get settledAt() {
      return settledAt;
    },
    stop(reason = DEFAULT_STOP_REASON) {
      if (status !== 'running') return Promise.resolve();
      control.reject(stopError(reason), 'stopped');
      return init.requestStop(reason);
    },
    then: (onFulfilled, onRejected) => result.then(onFulfilled, onRejected),
    catch: (onRejected) => result.catch(onRejected),
    finally: (onFinally) => result.finally(onFinally),
  };

  if (init.signal?.aborted === true) {
    const reason: unknown = init.signal.reason;
    control.reject(stopError(abortReasonText(reason), reason), 'stopped');
    return control;
  }
  disarm = watchCancellation(init, {
    onAbort(reason) {
      if (status !== 'running') return;
      const text = abortReasonText(reason);
      control.reject(stopError(text, reason), 'stopped');
      stopInBackground(text);
    },
    onTimeout(timeoutMs) {
      if (status !== 'running') return;
      control.reject(new ExecutionTimeoutError({ id, kind, target: name, timeoutMs }), 'timedOut');
      stopInBackground(`timed out after ${timeoutMs} ms`);
    },
  });
  return control;
}
