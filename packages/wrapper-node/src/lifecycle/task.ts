import type { InitializePayload } from '@hkube-ts/protocol';
import { TaskStoppedError } from '../errors.js';
import type { TaskStreaming } from './streaming-task.js';

const SETTLED = Promise.resolve();
const SETTLED_TRUE = Promise.resolve(true);
const SETTLED_FALSE = Promise.resolve(false);

/** Where a task is in its life, as the wrapper sees it. */
export type TaskPhase = 'initializing' | 'initialized' | 'running' | 'finished';

/**
 * One task, from `initialize` to its final message. `final` guards the rule that exactly one of
 * `done`, `errorMessage` or `stopped` ends a task, and that nothing follows a stop.
 */
export class Task {
  readonly payload: InitializePayload;
  /** Created on first use: most tasks never read their signal, and a controller costs time and garbage. */
  #abortController: AbortController | undefined;
  phase: TaskPhase = 'initializing';
  /** Set as soon as the worker asks to stop (or exit): no result or error may be sent after it. */
  stopRequested = false;
  /** Set when the task's last message (done, errorMessage or stopped) has been sent. */
  final = false;
  /** Set by {@link settleInit}: whether `init` succeeded and `initialized` was sent. */
  #initOutcome: boolean | undefined;
  /** Made only when someone waits before `init` settled (a `start` or `stop` racing it): rare. */
  #initWaiter: { promise: Promise<boolean>; resolve: (ok: boolean) => void } | undefined;
  /** Settles when the `start` run (input, user code, output) is over; never rejects. */
  work: Promise<void> = SETTLED;
  #streaming: TaskStreaming | undefined;
  #streamingEnded: string | undefined;

  constructor(payload: InitializePayload) {
    this.payload = payload;
  }

  /** Whether `init` settled, and how: `undefined` while it runs. */
  get initOutcome(): boolean | undefined {
    return this.#initOutcome;
  }

  /** Resolves true when `init` succeeded and `initialized` was sent, false when it failed or was stopped. */
  get initialized(): Promise<boolean> {
    if (this.#initOutcome !== undefined) return this.#initOutcome ? SETTLED_TRUE : SETTLED_FALSE;
    if (this.#initWaiter === undefined) {
      let resolve!: (ok: boolean) => void;
      const promise = new Promise<boolean>((settle) => (resolve = settle));
      this.#initWaiter = { promise, resolve };
    }
    return this.#initWaiter.promise;
  }

  get taskId(): string {
    return this.payload.taskId;
  }

  get signal(): AbortSignal {
    return this.#controller().signal;
  }

  /** The task's streaming (stream tasks and debug sessions), once opened. */
  get streaming(): TaskStreaming | undefined {
    return this.#streaming;
  }

  /** Attaches the task's streaming; closed at once if the task already ended while it was opening. */
  attachStreaming(streaming: TaskStreaming | undefined): void {
    this.#streaming = streaming;
    if (this.#streamingEnded !== undefined) streaming?.close(this.#streamingEnded);
  }

  /** Ends the task's streaming now (queued messages are dropped); idempotent. */
  closeStreaming(reason: string): void {
    this.#streamingEnded ??= reason;
    this.#streaming?.close(reason);
  }

  settleInit(ok: boolean): void {
    this.phase = ok ? 'initialized' : 'finished';
    if (this.#initOutcome !== undefined) return;
    this.#initOutcome = ok;
    this.#initWaiter?.resolve(ok);
  }

  /** Marks the task stopped and aborts its signal with a `TaskStoppedError`. */
  requestStop(forceStop: boolean): void {
    this.stopRequested = true;
    const controller = this.#controller();
    if (!controller.signal.aborted) controller.abort(new TaskStoppedError(this.taskId, forceStop));
  }

  #controller(): AbortController {
    return (this.#abortController ??= new AbortController());
  }
}
