/**
 * The task executor of one job: routes each task to a worker of its algorithm (one pool per
 * algorithm), reports task events, and ends every worker when the job is over.
 */
import { join } from 'node:path';
import type { Logger } from '@hkube-ts/wrapper-node';
import { TaskTtlExpiredError, type NormalisedPipeline, type TaskOutcome, type TaskRequest } from '../engine/index.js';
import { UnknownAlgorithmError, UnsupportedNodeKindError } from '../errors.js';
import { createProcessBackend } from '../processes/process-backend.js';
import type { EmulatorStorage } from '../storage/emulator-storage.js';
import type { WorkerBackend } from '../worker/backend.js';
import { createInProcessBackend } from '../worker/in-process-backend.js';
import { buildInitializePayload, PayloadContext } from '../worker/initialize-payload.js';
import { VirtualWorker, type WorkerTask, type WorkerTimeouts } from '../worker/virtual-worker.js';
import { WorkerPool } from '../worker/worker-pool.js';
import type { AlgorithmEntry, AlgorithmRegistry } from './registry.js';

/** A change of one task's status, as the executor sees it. */
export interface TaskEvent {
  readonly jobId: string;
  readonly nodeName: string;
  readonly algorithmName: string;
  readonly taskId: string;
  /** 0 for a single task, 1.. for batch items. */
  readonly batchIndex: number;
  /** `pending` while it waits for a worker, `active` once its algorithm runs it. */
  readonly status: 'pending' | 'active' | 'succeed' | 'failed' | 'stopped';
  /** The error of a failed task. */
  readonly error?: string;
}

/** Emulator-wide settings a job's workers use. */
export interface ExecutionSettings {
  readonly maxInProcessWorkers: number;
  readonly maxProcessWorkers: number;
  readonly processConnectTimeoutMs: number;
  readonly timeouts: WorkerTimeouts;
  readonly logger: Logger;
  readonly wrapperLogger: Logger;
  /** Where `ALGO_METRICS_DIR` of processes points (one folder per algorithm inside). */
  readonly metricsDirectory: string;
  readonly onProcessOutput?: (algorithmName: string, stream: 'stdout' | 'stderr', text: string) => void;
}

/** Options of {@link JobExecution}. */
export interface JobExecutionOptions {
  readonly jobId: string;
  readonly pipeline: NormalisedPipeline;
  readonly storage: EmulatorStorage;
  readonly registry: AlgorithmRegistry;
  readonly settings: ExecutionSettings;
  readonly onTaskEvent?: (event: TaskEvent) => void;
}

/** Runs the tasks of one job on virtual workers. */
export class JobExecution {
  readonly #options: JobExecutionOptions;
  readonly #payloads: PayloadContext;
  readonly #pools = new Map<string, WorkerPool>();
  #closed = false;

  constructor(options: JobExecutionOptions) {
    this.#options = options;
    this.#payloads = new PayloadContext(options.jobId, options.pipeline, options.storage);
  }

  /** The engine's `executeTask`. */
  readonly executeTask = async (task: TaskRequest, signal: AbortSignal): Promise<TaskOutcome> => {
    const algorithmName = task.algorithmName ?? '';
    const report = (status: TaskEvent['status'], error?: string): void => {
      const event: TaskEvent = { jobId: task.jobId, nodeName: task.nodeName, algorithmName, taskId: task.taskId, batchIndex: task.batchIndex, status, ...(error === undefined ? {} : { error }) };
      try {
        this.#options.onTaskEvent?.(event);
      } catch {
        // A failing listener must not break the job.
      }
    };
    report('pending');
    const outcome = await this.#run(task, algorithmName, signal, () => report('active'));
    if (signal.reason instanceof TaskTtlExpiredError) report('failed', signal.reason.message);
    else if (signal.aborted) report('stopped');
    else report(outcome.status, outcome.status === 'failed' ? outcome.error : undefined);
    return outcome;
  };

  /** Waits for running tasks to end and ends every worker of the job. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.allSettled([...this.#pools.values()].map((pool) => pool.close()));
  }

  #run(task: TaskRequest, algorithmName: string, signal: AbortSignal, onStart: () => void): Promise<TaskOutcome> {
    if (task.nodeKind !== 'algorithm' && task.nodeKind !== 'debug') {
      return Promise.resolve({ status: 'failed', error: new UnsupportedNodeKindError(task.nodeName, task.nodeKind).message });
    }
    const entry = this.#options.registry.get(algorithmName);
    if (entry === undefined) return Promise.resolve({ status: 'failed', error: new UnknownAlgorithmError(algorithmName, task.nodeName).message });
    if (this.#closed) return Promise.resolve({ status: 'failed', error: 'the job has ended' });
    const workerTask: WorkerTask = {
      jobId: task.jobId,
      taskId: task.taskId,
      nodeName: task.nodeName,
      payload: (storageMode, payloadSignal) => buildInitializePayload(task, storageMode, this.#payloads, payloadSignal),
      onStart,
    };
    return this.#pool(entry).run(workerTask, signal);
  }

  #pool(entry: AlgorithmEntry): WorkerPool {
    let pool = this.#pools.get(entry.name);
    if (pool === undefined) {
      const { settings } = this.#options;
      const fallback = entry.kind === 'process' ? settings.maxProcessWorkers : settings.maxInProcessWorkers;
      pool = new WorkerPool({
        maxWorkers: entry.options.maxWorkers ?? fallback,
        createWorker: () =>
          new VirtualWorker({
            algorithmName: entry.name,
            backend: this.#backend(entry),
            storage: this.#options.storage,
            timeouts: settings.timeouts,
            logger: settings.logger,
          }),
      });
      this.#pools.set(entry.name, pool);
    }
    return pool;
  }

  #backend(entry: AlgorithmEntry): WorkerBackend {
    const { storage, settings } = this.#options;
    if (entry.kind === 'in-process') {
      return createInProcessBackend({
        algorithmName: entry.name,
        load: entry.load,
        storage,
        logger: settings.wrapperLogger,
        ...(entry.options.encoding === undefined ? {} : { encoding: entry.options.encoding }),
        ...(entry.options.storageMode === undefined ? {} : { storageMode: entry.options.storageMode }),
      });
    }
    if (storage.directory === undefined) throw new Error('an algorithm process needs storage in a directory');
    const onOutput = settings.onProcessOutput;
    return createProcessBackend({
      algorithmName: entry.name,
      command: entry.command,
      cwd: entry.cwd,
      env: entry.env,
      clusterName: storage.clusterName,
      storageDirectory: storage.directory,
      storageEncoding: storage.codec.name,
      metricsDirectory: join(settings.metricsDirectory, entry.name),
      connectTimeoutMs: entry.options.connectTimeoutMs ?? settings.processConnectTimeoutMs,
      ...(onOutput === undefined ? {} : { onOutput: (stream: 'stdout' | 'stderr', text: string) => onOutput(entry.name, stream, text) }),
    });
  }
}
