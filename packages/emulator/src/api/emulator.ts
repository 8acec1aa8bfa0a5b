/**
 * The programmatic emulator, independent of any test runner: register algorithms, store pipelines,
 * run jobs through virtual workers and the real wrapper, and close everything at the end.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { silentLogger } from '@hkube-ts/wrapper-node';
import { copyValue, isPlainObject } from '../engine/copy.js';
import { createTaskIdGenerator } from '../engine/ids.js';
import {
  PipelineValidationError, runJob, validatePipeline, type EdgeStatistics, type JobResult, type NormalisedPipeline, type ParentOutput, type PipelineDescriptor, type ProgressEvent,
} from '../engine/index.js';
import { EmulatorClosedError, UnknownAlgorithmError } from '../errors.js';
import { DebugServer } from '../debug/debug-server.js';
import { createEmulatorLogger } from '../logger.js';
import { createDirectoryStorage, createMemoryStorage, createS3Storage, type EmulatorStorage } from '../storage/emulator-storage.js';
import { writeJobResult, writeJobStart } from '../storage/job-records.js';
import { CachedJobNotFoundError, JobRecorder, loadCachedOutputs, planRunFromNode, readJobRecord, type TaskOutputRecord } from '../nodes/caching/index.js';
import { DEFAULT_WORKER_TIMEOUTS } from '../worker/virtual-worker.js';
import { JobStreaming } from '../streaming/job-streaming.js';
import { EventFeed } from './event-feed.js';
import { LatestValueFeed } from './latest-feed.js';
import { streamRunOptions } from './streaming-options.js';
import { JobExecution, type ExecutionSettings } from './job-execution.js';
import { RunningJob, type JobHandle } from './job-handle.js';
import { AlgorithmRegistry, toEntry, type AlgorithmOptions, type AlgorithmSource } from './registry.js';
import type { StartedSubPipeline, SubPipelineSpec } from '../services/subpipelines.js';
import { isStoredPipelineRequest, mergeDeep, StoredPipelines } from './stored-pipelines.js';
import { jobTypes } from './job-types.js';
import type { Emulator, EmulatorOptions, PipelineToRun, RunFromNodeOptions, RunFromNodeRequest, RunPipelineOptions } from './emulator-types.js';

export type { Emulator, EmulatorOptions, PipelineToRun, RunFromNodeOptions, RunFromNodeRequest, RunPipelineOptions } from './emulator-types.js';

/** What a run from node adds to a run: the nodes that do not run and their outputs. */
interface RerunSeed {
  readonly cachedOutputs: ReadonlyMap<string, ParentOutput>;
  readonly cachedNodes: Readonly<Record<string, readonly TaskOutputRecord[]>>;
  /** Algorithms only the cached nodes use: they need not be registered. */
  readonly optionalAlgorithms: ReadonlySet<string>;
}

/** A validated job about to run. */
interface JobToExecute {
  readonly pipeline: NormalisedPipeline;
  /** The descriptor as submitted (flowInput included), for the job's run record. */
  readonly descriptor: Readonly<Record<string, unknown>>;
  readonly jobId: string;
  readonly rootJobId: string | undefined;
  readonly rerun: RerunSeed | undefined;
}

class LocalEmulator implements Emulator {
  readonly #registry = new AlgorithmRegistry();
  readonly #stored = new StoredPipelines();
  readonly #jobs = new Map<string, { handle: RunningJob; done: Promise<unknown> }>();
  readonly #baseDir: string;
  readonly #newId = createTaskIdGenerator();
  readonly #debug: DebugServer;
  readonly #settings: Omit<ExecutionSettings, 'metricsDirectory'>;
  #workDir: Promise<string> | undefined;
  #processStorage: Promise<EmulatorStorage> | undefined;
  #closing: Promise<void> | undefined;

  constructor(
    private readonly storage: EmulatorStorage,
    private readonly options: EmulatorOptions,
  ) {
    this.#baseDir = options.baseDir ?? process.cwd();
    this.#debug = new DebugServer({ port: options.debugPort ?? 0 });
    this.#settings = {
      maxInProcessWorkers: options.maxInProcessWorkers ?? 64,
      maxProcessWorkers: options.maxProcessWorkers ?? 4,
      processConnectTimeoutMs: options.processConnectTimeoutMs ?? 30_000,
      peerData: options.peerData ?? true,
      dataSourcesDir: options.dataSourcesDir === undefined ? undefined : resolve(options.baseDir ?? process.cwd(), options.dataSourcesDir),
      timeouts: { ...DEFAULT_WORKER_TIMEOUTS, ...options.timeouts },
      logger: options.logger ?? createEmulatorLogger('warn'),
      wrapperLogger: options.wrapperLogger ?? silentLogger,
      ...(options.onProcessOutput === undefined ? {} : { onProcessOutput: options.onProcessOutput }),
    };
  }

  get storageDirectory(): string | undefined {
    return this.storage.directory;
  }

  registerAlgorithm(name: string, source: AlgorithmSource, options: AlgorithmOptions = {}): void {
    this.#assertOpen();
    this.#registry.set(toEntry(name, source, this.#baseDir, options));
  }

  storePipeline(descriptor: PipelineDescriptor | Readonly<Record<string, unknown>>): void {
    this.#assertOpen();
    const checked = validatePipeline(descriptor, { checkFlowInput: false });
    if (!checked.ok) throw checked.error;
    this.#stored.set(checked.pipeline.name, copyValue(descriptor) as Record<string, unknown>);
  }

  runPipeline(pipeline: PipelineToRun, options: RunPipelineOptions = {}): JobHandle {
    return this.#runPipeline(pipeline, options, undefined);
  }

  async runFromNode(request: RunFromNodeRequest, options: RunFromNodeOptions = {}): Promise<JobHandle> {
    this.#assertOpen();
    const record = await readJobRecord(this.storage, request.jobId);
    if (record === undefined) throw new CachedJobNotFoundError(request.jobId);
    const plan = planRunFromNode(record, request.nodeName);
    const cachedOutputs = await loadCachedOutputs(this.storage, record, plan);
    return this.#runPipeline(plan.descriptor, options, plan.rootJobId, { cachedOutputs, cachedNodes: plan.cachedNodes, optionalAlgorithms: plan.cachedOnlyAlgorithms });
  }

  /**
   * Starts a sub-pipeline job for a task (worker-protocol §6.4): a raw descriptor, or a stored pipeline
   * whose flowInput is deep-merged with the caller's (pipeline-semantics §1.4).
   */
  #startSubPipeline(spec: SubPipelineSpec, parent: { readonly jobId: string; readonly rootJobId: string }, signal: AbortSignal): StartedSubPipeline {
    let descriptor: Readonly<Record<string, unknown>>;
    if (spec.kind === 'raw') {
      descriptor = spec.descriptor;
    } else {
      const stored = this.#stored.resolve({ stored: spec.name });
      if (spec.flowInput !== undefined) stored['flowInput'] = mergeDeep(stored['flowInput'], copyValue(spec.flowInput));
      descriptor = stored;
    }
    this.#settings.logger.debug(`job ${parent.jobId} starts a sub-pipeline`);
    const handle = this.#runPipeline(descriptor, { signal }, parent.rootJobId);
    // Nobody holds a sub-pipeline's handle: its warnings go to the emulator's log.
    for (const warning of handle.warnings) this.#settings.logger.warn(`sub-pipeline job ${handle.jobId} of job ${parent.jobId}: ${warning}`);
    return { jobId: handle.jobId, result: handle.result };
  }

  #runPipeline(pipeline: PipelineToRun, options: RunPipelineOptions, rootJobId: string | undefined, rerun?: RerunSeed): JobHandle {
    this.#assertOpen();
    const { normalised, descriptor, warnings } = this.#validate(pipeline, options, rerun?.optionalAlgorithms);
    const jobId = options.jobId ?? `${normalised.name}-${this.#newId()}`;
    const feed = new EventFeed<ProgressEvent>();
    const statistics = new LatestValueFeed<readonly EdgeStatistics[]>();
    const controller = new AbortController();
    const external = options.signal;
    const onExternalAbort = (): void => controller.abort(external?.reason);
    if (external?.aborted === true) onExternalAbort();
    else external?.addEventListener('abort', onExternalAbort, { once: true });
    const result = this.#execute({ pipeline: normalised, descriptor, jobId, rootJobId, rerun }, controller.signal, feed, options, statistics).finally(() => {
      external?.removeEventListener('abort', onExternalAbort);
      feed.end();
      statistics.end();
      this.#jobs.delete(jobId);
    });
    const types = jobTypes(isStoredPipelineRequest(pipeline), normalised, rootJobId, rerun !== undefined);
    const handle = new RunningJob(jobId, normalised, result, feed, controller, types, statistics, warnings);
    this.#jobs.set(jobId, { handle, done: result.catch(() => undefined) });
    return handle;
  }

  run(pipeline: PipelineToRun, options?: RunPipelineOptions): Promise<JobResult> {
    try {
      return this.runPipeline(pipeline, options).result;
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  async debugUrl(algorithmName: string): Promise<string> {
    this.#assertOpen();
    await this.#debug.listen();
    return this.#debug.url(algorithmName);
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    const jobs = [...this.#jobs.values()];
    for (const job of jobs) void job.handle.stop('the emulator was closed');
    await Promise.allSettled(jobs.map((job) => job.done));
    await this.#debug.close();
    await this.storage.close();
    if (this.#processStorage !== undefined) await (await this.#processStorage.catch(() => undefined))?.close();
    const workDir = await this.#workDir?.catch(() => undefined);
    if (workDir !== undefined) await rm(workDir, { recursive: true, force: true });
  }

  #assertOpen(): void {
    if (this.#closing !== undefined) throw new EmulatorClosedError();
  }

  #validate(pipeline: PipelineToRun, options: RunPipelineOptions, optionalAlgorithms?: ReadonlySet<string>): { normalised: NormalisedPipeline; descriptor: Record<string, unknown>; warnings: readonly string[] } {
    if (!isPlainObject(pipeline)) throw new PipelineValidationError('pipeline must be an object');
    const descriptor = isStoredPipelineRequest(pipeline) ? this.#stored.resolve(pipeline) : (copyValue(pipeline) as Record<string, unknown>);
    if (options.flowInput !== undefined) descriptor['flowInput'] = copyValue(options.flowInput);
    const missing = new Set<string>();
    const checked = validatePipeline(descriptor, {
      algorithmStateType: (name) => this.#registry.get(name)?.options.stateType,
      // A debug node's algorithm runs in the debugger, so it need not be registered.
      algorithmExists: (name, nodeKind) => {
        if (nodeKind === 'debug' || this.#registry.has(name) || optionalAlgorithms?.has(name) === true) return true;
        missing.add(name);
        return false;
      },
    });
    if (checked.ok) return { normalised: checked.pipeline, descriptor, warnings: checked.warnings };
    const unknown = [...missing].find((name) => checked.error.message === `algorithm ${name} Not Found`);
    if (unknown !== undefined) throw new UnknownAlgorithmError(unknown, checked.error.nodeName);
    throw checked.error;
  }

  #work(): Promise<string> {
    this.#workDir ??= mkdtemp(join(tmpdir(), 'hkube-ts-'));
    return this.#workDir;
  }

  /** Whether a node of the pipeline runs as a process. */
  #usesProcess(pipeline: NormalisedPipeline): boolean {
    return pipeline.nodes.some((node) => node.kind !== 'debug' && node.algorithmName !== undefined && this.#registry.get(node.algorithmName)?.kind === 'process');
  }

  /** The storage of a job: the emulator's, or a directory when a node runs as a process and storage is in memory. */
  #jobStorage(usesProcess: boolean): Promise<EmulatorStorage> {
    if (!usesProcess || this.storage.pod !== undefined) return Promise.resolve(this.storage);
    this.#processStorage ??= this.#work().then((dir) =>
      createDirectoryStorage(join(dir, 'storage'), { clusterName: this.storage.clusterName, encoding: this.storage.codec.name }),
    );
    return this.#processStorage;
  }

  async #execute(job: JobToExecute, signal: AbortSignal, feed: EventFeed<ProgressEvent>, options: RunPipelineOptions, statistics: LatestValueFeed<readonly EdgeStatistics[]>): Promise<JobResult> {
    const { pipeline, jobId, rootJobId, rerun } = job;
    // Modules are imported before the job starts, so a module that cannot be loaded is an error of the run.
    const used = new Set(pipeline.nodes.filter((node) => node.kind !== 'debug' && rerun?.cachedOutputs.has(node.nodeName) !== true).map((node) => node.algorithmName).filter((name): name is string => name !== undefined));
    for (const name of used) {
      const entry = this.#registry.get(name);
      if (entry?.kind === 'in-process') await entry.load();
    }
    const usesProcess = this.#usesProcess(pipeline);
    const storage = await this.#jobStorage(usesProcess);
    const metricsDirectory = usesProcess ? join(await this.#work(), 'metrics') : '';
    if (pipeline.nodes.some((node) => node.kind === 'debug')) await this.#debug.listen();
    await writeJobStart(storage, jobId, pipeline, pipeline.flowInput);
    const stream = pipeline.kind === 'stream';
    const streaming = stream ? new JobStreaming({ network: usesProcess ? 'zeromq' : 'memory', statisticsIntervalMs: this.options.streaming?.statisticsIntervalMs ?? 1000 }) : undefined;
    const recorder = new JobRecorder({ storage, jobId, rootJobId, descriptor: job.descriptor, ...(rerun === undefined ? {} : { cachedNodes: rerun.cachedNodes }) });
    const execution = new JobExecution({
      jobId,
      pipeline,
      storage,
      registry: this.#registry,
      settings: { ...this.#settings, metricsDirectory },
      ...(options.onTaskEvent === undefined ? {} : { onTaskEvent: options.onTaskEvent }),
      ...(rootJobId === undefined ? {} : { rootJobId }),
      onTaskStored: recorder.onStored,
      launchSubPipeline: (spec, parent, subSignal) => this.#startSubPipeline(spec, parent, subSignal),
      debug: {
        server: this.#debug,
        attachTimeoutMs: this.options.debugAttachTimeoutMs,
        ...(options.onDebugWaiting === undefined ? {} : { onWaiting: options.onDebugWaiting }),
      },
      ...(streaming === undefined ? {} : { streaming }),
    });
    let result: JobResult;
    try {
      result = await runJob(pipeline, {
        jobId,
        // A stream job's record only serves to refuse a run from node (HKube's G8): its tasks are not recorded.
        executeTask: stream ? execution.executeTask : recorder.wrap(execution.executeTask),
        ...(stream ? { streaming: streamRunOptions(this.options.streaming, (edges) => statistics.push(edges)) } : {}),
        ...(rerun === undefined ? {} : { cachedOutputs: rerun.cachedOutputs }),
        signal,
        ...(rootJobId === undefined ? {} : { rootJobId }),
        onProgress: (event) => {
          feed.push(event);
          options.onProgress?.(event);
        },
        ...(options.progressFilter === undefined ? {} : { progressFilter: options.progressFilter }),
      });
    } finally {
      await execution.close();
      await streaming?.close();
    }
    await writeJobResult(storage, result);
    try {
      await recorder.write(result.status);
    } catch (error) {
      this.#settings.logger.warn(`job ${jobId}: its run record could not be written, so it cannot be re-run from a node: ${error instanceof Error ? error.message : String(error)}`);
    }
    return result;
  }
}

/**
 * Creates a local HKube.
 *
 * @example
 * ```ts
 * const emulator = await createEmulator();
 * emulator.registerAlgorithm('double', { start: ({ input: [n] }) => (n as number) * 2 });
 * const result = await emulator.run({
 *   name: 'doubles',
 *   nodes: [{ nodeName: 'double', algorithmName: 'double', input: ['#@flowInput.numbers'] }],
 *   flowInput: { numbers: [1, 2, 3] },
 * });
 * await emulator.close();
 * ```
 */
export async function createEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const settings = { clusterName: options.clusterName ?? 'local', encoding: options.storageEncoding ?? 'msgpack' };
  const chosen = options.storage ?? 'memory';
  const storage = chosen === 'memory' ? createMemoryStorage(settings) : 'kind' in chosen ? createS3Storage(chosen, settings) : await createDirectoryStorage(chosen.dir, settings);
  return new LocalEmulator(storage, options);
}
