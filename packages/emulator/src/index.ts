/**
 * `@hkube-ts/emulator`: a local HKube. Run whole pipelines on your machine, offline, through virtual
 * workers that speak HKube's worker protocol to the real wrapper: in-process for JavaScript modules and
 * algorithm objects, or as external processes (any language's wrapper) over a WebSocket.
 *
 * - {@link createEmulator}: the programmatic API for tests and scripts;
 * - the `hkube-ts` CLI: `hkube-ts run pipeline.json --algorithms algorithms.json`;
 * - the pure pipeline engine ({@link validatePipeline}, {@link runJob}) underneath.
 *
 * @packageDocumentation
 */
export * from './engine/index.js';
export * from './errors.js';
export { createEmulatorLogger } from './logger.js';
export {
  createEmulator,
  type Emulator,
  type EmulatorOptions,
  type PipelineToRun,
  type RunFromNodeOptions,
  type RunFromNodeRequest,
  type RunPipelineOptions,
} from './api/emulator.js';
export type { JobHandle } from './api/job-handle.js';
export type { EmulatorStreamingOptions } from './api/streaming-options.js';
export type { TaskEvent } from './api/job-execution.js';
export type { DebugWaiting } from './debug/debug-backend.js';
export type { AlgorithmOptions, AlgorithmSource, CommandAlgorithmSource, ModuleAlgorithmSource } from './api/registry.js';
export type { StoredPipelineRequest } from './api/stored-pipelines.js';
export type { S3StorageLocation } from './storage/emulator-storage.js';
export { CodeApiRequestRefusedError, type CodeApiRefusal } from './services/errors.js';
export { DEFAULT_WORKER_TIMEOUTS, type WorkerTimeouts } from './worker/virtual-worker.js';
export { TunerObjectiveError, TunerSpecError } from './nodes/tuner/errors.js';
export { CachedJobNotFoundError, CachedOutputMissingError, RunFromNodeNotAllowedError } from './nodes/caching/errors.js';
export { jobRecordPath, type JobRecord, type TaskOutputRecord } from './nodes/caching/job-record.js';
