/**
 * `startRawSubPipeline` / `startStoredSubPipeline` / `stopSubPipeline` of one calling task
 * (worker-protocol §6.4; pipeline-semantics §3): each sub-pipeline is a separate job of the emulator,
 * watched until it ends and reported to the caller by `subPipelineId`.
 */
import type { StartRawSubPipelineData, StartStoredSubPipelineData, StopSubPipelineData } from '@hkube-ts/protocol';
import { ensureError } from '@hkube-ts/protocol';
import { jobResultPath } from '@hkube-ts/protocol';
import type { JobResult } from '../engine/index.js';
import type { EmulatorStorage } from '../storage/emulator-storage.js';
import { CodeApiRequestRefusedError } from './errors.js';
import type { CallerConnection } from './types.js';

/** The pipeline of a sub-pipeline request. */
export type SubPipelineSpec =
  /** `startRawSubPipeline`: a descriptor `{name, nodes, flowInput, options, webhooks}`. */
  | { readonly kind: 'raw'; readonly descriptor: Readonly<Record<string, unknown>> }
  /** `startStoredSubPipeline`: a stored pipeline, its flowInput deep-merged with `flowInput`. */
  | { readonly kind: 'stored'; readonly name: string; readonly flowInput: unknown };

/** A started sub-pipeline job. */
export interface StartedSubPipeline {
  readonly jobId: string;
  /** Resolves with the job's result (never rejects). */
  readonly result: Promise<JobResult>;
}

/**
 * Starts sub-pipeline jobs for a task. Throws (synchronously) when the job cannot start: validation,
 * unknown algorithm or stored pipeline. Aborting `signal` stops the job.
 */
export type SubPipelineLauncher = (spec: SubPipelineSpec, signal: AbortSignal) => StartedSubPipeline;

interface Running {
  readonly controller: AbortController;
}

/** The running sub-pipelines of one task, by `subPipelineId`. */
export class SubPipelines {
  readonly #launch: SubPipelineLauncher;
  readonly #storage: EmulatorStorage;
  readonly #running = new Map<string, Running>();
  #closed = false;

  /**
   * @param launch starts the jobs.
   * @param storage the caller's storage: where the results array a v3 caller reads is written.
   */
  constructor(launch: SubPipelineLauncher, storage: EmulatorStorage) {
    this.#launch = launch;
    this.#storage = storage;
  }

  /** Number of sub-pipelines still running. */
  get size(): number {
    return this.#running.size;
  }

  /** Serves a start request: `subPipelineStarted`, then `subPipelineDone`/`…Error`/`…Stopped`. */
  start(command: 'startRawSubPipeline' | 'startStoredSubPipeline', data: StartRawSubPipelineData | StartStoredSubPipelineData, caller: CallerConnection): void {
    const { subPipelineId } = data;
    const refuse = (error: Error): void => caller.reply({ command: 'subPipelineError', data: { subPipelineId, error: error.message } });
    if (this.#closed) return refuse(new CodeApiRequestRefusedError('notWorking'));
    const controller = new AbortController();
    let started: StartedSubPipeline;
    try {
      started = this.#launch(toSpec(command, data), controller.signal);
    } catch (error) {
      return refuse(ensureError(error));
    }
    const running: Running = { controller };
    this.#running.set(subPipelineId, running);
    caller.reply({ command: 'subPipelineStarted', data: { subPipelineId } });
    const includeResult = data.includeResult !== false;
    void started.result
      .then(async (result) => {
        if (this.#running.get(subPipelineId) !== running) return;
        if (result.status === 'completed') {
          const response = caller.storageMode === 'v1' && includeResult ? result.data : await this.#writeResults(result.jobId, result.data);
          if (this.#running.get(subPipelineId) !== running) return;
          this.#running.delete(subPipelineId);
          caller.reply({ command: 'subPipelineDone', data: { subPipelineId, response } });
          return;
        }
        this.#running.delete(subPipelineId);
        if (result.status === 'failed') caller.reply({ command: 'subPipelineError', data: { subPipelineId, error: result.error || 'subpipeline job failed' } });
        else caller.reply({ command: 'subPipelineStopped', data: { subPipelineId, reason: result.reason } });
      })
      .catch((error: unknown) => {
        if (this.#running.get(subPipelineId) !== running) return;
        this.#running.delete(subPipelineId);
        refuse(ensureError(error));
      });
  }

  /** Serves `stopSubPipeline`: stops the job and forgets it (no reply); an unknown id is an error. */
  stop(data: StopSubPipelineData, caller: CallerConnection): void {
    const running = this.#running.get(data.subPipelineId);
    if (running === undefined) {
      const error = new CodeApiRequestRefusedError('invalidRequest', `cannot stop subPipeline - not found: ${data.subPipelineId}`);
      caller.reply({ command: 'subPipelineError', data: { subPipelineId: data.subPipelineId, error: error.message } });
      return;
    }
    this.#running.delete(data.subPipelineId);
    running.controller.abort(`stopped by algorithm: ${data.reason ?? 'no reason'}`);
  }

  /** Stops every running sub-pipeline (the caller ended). Idempotent. */
  close(reason: string): void {
    this.#closed = true;
    const running = [...this.#running.values()];
    this.#running.clear();
    for (const entry of running) entry.controller.abort(reason);
  }

  /** Writes the results array where HKube keeps it (headerless, storage encoding) and returns its descriptor. */
  async #writeResults(jobId: string, data: unknown): Promise<{ storageInfo: { path: string } }> {
    const path = jobResultPath(this.#storage.clusterName, jobId);
    await this.#storage.adapter.put(path, { payload: this.#storage.codec.encode(data) });
    return { storageInfo: { path } };
  }
}

function toSpec(command: 'startRawSubPipeline' | 'startStoredSubPipeline', data: StartRawSubPipelineData | StartStoredSubPipelineData): SubPipelineSpec {
  const { subPipeline } = data;
  if (command === 'startStoredSubPipeline') {
    if (typeof subPipeline.name !== 'string' || subPipeline.name === '') throw new CodeApiRequestRefusedError('invalidRequest', 'pipeline name is required');
    return { kind: 'stored', name: subPipeline.name, flowInput: subPipeline.flowInput };
  }
  const descriptor: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(subPipeline)) if (value !== undefined) descriptor[key] = value;
  return { kind: 'raw', descriptor };
}
