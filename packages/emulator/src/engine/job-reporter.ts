/**
 * What batch and stream jobs report the same way: progress events (filtered by
 * `progressVerbosityLevel`) and the job result built from how the job ended.
 */
import type { NormalisedPipeline, ProgressLevel } from './descriptor.js';
import type { RunJobOptions } from './job-options.js';
import { isProgressReported, ProgressCounter, type JobStatus, type ProgressEvent } from './progress.js';
import type { JobResult, NodeResult } from './results.js';

/** How a job ends: the status-specific fields of its result. */
export type JobEnding =
  | { readonly status: 'completed'; readonly data: readonly NodeResult[] }
  | { readonly status: 'failed'; readonly error: string; readonly nodeName?: string }
  | { readonly status: 'stopped'; readonly reason: string };

/** Why a job's running tasks are stopped, for their abort reasons. */
export function endingReason(ending: JobEnding): string {
  return ending.status === 'stopped' ? ending.reason : ending.status === 'failed' ? `job failed: ${ending.error}` : 'job completed';
}

/** Progress events and the result of one job. */
export class JobReporter {
  /** Task counts per status. */
  readonly progress = new ProgressCounter();
  readonly now: () => number;
  readonly startTime: number;

  constructor(
    private readonly pipeline: NormalisedPipeline,
    private readonly options: RunJobOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.startTime = this.now();
  }

  /** Sends a progress event, unless the verbosity filter drops it; a throwing hook is ignored. */
  emit(status: JobStatus, level: ProgressLevel, failure?: { error: string; nodeName?: string }): void {
    const { onProgress } = this.options;
    if (onProgress === undefined) return;
    if (this.options.progressFilter !== 'none' && !isProgressReported(level, this.pipeline.options.progressVerbosityLevel)) return;
    const event: ProgressEvent = {
      jobId: this.options.jobId,
      pipeline: this.pipeline.name,
      status,
      level,
      timestamp: this.now(),
      data: this.progress.snapshot(),
      ...failure,
    };
    try {
      onProgress(event);
    } catch {
      // A failing progress hook must not break the job.
    }
  }

  /** Emits the final event of `ending` and builds the job result. */
  end(ending: JobEnding): JobResult {
    if (ending.status === 'failed') this.emit('failed', 'error', ending.nodeName === undefined ? { error: ending.error } : { error: ending.error, nodeName: ending.nodeName });
    else this.emit(ending.status, 'info');
    const timestamp = this.now();
    const base = { jobId: this.options.jobId, pipeline: this.pipeline.name, startTime: this.startTime, timestamp, timeTook: (timestamp - this.startTime) / 1000 };
    return { ...base, ...ending };
  }
}
