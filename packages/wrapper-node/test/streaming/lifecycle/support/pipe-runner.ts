import { createSocketCodec } from '@hkube-ts/protocol';
import { createMemoryPipe, run, silentLogger, type Algorithm, type RunOptions, type ServeOutcome } from '../../../../src/index.js';
import { PipeWorker } from './pipe-worker.js';

/** A `run()` in this process, driven by a scripted worker over an in-memory pipe. */
export interface PipeRun {
  readonly worker: PipeWorker;
  readonly serving: Promise<ServeOutcome>;
  /** Ends `run()` (as the process signal would). */
  readonly abort: AbortController;
}

/**
 * Starts `run(algorithm)` over a memory pipe with msgpack frames, a silent logger and no process exit;
 * `options` adds to (or overrides) those.
 */
export function runOnPipe(algorithm: Algorithm, options: Omit<RunOptions, 'transport' | 'signal'>): PipeRun {
  const { transport, peer } = createMemoryPipe();
  const abort = new AbortController();
  const serving = run(algorithm, { transport, exitProcess: false, logger: silentLogger, signal: abort.signal, ...options });
  return { worker: new PipeWorker(peer, createSocketCodec('msgpack')), serving, abort };
}
