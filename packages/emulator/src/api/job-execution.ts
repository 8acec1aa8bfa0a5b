/**
 * The task executor of one job: routes each task to a worker of its algorithm (one pool per
 * algorithm), serves the tasks' Code API requests (child executions run as hidden tasks of the job,
 * sub-pipelines as jobs of the emulator), reports task events, and ends every worker when the job is
 * over.
 */
import { join } from 'node:path';
import type { Logger } from '@hkube-ts/wrapper-node';
import { createTaskIdGenerator } from '../engine/ids.js';
import { TaskTtlExpiredError, type NormalisedPipeline, type TaskHooks, type TaskOutcome, type TaskRequest } from '../engine/index.js';
import { UnknownAlgorithmError, UnsupportedNodeKindError } from '../errors.js';
import { runTuner } from '../nodes/tuner/index.js';
import { createDebugBackend, type DebugAttachSettings } from '../debug/debug-backend.js';
import { createStreamDebugRelay } from '../debug/stream-relay.js';
import { createProcessBackend } from '../processes/process-backend.js';
import type { ChildExecutionOutcome, ChildExecutionRequest } from '../services/algorithm-executions.js';
import { buildChildPayload, childNodeName, type ParentTask } from '../services/child-payload.js';
import { CodeApiRequestRefusedError } from '../services/errors.js';
import type { StartedSubPipeline, SubPipelineSpec } from '../services/subpipelines.js';
import { createTaskServices } from '../services/task-services.js';
import type { TaskServices } from '../services/types.js';
import type { EmulatorStorage } from '../storage/emulator-storage.js';
import type { JobStreaming } from '../streaming/job-streaming.js';
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
  /** Whether process nodes run a peer data server on 127.0.0.1 (`DISCOVERY_ENABLE`); default true. */
  readonly peerData?: boolean;
  /** Where `ALGO_METRICS_DIR` of processes points (one folder per algorithm inside). */
  readonly metricsDirectory: string;
  /** One directory per data source id, for `api.getDataSource` (none: requests fail). */
  readonly dataSourcesDir?: string | undefined;
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
  /** The first job of the chain, when this job is a sub-pipeline. */
  readonly rootJobId?: string;
  /**
   * Starts a sub-pipeline job for a task of this job (throws when it cannot start). Without it,
   * sub-pipeline requests are refused.
   */
  readonly launchSubPipeline?: (spec: SubPipelineSpec, parent: { readonly jobId: string; readonly rootJobId: string }, signal: AbortSignal) => StartedSubPipeline;
  /** Called with the storage descriptor of a node task's output (v3 `storing`, or what a v1 worker wrote). */
  readonly onTaskStored?: (taskId: string, descriptor: unknown) => void;
  /** How debug nodes wait for their debugger; without it, debug nodes fail. */
  readonly debug?: DebugAttachSettings;
  /** Stream jobs: the job's network and discovery. */
  readonly streaming?: JobStreaming;
}

/** The task-event fields that stay the same for the whole life of one task. */
type TaskEventBase = Omit<TaskEvent, 'status' | 'error'>;

/** Why the executions and sub-pipelines of a task are stopped when it ends (HKube's reasons). */
function endReason(outcome: TaskOutcome, signal: AbortSignal): string {
  if (signal.aborted) return 'parent algorithm stopped';
  return outcome.status === 'succeed' ? 'parent algorithm entered state results' : `parent algorithm failed: ${outcome.error}`;
}

/** Runs the tasks of one job on virtual workers. */
export class JobExecution {
  readonly #options: JobExecutionOptions;
  readonly #payloads: PayloadContext;
  readonly #pools = new Map<string, WorkerPool>();
  /** The services of running tasks by task id, for the stream debug relays (their debugger's requests). */
  readonly #running = new Map<string, TaskServices>();
  readonly #newTaskId = createTaskIdGenerator();
  #closed = false;

  constructor(options: JobExecutionOptions) {
    this.#options = options;
    this.#payloads = new PayloadContext(options.jobId, options.pipeline, options.storage);
  }

  /** The engine's `executeTask`. */
  readonly executeTask = async (task: TaskRequest, signal: AbortSignal, hooks?: TaskHooks): Promise<TaskOutcome> => {
    const algorithmName = task.algorithmName ?? '';
    const base: TaskEventBase = { jobId: task.jobId, nodeName: task.nodeName, algorithmName, taskId: task.taskId, batchIndex: task.batchIndex };
    this.#report(base, 'pending');
    const outcome = await this.#run(task, algorithmName, signal, () => this.#report(base, 'active'), hooks);
    this.#reportEnd(base, outcome, signal);
    return outcome;
  };

  /** Waits for running tasks to end and ends every worker of the job. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.allSettled([...this.#pools.values()].map((pool) => pool.close()));
  }

  #report(base: TaskEventBase, status: TaskEvent['status'], error?: string): void {
    try {
      this.#options.onTaskEvent?.({ ...base, status, ...(error === undefined ? {} : { error }) });
    } catch {
      // A failing listener must not break the job.
    }
  }

  #reportEnd(base: TaskEventBase, outcome: TaskOutcome, signal: AbortSignal): void {
    if (signal.reason instanceof TaskTtlExpiredError) this.#report(base, 'failed', signal.reason.message);
    else if (signal.aborted) this.#report(base, 'stopped');
    else this.#report(base, outcome.status, outcome.status === 'failed' ? outcome.error : undefined);
  }

  async #run(task: TaskRequest, algorithmName: string, signal: AbortSignal, onStart: () => void, hooks: TaskHooks | undefined): Promise<TaskOutcome> {
    if (task.nodeKind === 'hyperparamsTuner') return runTuner({ task, signal, onStart, launchSubPipeline: this.#options.launchSubPipeline, rootJobId: this.#options.rootJobId ?? task.jobId, logger: this.#options.settings.logger });
    if (task.nodeKind !== 'algorithm' && task.nodeKind !== 'debug') {
      return { status: 'failed', error: new UnsupportedNodeKindError(task.nodeName, task.nodeKind).message };
    }
    // A debug node is served by a debugger that attaches, not by the registered algorithm.
    const debug = task.nodeKind === 'debug';
    const entry = debug ? undefined : this.#options.registry.get(algorithmName);
    if (entry === undefined && !debug) return { status: 'failed', error: new UnknownAlgorithmError(algorithmName, task.nodeName).message };
    if (this.#closed) return { status: 'failed', error: 'the job has ended' };
    const pool = entry === undefined ? this.#debugPool(algorithmName, task.nodeName, task.stream !== undefined) : this.#pool(entry);
    if (pool === undefined) return { status: 'failed', error: `node "${task.nodeName}" is a debug node, which this job cannot serve` };
    const parent: ParentTask = { jobId: task.jobId, taskId: task.taskId, nodeName: task.nodeName, pipelineName: task.pipelineName, info: task.info, priority: this.#options.pipeline.priority };
    const services = this.#services(parent);
    const workerTask: WorkerTask = {
      jobId: task.jobId,
      taskId: task.taskId,
      nodeName: task.nodeName,
      payload: (storageMode, payloadSignal) => buildInitializePayload(task, storageMode, this.#payloads, payloadSignal),
      onStart,
      onStored: (descriptor) => {
        this.#payloads.recordStored(task.nodeName, task.batchIndex, descriptor);
        this.#options.onTaskStored?.(task.taskId, descriptor);
      },
      services,
      ...(task.stream === undefined || this.#options.streaming === undefined ? {} : { stream: this.#options.streaming.link(task, hooks) }),
    };
    this.#running.set(task.taskId, services);
    let outcome: TaskOutcome;
    try {
      outcome = await pool.run(workerTask, signal);
    } finally {
      this.#running.delete(task.taskId);
    }
    services.close(endReason(outcome, signal));
    return outcome;
  }

  /** The Code API services of a task of this job. */
  #services(parent: ParentTask): TaskServices {
    const { launchSubPipeline, registry, storage } = this.#options;
    const rootJobId = this.#options.rootJobId ?? parent.jobId;
    return createTaskServices({
      executions: {
        algorithmExists: (name) => registry.has(name),
        run: (request, signal) => this.#runChild(parent, request, signal),
      },
      launchSubPipeline: (spec, signal) => {
        if (launchSubPipeline === undefined) throw new CodeApiRequestRefusedError('invalidRequest', 'sub-pipelines are not available to this job');
        return launchSubPipeline(spec, { jobId: parent.jobId, rootJobId }, signal);
      },
      storage,
      dataSourcesDir: this.#options.settings.dataSourcesDir,
    });
  }

  /** Runs a child execution as a hidden task of this job (not in the job's results, never failing it). */
  async #runChild(parent: ParentTask, request: ChildExecutionRequest, signal: AbortSignal): Promise<ChildExecutionOutcome> {
    const { algorithmName } = request;
    const taskId = this.#newTaskId();
    const nodeName = childNodeName(parent, algorithmName);
    const base: TaskEventBase = { jobId: parent.jobId, nodeName, algorithmName, taskId, batchIndex: 0 };
    const entry = this.#options.registry.get(algorithmName);
    let stored: unknown;
    let outcome: TaskOutcome;
    this.#report(base, 'pending');
    if (entry === undefined) {
      outcome = { status: 'failed', error: new UnknownAlgorithmError(algorithmName, nodeName).message };
    } else if (this.#closed) {
      outcome = { status: 'failed', error: 'the job has ended' };
    } else if (entry.kind === 'process' && this.#options.storage.pod === undefined) {
      outcome = { status: 'failed', error: `algorithm "${algorithmName}" runs as a process, which needs storage in a directory or on S3: start the job from a process or give the emulator a storage directory or S3 storage` };
    } else {
      const child: ParentTask = { ...parent, taskId, nodeName };
      const services = this.#services(child);
      const workerTask: WorkerTask = {
        jobId: parent.jobId,
        taskId,
        nodeName,
        payload: (storageMode, payloadSignal) => buildChildPayload(parent, taskId, request, storageMode, this.#options.storage, payloadSignal),
        onStart: () => this.#report(base, 'active'),
        onStored: (descriptor) => (stored = descriptor),
        services,
      };
      outcome = await this.#pool(entry).run(workerTask, signal);
      services.close(endReason(outcome, signal));
    }
    this.#reportEnd(base, outcome, signal);
    return { outcome, stored };
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

  /**
   * The pool of the debugger of `algorithmName` (one worker, as HKube's relay has). In a stream job the
   * worker runs the emulator's relay in-process, a stream node whose work the debugger does.
   */
  #debugPool(algorithmName: string, nodeName: string, stream: boolean): WorkerPool | undefined {
    const { debug, settings, storage, streaming } = this.#options;
    if (debug === undefined) return undefined;
    const key = `${stream ? 'debug-relay' : 'debug'}:${algorithmName}`;
    let pool = this.#pools.get(key);
    if (pool === undefined) {
      const backend = (): WorkerBackend => {
        if (!stream) return createDebugBackend(algorithmName, nodeName, debug);
        const relay = createStreamDebugRelay({
          algorithmName,
          nodeName,
          debug,
          exitGraceMs: settings.timeouts.exitGraceMs,
          logger: settings.logger,
          services: (taskId) => this.#running.get(taskId),
        });
        return createInProcessBackend({
          algorithmName,
          load: () => Promise.resolve(relay),
          storage,
          logger: settings.wrapperLogger,
          ...(streaming === undefined ? {} : { stream: () => streaming.endpoint('in-process') }),
        });
      };
      pool = new WorkerPool({
        maxWorkers: 1,
        createWorker: () => new VirtualWorker({ algorithmName, backend: backend(), storage, timeouts: settings.timeouts, logger: settings.logger }),
      });
      this.#pools.set(key, pool);
    }
    return pool;
  }

  #backend(entry: AlgorithmEntry): WorkerBackend {
    const { storage, settings, streaming } = this.#options;
    if (entry.kind === 'in-process') {
      return createInProcessBackend({
        algorithmName: entry.name,
        load: entry.load,
        storage,
        logger: settings.wrapperLogger,
        ...(streaming === undefined ? {} : { stream: () => streaming.endpoint('in-process') }),
        ...(entry.options.encoding === undefined ? {} : { encoding: entry.options.encoding }),
        ...(entry.options.storageMode === undefined ? {} : { storageMode: entry.options.storageMode }),
      });
    }
    if (storage.pod === undefined) throw new Error('an algorithm process needs storage in a directory or on S3');
    const onOutput = settings.onProcessOutput;
    return createProcessBackend({
      algorithmName: entry.name,
      command: entry.command,
      cwd: entry.cwd,
      env: entry.env,
      clusterName: storage.clusterName,
      storage: storage.pod,
      storageEncoding: storage.codec.name,
      metricsDirectory: join(settings.metricsDirectory, entry.name),
      connectTimeoutMs: entry.options.connectTimeoutMs ?? settings.processConnectTimeoutMs,
      ...(streaming === undefined ? {} : { stream: () => streaming.endpoint('process') }),
      peerData: settings.peerData ?? true,
      ...(onOutput === undefined ? {} : { onOutput: (stream: 'stdout' | 'stderr', text: string) => onOutput(entry.name, stream, text) }),
    });
  }
}
