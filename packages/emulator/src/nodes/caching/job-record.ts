/**
 * The run record of a job: what a later run from node (pipeline-semantics §5.3) needs to know about it.
 * The outputs themselves stay where HKube keeps them (`<cluster>-hkube/<jobId>/<taskId>`); the record
 * only points at them.
 */
import { jobExecutionPath } from '@hkube-ts/protocol';
import { readStoredValue } from '@hkube-ts/wrapper-node';
import type { ExecuteTask, TaskOutcome, TaskRequest } from '../../engine/index.js';
import type { EmulatorStorage } from '../../storage/emulator-storage.js';
import { descriptorPath, writeWorkerResult } from '../../storage/task-results.js';

/** Where a finished task of a recorded job left its output. */
export type TaskOutputRecord =
  | {
      readonly taskId: string;
      /** 0 for a single task, 1.. for batch items. */
      readonly batchIndex: number;
      readonly status: 'succeed';
      /** The storage path of the output (with HKube's `HK` header, or headerless as v1 workers write it). */
      readonly path: string;
    }
  | { readonly taskId: string; readonly batchIndex: number; readonly status: 'failed'; readonly error: string };

/**
 * The record of a job, written (headerless, with the storage codec, like `descriptor.json`) at
 * `<cluster>-hkube-execution/<jobId>/run-record.json` when the job ends, whatever its status.
 *
 * ```text
 * {
 *   version: 1,
 *   jobId, rootJobId?,            // rootJobId: the first job of a chain of re-runs or sub-pipelines
 *   status: 'completed' | 'failed' | 'stopped',
 *   descriptor: { … },            // the pipeline as submitted, flowInput included
 *   nodes: {                      // the tasks that finished, per node, items in batchIndex order
 *     <nodeName>: [ { taskId, batchIndex, status: 'succeed', path } | { taskId, batchIndex, status: 'failed', error } ]
 *   }
 * }
 * ```
 *
 * A node of a re-run that did not run again keeps the entries of the earlier job, so a chain of re-runs
 * always reads the outputs where they were first written. `output` nodes run in the engine and have no
 * entry.
 */
export interface JobRecord {
  readonly version: 1;
  readonly jobId: string;
  readonly rootJobId?: string;
  readonly status: 'completed' | 'failed' | 'stopped';
  readonly descriptor: Readonly<Record<string, unknown>>;
  readonly nodes: Readonly<Record<string, readonly TaskOutputRecord[]>>;
}

/** Where the run record of `jobId` is kept. */
export function jobRecordPath(clusterName: string, jobId: string): string {
  return jobExecutionPath(clusterName, jobId, 'run-record.json');
}

function isJobRecord(value: unknown): value is JobRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return record['version'] === 1 && typeof record['jobId'] === 'string' && typeof record['descriptor'] === 'object' && record['descriptor'] !== null && typeof record['nodes'] === 'object' && record['nodes'] !== null;
}

/** Reads the run record of `jobId`; `undefined` when there is none (or it is not a run record). */
export async function readJobRecord(storage: EmulatorStorage, jobId: string): Promise<JobRecord | undefined> {
  const path = jobRecordPath(storage.clusterName, jobId);
  if (!(await storage.adapter.exists(path))) return undefined;
  const value = await readStoredValue(path, { storage: storage.adapter, codec: storage.codec });
  return isJobRecord(value) ? value : undefined;
}

/** What {@link JobRecorder} needs to know about the job. */
export interface JobRecorderOptions {
  readonly storage: EmulatorStorage;
  readonly jobId: string;
  readonly rootJobId: string | undefined;
  readonly descriptor: Readonly<Record<string, unknown>>;
  /** Entries of the nodes that do not run (a run from node): copied from the earlier job's record. */
  readonly cachedNodes?: Readonly<Record<string, readonly TaskOutputRecord[]>>;
}

/** Collects where each task of a job left its output, and writes the job's {@link JobRecord}. */
export class JobRecorder {
  readonly #options: JobRecorderOptions;
  readonly #stored = new Map<string, string>();
  readonly #nodes = new Map<string, TaskOutputRecord[]>();

  constructor(options: JobRecorderOptions) {
    this.#options = options;
    for (const [name, tasks] of Object.entries(options.cachedNodes ?? {})) this.#nodes.set(name, [...tasks]);
  }

  /** The executor's `onStored`: the storage descriptor of a task's output. */
  readonly onStored = (taskId: string, descriptor: unknown): void => {
    const path = descriptorPath(descriptor);
    if (path !== undefined) this.#stored.set(taskId, path);
  };

  /** Wraps the engine's `executeTask` to record each finished task. */
  wrap(executeTask: ExecuteTask): ExecuteTask {
    return async (task, signal) => {
      const outcome = await executeTask(task, signal);
      if (!signal.aborted) await this.#record(task, outcome);
      return outcome;
    };
  }

  async #record(task: TaskRequest, outcome: TaskOutcome): Promise<void> {
    const { taskId, batchIndex } = task;
    let entry: TaskOutputRecord;
    if (outcome.status === 'failed') {
      entry = { taskId, batchIndex, status: 'failed', error: outcome.error };
    } else {
      let path = this.#stored.get(taskId);
      if (path === undefined) {
        // A result that no worker stored (a tuner node, a v3 `done` without `storing`): stored as a v1 worker would.
        try {
          path = (await writeWorkerResult(this.#options.storage, task.jobId, taskId, outcome.result ?? null)).storageInfo.path;
        } catch {
          return;
        }
      }
      entry = { taskId, batchIndex, status: 'succeed', path };
    }
    const tasks = this.#nodes.get(task.nodeName) ?? [];
    tasks.push(entry);
    this.#nodes.set(task.nodeName, tasks);
  }

  /** Writes the record of the job, which ended with `status`. */
  async write(status: JobRecord['status']): Promise<void> {
    const { storage, jobId, rootJobId, descriptor } = this.#options;
    const nodes: Record<string, TaskOutputRecord[]> = {};
    for (const [name, tasks] of this.#nodes) nodes[name] = [...tasks].sort((a, b) => a.batchIndex - b.batchIndex);
    const record: JobRecord = { version: 1, jobId, ...(rootJobId === undefined ? {} : { rootJobId }), status, descriptor, nodes };
    await storage.adapter.put(jobRecordPath(storage.clusterName, jobId), { payload: storage.codec.encode(record) });
  }
}
