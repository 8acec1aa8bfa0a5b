/**
 * `startAlgorithmExecution` / `stopAlgorithmExecution` of one calling task (worker-protocol §6.2,
 * §6.3; pipeline-semantics §3): each execution runs the algorithm as a hidden child task of the same
 * job, and its end is reported to the caller by `execId`.
 */
import type { StartAlgorithmExecutionData, StopAlgorithmExecutionData, StorageLinks } from '@hkube-ts/protocol';
import { ensureError } from '@hkube-ts/protocol';
import type { TaskOutcome } from '../engine/index.js';
import { CodeApiRequestRefusedError } from './errors.js';
import type { CallerConnection } from './types.js';

/** What a child task is asked to run. */
export interface ChildExecutionRequest {
  /** The caller's correlation id. */
  readonly execId: string;
  /** The algorithm to run. */
  readonly algorithmName: string;
  /** Inline input items (`input`), used when `storageInput` is absent. */
  readonly input: readonly unknown[];
  /** v3: the input with `$$<key>` links into `storage`. */
  readonly storageInput?: readonly unknown[];
  /** v3: the links of `storageInput`. */
  readonly storage?: StorageLinks;
}

/** How a child task ended, and where its result is stored (`{storageInfo: {path, size}, …}`). */
export interface ChildExecutionOutcome {
  readonly outcome: TaskOutcome;
  /** The storage descriptor of a succeeded child's result (undefined when it stored none). */
  readonly stored: unknown;
}

/** What the executions of a task need from the job. */
export interface AlgorithmExecutionHost {
  /** True when an algorithm of that name is registered. */
  algorithmExists(name: string): boolean;
  /**
   * Runs a child task to its end (never rejects for a failed task; an outcome says so). Aborting
   * `signal` stops it.
   */
  run(request: ChildExecutionRequest, signal: AbortSignal): Promise<ChildExecutionOutcome>;
}

/** The running executions of one task, by `execId`. */
export class AlgorithmExecutions {
  readonly #host: AlgorithmExecutionHost;
  readonly #running = new Map<string, AbortController>();
  #closed = false;

  constructor(host: AlgorithmExecutionHost) {
    this.#host = host;
  }

  /** Number of executions still running. */
  get size(): number {
    return this.#running.size;
  }

  /** Serves `startAlgorithmExecution`: replies `algorithmExecutionDone` or `algorithmExecutionError`. */
  start(data: StartAlgorithmExecutionData, caller: CallerConnection): void {
    const { execId, algorithmName } = data;
    const refuse = (error: Error): void => caller.reply({ command: 'algorithmExecutionError', data: { execId, error: error.message } });
    if (this.#closed) return refuse(new CodeApiRequestRefusedError('notWorking'));
    if (this.#running.has(execId)) return refuse(new CodeApiRequestRefusedError('executionAlreadyRunning', execId));
    if (!this.#host.algorithmExists(algorithmName)) return refuse(new CodeApiRequestRefusedError('algorithmNotFound', algorithmName));
    const controller = new AbortController();
    this.#running.set(execId, controller);
    const request: ChildExecutionRequest = {
      execId,
      algorithmName,
      input: Array.isArray(data.input) ? data.input : [],
      ...(Array.isArray(data.storageInput) ? { storageInput: data.storageInput, storage: data.storage ?? {} } : {}),
    };
    const includeResult = data.includeResult !== false;
    this.#host.run(request, controller.signal).then(
      (ended) => {
        // A stopped execution (by the caller, or because the caller ended) is not answered, as in HKube.
        if (this.#running.get(execId) !== controller || controller.signal.aborted) return;
        this.#running.delete(execId);
        const { outcome } = ended;
        if (outcome.status === 'failed') {
          caller.reply({ command: 'algorithmExecutionError', data: { execId, error: outcome.error } });
          return;
        }
        // v3: always the child's storage descriptor (the wrapper reads it); v1: the value when asked for.
        const response = caller.storageMode === 'v1' && includeResult ? outcome.result : (ended.stored ?? null);
        caller.reply({ command: 'algorithmExecutionDone', data: { execId, response } });
      },
      (error: unknown) => {
        if (this.#running.get(execId) !== controller || controller.signal.aborted) return;
        this.#running.delete(execId);
        refuse(ensureError(error));
      },
    );
  }

  /** Serves `stopAlgorithmExecution`: stops the child; replies only when the id is unknown. */
  stop(data: StopAlgorithmExecutionData, caller: CallerConnection): void {
    const controller = this.#running.get(data.execId);
    if (controller === undefined) {
      const error = new CodeApiRequestRefusedError('executionNotFound', data.execId);
      caller.reply({ command: 'algorithmExecutionError', data: { execId: data.execId, error: error.message } });
      return;
    }
    this.#running.delete(data.execId);
    controller.abort(`stopped by algorithm: ${data.reason ?? 'no reason'}`);
  }

  /** Stops every running execution (the caller ended). Idempotent. */
  close(reason: string): void {
    this.#closed = true;
    const running = [...this.#running.values()];
    this.#running.clear();
    for (const controller of running) controller.abort(reason);
  }
}
