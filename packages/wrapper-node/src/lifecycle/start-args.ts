import type { StartArgs } from '../algorithm/types.js';
import type { Task } from './task.js';

/**
 * `start()`'s arguments: the payload's fields, `input` and `signal`, all own enumerable properties
 * (a spread copy keeps the signal). `signal` is a getter because Node creates an AbortController's
 * signal on first read (about 2 µs and garbage per task) and most algorithms never read it. The
 * payload is copied into a class instance whose private field holds the task (invisible to
 * `Object.keys`, spread and JSON), and the getter is one shared function: every task's arguments
 * then share one hidden class. A per-task closure, or an accessor on a spread copy, makes V8 create
 * a new hidden class per task in old space, which drags each task's objects out of the young
 * generation and makes every scavenge slow.
 */
class StartArguments {
  readonly #task: Task;

  /** The `signal` property of every instance. */
  static readonly signal: PropertyDescriptor = {
    get(this: StartArguments): AbortSignal {
      return this.#task.signal;
    },
    enumerable: true,
    configurable: true,
  };

  constructor(task: Task) {
    this.#task = task;
  }
}

/** Builds `start()`'s arguments for `task` with its resolved `input`. */
export function startArgs(task: Task, input: StartArgs['input']): StartArgs {
  const args = Object.assign(new StartArguments(task), task.payload) as { input: unknown };
  args.input = input;
  return Object.defineProperty(args, 'signal', StartArguments.signal) as unknown as StartArgs;
}
