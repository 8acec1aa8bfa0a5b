/**
 * The emulator's public API types: its options, a run's options and the {@link Emulator} interface.
 *
 * @module
 */
import type { EncodingName } from '@hkube-ts/protocol';
import type { Logger } from '@hkube-ts/wrapper-node';
import type { JobResult, PipelineDescriptor, ProgressEvent } from '../engine/index.js';
import type { DebugWaiting } from '../debug/debug-backend.js';
import type { S3StorageLocation } from '../storage/emulator-storage.js';
import type { WorkerTimeouts } from '../worker/virtual-worker.js';
import type { EmulatorStreamingOptions } from './streaming-options.js';
import type { TaskEvent } from './job-execution.js';
import type { JobHandle } from './job-handle.js';
import type { AlgorithmOptions, AlgorithmSource } from './registry.js';
import type { StoredPipelineRequest } from './stored-pipelines.js';

/** Options of {@link createEmulator}. */
export interface EmulatorOptions {
  /**
   * Where inputs and outputs live: `'memory'` (default), a directory with HKube's fs layout, or an S3
   * endpoint with HKube's S3 layout (`{ kind: 's3', endpoint, accessKeyId, secretAccessKey, region? }`;
   * buckets are created as needed); both are kept after the emulator closes. Algorithm processes get
   * the same storage (`DEFAULT_STORAGE=fs` or `s3` and its variables). Jobs with an algorithm process
   * in memory mode use a temporary directory, removed on close.
   */
  readonly storage?: 'memory' | { readonly dir: string } | S3StorageLocation;
  /** `CLUSTER_NAME`: storage paths start with `<clusterName>-hkube` (default `local`). */
  readonly clusterName?: string;
  /** `STORAGE_ENCODING` (default `msgpack`). */
  readonly storageEncoding?: EncodingName;
  /** Base of relative module paths and command directories (default `process.cwd()`). */
  readonly baseDir?: string;
  /** Default most in-process workers per algorithm and job (default 64). */
  readonly maxInProcessWorkers?: number;
  /** Default most processes per algorithm and job (default 4). */
  readonly maxProcessWorkers?: number;
  /** Default time a process has to connect to its worker (default 30 000 ms). */
  readonly processConnectTimeoutMs?: number;
  /**
   * Algorithm processes serve their outputs to their children over ZeroMQ on 127.0.0.1, as pods do
   * (`DISCOVERY_ENABLE=true`, a free `DISCOVERY_PORT` each); children read them peer-first, storage
   * second. `false` turns the data servers off: everything goes through storage (default true).
   */
  readonly peerData?: boolean;
  /**
   * Data sources for `api.getDataSource`: a directory holding one directory per data source (or
   * snapshot) id, whose files are listed with absolute paths (relative to `baseDir`).
   */
  readonly dataSourcesDir?: string;
  /** Worker timers (stop answer 10 s, alive gap 10 s, exit grace 5 s, …). */
  readonly timeouts?: Partial<WorkerTimeouts>;
  /** The emulator's diagnostics (default: warnings and errors on stderr). */
  readonly logger?: Logger;
  /** The diagnostics of in-process wrappers (default: silent). */
  readonly wrapperLogger?: Logger;
  /** Receives what algorithm processes write (default: kept only for error messages). */
  readonly onProcessOutput?: (algorithmName: string, stream: 'stdout' | 'stderr', text: string) => void;
  /** The port of the debug endpoint where debuggers of debug nodes attach (default 0: a free port). */
  readonly debugPort?: number;
  /**
   * How long a debug node's task waits for a debugger before it fails with a
   * `DebuggerAttachTimeoutError` (default: indefinitely).
   */
  readonly debugAttachTimeoutMs?: number;
  /** Stream jobs: statistics interval, autoscaler pace, stateful restarts. */
  readonly streaming?: EmulatorStreamingOptions;
}

/** Options of one run. */
export interface RunPipelineOptions {
  /** The job id (default `<pipeline name>-<8 random characters>`). */
  readonly jobId?: string;
  /** Replaces the descriptor's flowInput (before validation). */
  readonly flowInput?: unknown;
  /** Aborting it stops the job (a string reason becomes the job's `reason`). */
  readonly signal?: AbortSignal;
  /** Receives progress events as they happen. */
  readonly onProgress?: (event: ProgressEvent) => void;
  /** `verbosity` (default) filters progress by the pipeline's `progressVerbosityLevel`; `none` passes every event. */
  readonly progressFilter?: 'verbosity' | 'none';
  /** Receives a task event when a task starts and when it ends. */
  readonly onTaskEvent?: (event: TaskEvent) => void;
  /** Called when a debug node (`kind: 'debug'` or in `options.debugOverride`) waits for a debugger to attach. */
  readonly onDebugWaiting?: (waiting: DebugWaiting) => void;
}

/** Which earlier job to re-run, and from which node (HKube's `POST /exec/caching`). */
export interface RunFromNodeRequest {
  /** A job run earlier with this emulator's storage (kept across emulators with `storage: { dir }`). */
  readonly jobId: string;
  /** The node that runs again, with all its descendants. */
  readonly nodeName: string;
}

/** Options of a run from node: those of a run, except the flowInput (the earlier job's is used). */
export type RunFromNodeOptions = Omit<RunPipelineOptions, 'flowInput'>;

/** A pipeline to run: a descriptor (the body of HKube's `/exec/raw`) or a stored pipeline with overrides. */
export type PipelineToRun = PipelineDescriptor | Readonly<Record<string, unknown>> | StoredPipelineRequest;

/** A local HKube. Create it with {@link createEmulator}; `close()` it when done. */
export interface Emulator {
  /** The storage directory when storage is on disk (`undefined` in memory mode). */
  readonly storageDirectory: string | undefined;
  /**
   * Registers (or replaces) an algorithm: an object with `start`, `{ path }` to a module run in-process,
   * or `{ command, cwd?, env? }` run as a process.
   *
   * @throws {InvalidAlgorithmSourceError} for a bad source (or a module file that does not exist).
   * @throws {InvalidAlgorithmError} (from `@hkube-ts/wrapper-node`) for an object without `start`.
   */
  registerAlgorithm(name: string, source: AlgorithmSource, options?: AlgorithmOptions): void;
  /**
   * Stores a pipeline under its `name`, for `runPipeline({ stored: name })`.
   *
   * @throws {PipelineValidationError} for an invalid descriptor.
   */
  storePipeline(descriptor: PipelineDescriptor | Readonly<Record<string, unknown>>): void;
  /**
   * Validates and starts a job (batch or stream). Throws synchronously when it cannot start:
   * {@link PipelineValidationError} (HKube's message), {@link UnknownAlgorithmError},
   * {@link StoredPipelineNotFoundError}, {@link EmulatorClosedError}.
   */
  runPipeline(pipeline: PipelineToRun, options?: RunPipelineOptions): JobHandle;
  /**
   * Re-runs a node of an earlier job and all its descendants (HKube's caching, pipeline-semantics
   * §5.3): the other nodes do not run, their children read their outputs from the earlier job's
   * storage; nodes inside the subtree read the fresh outputs. The new job uses the earlier job's
   * descriptor and flowInput, is named `<pipeline>-<nodeName>`, and has the earlier job's root as
   * `rootJobId`; its result lists the subtree's result nodes only.
   *
   * @throws {CachedJobNotFoundError} (as a rejection) when no job `jobId` was recorded in this storage.
   * @throws {RunFromNodeNotAllowedError} for a stream pipeline, a `*@` relation or an unknown node.
   * @throws {CachedOutputMissingError} when a needed output of the earlier job cannot be read.
   * Otherwise the errors of {@link Emulator.runPipeline}.
   */
  runFromNode(request: RunFromNodeRequest, options?: RunFromNodeOptions): Promise<JobHandle>;
  /** Runs a job to its end: `runPipeline(...).result`, with the same errors as rejections. */
  run(pipeline: PipelineToRun, options?: RunPipelineOptions): Promise<JobResult>;
  /**
   * Where a debugger of `algorithmName` attaches: `ws://127.0.0.1:<port>/hkube/debug/<algorithmName>`
   * (starts the debug endpoint if needed). Give it to the wrapper's `debug()`.
   */
  debugUrl(algorithmName: string): Promise<string>;
  /** Stops running jobs, ends every worker and process, and releases storage. Idempotent. */
  close(): Promise<void>;
}

