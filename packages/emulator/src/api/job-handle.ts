/**
 * What `Emulator.runPipeline` returns: the job's id, its result, its progress, and a way to stop it.
 */
import { from, type Observable } from 'rxjs';
import type { EdgeStatistics, JobResult, NormalisedPipeline, ProgressEvent } from '../engine/index.js';
import type { EventFeed } from './event-feed.js';
import { LatestValueFeed } from './latest-feed.js';

/** A running (or finished) job. */
export interface JobHandle {
  /** The job's id. */
  readonly jobId: string;
  /** The pipeline's name. */
  readonly pipelineName: string;
  /** The pipeline as it runs: validated, with HKube's defaults filled in. */
  readonly pipeline: NormalisedPipeline;
  /** HKube's job types: `raw`, `stored` or `node` (run from a node), plus `sub-pipeline` and `debug` when they apply. */
  readonly types: readonly string[];
  /**
   * What validation accepted with a remark, one sentence each: what the emulator does differently from
   * what the descriptor asks (a debug node's `minStatelessCount` above 1 is capped at 1), or what HKube
   * would read differently (`includeInResult`). Empty when there is none; the CLI prints each on stderr.
   *
   * @example
   * ```ts
   * const job = emulator.runPipeline(pipeline);
   * for (const warning of job.warnings) console.warn(`warning: ${warning}`);
   * ```
   */
  readonly warnings: readonly string[];
  /**
   * The job's result, once the job has ended **and** its workers are gone (processes exited). A failed
   * or stopped job resolves (see `status`); it rejects only when the job could not start (an algorithm
   * module that cannot be loaded, the emulator closed, storage that cannot be written).
   */
  readonly result: Promise<JobResult>;
  /** Progress events (filtered by the pipeline's `progressVerbosityLevel` unless asked otherwise), replayed from the first. */
  readonly progress: AsyncIterable<ProgressEvent>;
  /** Stops the job (`reason` default `stopped due to request`) and resolves with its result. */
  stop(reason?: string): Promise<JobResult>;
  /**
   * Stream jobs: the statistics of every flow edge now (sent, queue, responses, rates, times,
   * replicas; pipeline-semantics §4). Empty for a batch job and before the first producer report.
   */
  edgeStatistics(): readonly EdgeStatistics[];
  /**
   * Stream jobs: the edge statistics as they change (after each producer report and autoscaler
   * change), starting with the current ones; a slow reader skips to the newest. Ends with the job
   * (after the final snapshot); a batch job's ends at once.
   *
   * @example
   * ```ts
   * for await (const edges of job.edgeStatisticsUpdates) {
   *   for (const edge of edges) console.log(`${edge.source} → ${edge.target}: ${edge.sent} sent, ${edge.reqRate} msg/s`);
   * }
   * ```
   */
  readonly edgeStatisticsUpdates: AsyncIterable<readonly EdgeStatistics[]>;
  /**
   * {@link JobHandle.edgeStatisticsUpdates} as an rxjs Observable: each subscriber gets the current
   * statistics (if any), then every change it has time to see; it completes when the job ends, after
   * the final snapshot (a batch job's completes at once).
   *
   * @example
   * ```ts
   * import { filter, map } from 'rxjs';
   *
   * job.edgeStatistics$
   *   .pipe(map((edges) => edges.find((edge) => edge.target === 'sink')), filter((edge) => edge !== undefined))
   *   .subscribe({ next: (edge) => console.log(`queue ${edge.queueSize}`), complete: () => console.log('job ended') });
   * ```
   */
  readonly edgeStatistics$: Observable<readonly EdgeStatistics[]>;
}

/** The {@link JobHandle} of a job the emulator runs. */
export class RunningJob implements JobHandle {
  readonly result: Promise<JobResult>;
  readonly pipelineName: string;
  #statistics$: Observable<readonly EdgeStatistics[]> | undefined;

  constructor(
    readonly jobId: string,
    readonly pipeline: NormalisedPipeline,
    result: Promise<JobResult>,
    private readonly feed: EventFeed<ProgressEvent>,
    private readonly controller: AbortController,
    readonly types: readonly string[] = ['raw'],
    private readonly statistics: LatestValueFeed<readonly EdgeStatistics[]> = new LatestValueFeed(),
    readonly warnings: readonly string[] = [],
  ) {
    this.result = result;
    this.pipelineName = pipeline.name;
    // A caller that never looks at the result must not get an unhandled rejection.
    result.catch(() => undefined);
  }

  /** {@inheritDoc JobHandle.progress} */
  get progress(): AsyncIterable<ProgressEvent> {
    return this.feed;
  }

  /** {@inheritDoc JobHandle.edgeStatistics} */
  edgeStatistics(): readonly EdgeStatistics[] {
    return this.statistics.current ?? [];
  }

  /** {@inheritDoc JobHandle.edgeStatisticsUpdates} */
  get edgeStatisticsUpdates(): AsyncIterable<readonly EdgeStatistics[]> {
    return this.statistics;
  }

  /** {@inheritDoc JobHandle.edgeStatistics$} */
  get edgeStatistics$(): Observable<readonly EdgeStatistics[]> {
    // Cold: every subscription iterates the feed on its own, from the current snapshot.
    this.#statistics$ ??= from(this.statistics);
    return this.#statistics$;
  }

  /** {@inheritDoc JobHandle.stop} */
  stop(reason?: string): Promise<JobResult> {
    if (!this.controller.signal.aborted) {
      if (typeof reason === 'string' && reason !== '') this.controller.abort(reason);
      else this.controller.abort();
    }
    return this.result;
  }
}
