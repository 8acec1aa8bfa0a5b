/**
 * Runs a `hyperparamsTuner` node (pipeline-semantics §5.2): for each trial it samples params, runs the
 * stored objective pipeline as a sub-pipeline with `flowInput.hyperParams = params` (deep-merged over
 * the stored flowInput), reads the objective from the first result, minimises it, and returns the best
 * params. Trials run one after another.
 */
import type { Logger } from '@hkube-ts/wrapper-node';
import { errorMessage } from '../../engine/task-request.js';
import type { TaskOutcome, TaskRequest } from '../../engine/task.js';
import type { StartedSubPipeline, SubPipelineSpec } from '../../services/subpipelines.js';
import { TunerObjectiveError } from './errors.js';
import { createSampler, type TrialParams } from './samplers.js';
import { parseTunerSpec } from './spec.js';

/** Starts a sub-pipeline job for a task of a job (the executor's `launchSubPipeline`). */
export type TunerLauncher = (spec: SubPipelineSpec, parent: { readonly jobId: string; readonly rootJobId: string }, signal: AbortSignal) => StartedSubPipeline;

/** What {@link runTuner} needs. */
export interface RunTunerOptions {
  /** The tuner node's task. */
  readonly task: TaskRequest;
  /** Aborts the trial that runs (its objective job is stopped). */
  readonly signal: AbortSignal;
  /** Called once the tuner starts (the task becomes active). */
  readonly onStart: () => void;
  /** Starts the objective pipelines; without it the node fails. */
  readonly launchSubPipeline: TunerLauncher | undefined;
  /** The first job of the chain (the objective jobs' `rootJobId`). */
  readonly rootJobId: string;
  /** Where to warn about samplers the emulator replaces. */
  readonly logger?: Logger;
}

/** Runs a tuner task to its outcome: the best params, or the error that ended it. Never throws. */
export async function runTuner(options: RunTunerOptions): Promise<TaskOutcome> {
  const { task, signal, launchSubPipeline } = options;
  options.onStart();
  try {
    const spec = parseTunerSpec(task.nodeName, task.spec);
    if (launchSubPipeline === undefined) throw new TunerObjectiveError(spec.objectivePipeline, 'sub-pipelines are not available to this job');
    const { sampler } = spec;
    if (sampler.name === 'Random' && sampler.requested !== 'Random') {
      options.logger?.warn(`tuner node "${task.nodeName}": sampler ${sampler.requested ?? '(default TPE)'} is emulated with random sampling`);
    }
    const next = createSampler(sampler, spec.hyperParams);
    const launch = (pipeline: SubPipelineSpec, abort: AbortSignal): StartedSubPipeline => launchSubPipeline(pipeline, { jobId: task.jobId, rootJobId: options.rootJobId }, abort);
    let best: { readonly value: number; readonly params: TrialParams } | undefined;
    for (let trial = 0; trial < spec.numberOfTrials && !signal.aborted; trial++) {
      const params = next();
      if (params === undefined) break;
      const value = await runObjective(spec.objectivePipeline, params, launch, signal);
      if (best === undefined || value < best.value) best = { value, params };
    }
    if (best === undefined) return { status: 'failed', error: 'the tuner was stopped before any trial completed' };
    return { status: 'succeed', result: best.params };
  } catch (error) {
    return { status: 'failed', error: errorMessage(error) };
  }
}

/**
 * Runs one trial's objective pipeline and reads its objective value: `data[0].result`, or its first
 * element when it is a list (Optuna needs a number).
 *
 * @throws {TunerObjectiveError} when the job fails, stops, has no result or a non-numeric one; or the
 * launcher's error when the job cannot start (an unknown stored pipeline, a validation error).
 */
async function runObjective(name: string, params: TrialParams, launch: (pipeline: SubPipelineSpec, abort: AbortSignal) => StartedSubPipeline, signal: AbortSignal): Promise<number> {
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const result = await launch({ kind: 'stored', name, flowInput: { hyperParams: params } }, controller.signal).result;
    if (result.status === 'failed') throw new TunerObjectiveError(name, result.error || 'subpipeline job failed');
    if (result.status === 'stopped') throw new TunerObjectiveError(name, `objective pipeline ${name} was stopped: ${result.reason}`);
    const first = result.data[0];
    if (first === undefined) throw new TunerObjectiveError(name, 'objective pipeline has no result');
    const raw = Array.isArray(first.result) ? (first.result as unknown[])[0] : first.result;
    const value = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
    if (Number.isNaN(value)) throw new TunerObjectiveError(name, `objective pipeline ${name} returned ${JSON.stringify(raw) ?? String(raw)}, not a number`);
    return value;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
