import type { HkubeApi, StreamMessage } from '@hkube-ts/codeapi';
import type { InitializePayload } from '@hkube-ts/protocol';

/**
 * What `init` receives: the worker's `initialize` payload (job and task ids, node name, `info`,
 * `parents`/`childs`, `batchIndex`, …) plus a signal aborted when the task is stopped.
 * In storage mode v3 `input` still holds `$$` references here; `start` gets the resolved values.
 */
export type InitArgs = InitializePayload & {
  /** Aborted (with a `TaskStoppedError`) when the worker stops the task or the wrapper exits. */
  readonly signal: AbortSignal;
};

/**
 * What `start` receives: the `initialize` payload with `input` resolved to values, plus the stop signal.
 *
 * @typeParam Input - the tuple or array type of the node's input.
 */
export type StartArgs<Input extends readonly unknown[] = unknown[]> = Omit<InitializePayload, 'input'> & {
  /** The node's input, every `$$` storage reference replaced by its value. */
  readonly input: Input;
  /** Aborted (with a `TaskStoppedError`) when the worker stops the task: stop your work when it fires. */
  readonly signal: AbortSignal;
  /**
   * A stateless stream node's current input (`start` runs once per message; its return value is sent
   * on to the node's children along the input's flow). Absent for batch and stateful nodes; a stateless
   * debug node gets it from the debug relay.
   */
  readonly streamInput?: StreamMessage;
};

/** What `stop` receives. */
export interface StopOptions {
  /** True when the platform wants the task gone now (TTL, pipeline end); false for a graceful scale-down. */
  readonly forceStop: boolean;
}

/** What `exit` receives. */
export interface ExitOptions {
  /** The code the process will exit with. */
  readonly exitCode: number;
}

/**
 * An HKube algorithm. Only `start` is required; every hook may be async.
 *
 * @typeParam Input - the node's input array type.
 * @typeParam Output - what `start` returns (stored as the task's result).
 *
 * @example
 * ```ts
 * import type { Algorithm } from '@hkube-ts/wrapper-node';
 *
 * export const algorithm: Algorithm<[number, number], number> = {
 *   async start({ input: [a, b], signal }) {
 *     signal.throwIfAborted();
 *     return a + b;
 *   },
 * };
 * ```
 */
export interface Algorithm<Input extends readonly unknown[] = unknown[], Output = unknown> {
  /** Runs once per task before `start`, with the `initialize` payload. A throw fails the task. */
  init?(args: InitArgs): void | Promise<void>;
  /** Does the work. The returned value becomes the task's result; a throw fails the task. */
  start(args: StartArgs<Input>, api: HkubeApi): Output | Promise<Output>;
  /** Called when the worker stops the task, before the wrapper answers `stopped`. */
  stop?(options: StopOptions): void | Promise<void>;
  /** Called when the worker tells the algorithm to exit, before the process ends. */
  exit?(options: ExitOptions): void | Promise<void>;
}
