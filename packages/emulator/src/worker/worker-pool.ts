/**
 * The workers of one algorithm in one job: a worker serves its tasks one after the other, and batch
 * items run concurrently on up to `maxWorkers` workers, created on demand and reused.
 */
import type { TaskOutcome } from '../engine/index.js';
import type { VirtualWorker, WorkerTask } from './virtual-worker.js';

/** Options of {@link WorkerPool}. */
export interface WorkerPoolOptions {
  /** Creates a new (not yet connected) worker. */
  readonly createWorker: () => VirtualWorker;
  /** Most workers alive at once (at least 1). */
  readonly maxWorkers: number;
}

interface Waiter {
  readonly resolve: (worker: VirtualWorker | undefined) => void;
  readonly signal: AbortSignal;
  readonly onAbort: () => void;
}

/** A pool of {@link VirtualWorker}s for one algorithm. */
export class WorkerPool {
  readonly #options: WorkerPoolOptions;
  readonly #idle: VirtualWorker[] = [];
  readonly #all = new Set<VirtualWorker>();
  readonly #waiters: Waiter[] = [];
  readonly #running = new Set<Promise<TaskOutcome>>();
  readonly #ending = new Set<Promise<void>>();
  #closed = false;

  constructor(options: WorkerPoolOptions) {
    this.#options = { ...options, maxWorkers: Math.max(1, Math.floor(options.maxWorkers)) };
  }

  /**
   * Runs a task on a free worker (waiting for one when all are busy). Resolves with its outcome; a
   * task whose signal aborts before it got a worker fails at once.
   */
  async run(task: WorkerTask, signal: AbortSignal): Promise<TaskOutcome> {
    const worker = await this.#acquire(signal);
    if (worker === undefined) return { status: 'failed', error: String((signal.reason as Error | undefined)?.message ?? 'stopped') };
    const running = worker.runTask(task, signal);
    this.#running.add(running);
    try {
      return await running;
    } finally {
      this.#running.delete(running);
      this.#release(worker);
    }
  }

  /** Waits for running tasks to end, then sends every worker `exit` and waits for them to be gone. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const waiter of this.#waiters.splice(0)) {
      waiter.signal.removeEventListener('abort', waiter.onAbort);
      waiter.resolve(undefined);
    }
    await Promise.allSettled([...this.#running]);
    const workers = [...this.#all];
    this.#all.clear();
    this.#idle.length = 0;
    await Promise.allSettled([...workers.map((worker) => worker.exit()), ...this.#ending]);
  }

  #acquire(signal: AbortSignal): Promise<VirtualWorker | undefined> {
    if (this.#closed || signal.aborted) return Promise.resolve(undefined);
    const idle = this.#idle.pop();
    if (idle !== undefined) return Promise.resolve(idle);
    if (this.#all.size < this.#options.maxWorkers) return Promise.resolve(this.#create());
    return new Promise((resolve) => {
      const waiter: Waiter = {
        resolve,
        signal,
        onAbort: () => {
          const index = this.#waiters.indexOf(waiter);
          if (index >= 0) this.#waiters.splice(index, 1);
          resolve(undefined);
        },
      };
      signal.addEventListener('abort', waiter.onAbort, { once: true });
      this.#waiters.push(waiter);
    });
  }

  #create(): VirtualWorker {
    const worker = this.#options.createWorker();
    this.#all.add(worker);
    return worker;
  }

  #release(worker: VirtualWorker): void {
    if (!worker.usable) {
      // A worker that ended (crash, stop timeout) is replaced for whoever waits.
      this.#all.delete(worker);
      const ending = worker.exit();
      this.#ending.add(ending);
      void ending.finally(() => this.#ending.delete(ending));
      if (this.#closed) return;
      const waiter = this.#waiters.shift();
      if (waiter !== undefined) this.#handOver(waiter, this.#create());
      return;
    }
    if (this.#closed) return;
    const waiter = this.#waiters.shift();
    if (waiter !== undefined) this.#handOver(waiter, worker);
    else this.#idle.push(worker);
  }

  #handOver(waiter: Waiter, worker: VirtualWorker): void {
    waiter.signal.removeEventListener('abort', waiter.onAbort);
    waiter.resolve(worker);
  }
}
