import type { CodeApiReply, CodeApiRequest, WorkerChannel } from '@hkube-ts/codeapi';
import type { Outbox } from './outbox.js';
import type { Task } from './task.js';

/** A task's way to the worker for its Code API: closed to sends once the task ended. */
export class TaskChannel implements WorkerChannel {
  readonly #task: Task;
  readonly #outbox: Outbox;
  readonly #listeners: Set<(reply: CodeApiReply) => void>;

  constructor(task: Task, outbox: Outbox, listeners: Set<(reply: CodeApiReply) => void>) {
    this.#task = task;
    this.#outbox = outbox;
    this.#listeners = listeners;
  }

  send(request: CodeApiRequest): Promise<void> {
    const task = this.#task;
    if (task.final || task.stopRequested) return Promise.reject(new Error(`task ${task.taskId} has ended`));
    return this.#outbox.send(request);
  }

  onReply(listener: (reply: CodeApiReply) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
