import type { HkubeApi } from '@hkube-ts/codeapi';
import type { Algorithm, StartArgs } from '../algorithm/types.js';
import { isThenable } from '../streaming/thenable.js';
import { startArgs } from './start-args.js';
import type { Task } from './task.js';
import type { TaskReports } from './task-reports.js';
import type { TaskDataPlane } from './types.js';

/** What {@link TaskStart} needs of the runner. */
export interface TaskStartOptions {
  /** The user's algorithm. */
  readonly algorithm: Algorithm;
  /** `v3`: inputs are resolved and results stored through `dataPlane`; `v1`: both travel inline. */
  readonly storageMode: 'v1' | 'v3';
  /** The task data plane (required for `v3`). */
  readonly dataPlane?: TaskDataPlane | undefined;
  /** Sends the task's messages. */
  readonly reports: TaskReports;
  /** The current task's Code API (undefined when it could not be built). */
  readonly api: () => HkubeApi | undefined;
}

/**
 * A task's `start`: `started`, input resolution (v3), the user's `start`, then the outcome (`done`,
 * `storing` + `done`, or `errorMessage`). Synchronous work stays synchronous: a task whose `start`
 * returns a value in storage mode v1 costs no promise and no microtask, which is most of what a
 * quick task costs beyond the socket.
 */
export class TaskStart {
  readonly #algorithm: Algorithm;
  /** The data plane when the wrapper moves inputs and outputs itself (storage mode v3). */
  readonly #storage: TaskDataPlane | undefined;
  readonly #reports: TaskReports;
  readonly #api: () => HkubeApi | undefined;

  constructor(options: TaskStartOptions) {
    this.#algorithm = options.algorithm;
    this.#storage = options.storageMode === 'v3' ? options.dataPlane : undefined;
    this.#reports = options.reports;
    this.#api = options.api;
  }

  /**
   * Runs `start` and reports its outcome. Returns `undefined` when everything happened synchronously
   * (a synchronous `start` in storage mode v1: no promise at all), else a promise of the rest.
   */
  run(task: Task): Promise<void> | undefined {
    const initialized = task.initOutcome;
    if (initialized === undefined) return this.#runTaskAfterInit(task);
    if (!initialized || task.stopRequested) return undefined;
    // `started` is informational (the worker only logs it) and precedes everything else the task
    // sends. The WebSocket transport writes the frames of one event-loop turn together, so a task
    // quicker than that costs the worker one wake-up for `started` and the result.
    this.#reports.post(task, 'started');
    return this.#storage ? this.#runTaskWithStoredInput(task, this.#storage) : this.#callStart(task, task.payload.input);
  }

  /** A `start` that arrived while `init` was still running (the debug relay can do that). */
  async #runTaskAfterInit(task: Task): Promise<void> {
    await task.initialized;
    await this.run(task);
  }

  async #runTaskWithStoredInput(task: Task, dataPlane: TaskDataPlane): Promise<void> {
    let input: StartArgs['input'];
    try {
      input = await dataPlane.resolveInput(task.payload, task.signal);
    } catch (error) {
      if (!task.stopRequested) await this.#reports.fail(task, error);
      return;
    }
    if (task.stopRequested) return;
    await this.#callStart(task, input);
  }

  /** Calls the user's `start`; a promise only when it returned one (or the outcome needs I/O). */
  #callStart(task: Task, input: StartArgs['input']): Promise<void> | undefined {
    let result: unknown;
    try {
      const api = this.#api();
      if (api === undefined) throw new Error('the Code API is not available');
      const algorithm = this.#algorithm;
      const args = startArgs(task, input);
      result = task.streaming
        ? task.streaming.wrapStart((streamArgs: StartArgs, taskApi: HkubeApi): unknown => algorithm.start(streamArgs, taskApi))(args, api)
        : algorithm.start(args, api);
      if (isThenable(result)) return this.#awaitResult(task, result);
    } catch (error) {
      return task.stopRequested ? undefined : this.#reports.fail(task, error);
    }
    return this.#complete(task, result);
  }

  async #awaitResult(task: Task, pending: PromiseLike<unknown>): Promise<void> {
    let result: unknown;
    try {
      result = await pending;
    } catch (error) {
      if (!task.stopRequested) await this.#reports.fail(task, error);
      return;
    }
    await this.#complete(task, result);
  }

  /** Reports `start`'s result: `done` with it (v1), or stored first and then `storing` + `done` (v3). */
  #complete(task: Task, result: unknown): Promise<void> | undefined {
    if (task.stopRequested) return undefined;
    if (task.streaming === undefined && this.#storage === undefined) return this.#reports.finish(task, { command: 'done', data: result });
    return this.#completeSlowly(task, result);
  }

  async #completeSlowly(task: Task, result: unknown): Promise<void> {
    const storage = this.#storage;
    try {
      if (task.streaming) {
        await task.streaming.finish(task.signal); // a stateful stream ends: flush the queue first (§7.4)
        if (task.stopRequested) return;
      }
      if (storage) {
        const descriptor = await storage.writeOutput(task.payload, result, task.signal);
        if (task.stopRequested) return;
        await this.#reports.send(task, { command: 'storing', data: descriptor });
        if (task.stopRequested) return;
        await this.#reports.finish(task, { command: 'done' });
      } else {
        await this.#reports.finish(task, { command: 'done', data: result });
      }
    } catch (error) {
      if (task.stopRequested) return;
      await this.#reports.fail(task, error);
    }
  }
}
