import { EncodeError, ensureError, type AlgorithmMessage } from '@hkube-ts/protocol';
import type { Logger } from '../logging/logger.js';
import type { CommandOnly, Outbox } from './outbox.js';
import type { Task } from './task.js';

const SETTLED: Promise<void> = Promise.resolve();

/** Swallows a rejection someone else reports (a failed write closes the connection). */
function ignore(): void {}

/**
 * What a task sends the worker, with the rules that keep a real worker sane: nothing after a stop,
 * and exactly one final message (`done` or `errorMessage`) per task.
 */
export class TaskReports {
  readonly #outbox: Outbox;
  readonly #logger: Logger;
  readonly #onFinal: (task: Task) => void;

  /** `onFinal` runs as a task's final message is about to be sent (end its heartbeat, streaming, API). */
  constructor(outbox: Outbox, logger: Logger, onFinal: (task: Task) => void) {
    this.#outbox = outbox;
    this.#logger = logger;
    this.#onFinal = onFinal;
  }

  /** Sends a non-final message of a task, unless the task has been stopped. */
  send(task: Task, message: AlgorithmMessage): Promise<void> {
    return task.stopRequested || task.final ? SETTLED : this.#outbox.send(message);
  }

  /**
   * Sends a message that is its command alone, unless the task has been stopped, without waiting: a
   * failed write closes the connection, which is where the runner learns of it.
   */
  post(task: Task, command: CommandOnly): void {
    if (!task.stopRequested && !task.final) this.#outbox.sendCommand(command).catch(ignore);
  }

  /** Sends the task's last message (`done` or `errorMessage`), exactly once, never after a stop. */
  finish(task: Task, message: AlgorithmMessage): Promise<void> {
    if (task.stopRequested || task.final) return SETTLED;
    task.final = true;
    this.#onFinal(task);
    let frame: string | Buffer;
    try {
      frame = this.#outbox.encode(message);
    } catch (error) {
      // A result the socket encoding cannot carry (v1) must still end the task, as an error.
      if (!(error instanceof EncodeError) || message.command !== 'done') return Promise.reject(ensureError(error));
      this.#logger.error(`task ${task.taskId}: the result cannot be sent: ${error.message}`);
      return this.#outbox.send({ command: 'errorMessage', error: { code: 'Failed', message: `the algorithm's result cannot be sent: ${error.message}` } });
    }
    return this.#outbox.sendFrame(frame);
  }

  /** Ends the task with `errorMessage {code: "Failed", message, details: stack}` for what it threw. */
  async fail(task: Task, thrown: unknown): Promise<void> {
    const error = ensureError(thrown);
    this.#logger.error(`task ${task.taskId} failed: ${error.message}`);
    await this.finish(task, {
      command: 'errorMessage',
      error: { code: 'Failed', message: error.message, ...(error.stack ? { details: error.stack } : {}) },
    });
  }
}
