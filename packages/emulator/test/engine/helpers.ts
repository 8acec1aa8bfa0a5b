import { expect } from 'vitest';
import {
  runJob,
  validatePipeline,
  type ExecuteTask,
  type JobResult,
  type NormalisedPipeline,
  type RunJobOptions,
  type TaskOutcome,
  type TaskRequest,
} from '../../src/engine/index.js';

/** HKube's `eval-alg` without code: returns its input. */
export const echo: ExecuteTask = (task) => Promise.resolve({ status: 'succeed', result: task.input });

/** An executor from a function of the task; a thrown error becomes a failed outcome. */
export function algorithm(run: (task: TaskRequest, signal: AbortSignal) => unknown): ExecuteTask {
  return async (task, signal): Promise<TaskOutcome> => {
    try {
      return { status: 'succeed', result: await run(task, signal) };
    } catch (thrown) {
      return { status: 'failed', error: thrown instanceof Error ? thrown.message : String(thrown) };
    }
  };
}

/** Executors per algorithm name, echo for the others. */
export function byAlgorithm(executors: Record<string, ExecuteTask>): ExecuteTask {
  return (task, signal) => (executors[task.algorithmName ?? ''] ?? echo)(task, signal);
}

/** Validates a descriptor and fails the test when it is invalid. */
export function valid(descriptor: unknown): NormalisedPipeline {
  const checked = validatePipeline(descriptor);
  if (!checked.ok) expect.fail(`unexpected validation error: ${checked.error.message}`);
  return checked.pipeline;
}

/** The validation error message of a descriptor. */
export function invalid(descriptor: unknown): string {
  const checked = validatePipeline(descriptor);
  if (checked.ok) expect.fail('the descriptor was accepted');
  return checked.error.message;
}

/** Validates and runs a descriptor. */
export function run(descriptor: unknown, options: Partial<RunJobOptions> = {}): Promise<JobResult> {
  return runJob(valid(descriptor), { jobId: 'job', executeTask: echo, ...options });
}

/** Runs a descriptor and returns the data of the completed job. */
export async function runData(descriptor: unknown, options: Partial<RunJobOptions> = {}): Promise<readonly Record<string, unknown>[]> {
  const result = await run(descriptor, options);
  if (result.status !== 'completed') expect.fail(`job ${result.status}: ${result.status === 'failed' ? result.error : result.reason}`);
  return result.data as unknown as readonly Record<string, unknown>[];
}

/** A node with `algorithmName: 'echo'`. */
export function node(nodeName: string, input: unknown[] = [], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { nodeName, algorithmName: 'echo', input, ...extra };
}

/** A promise that resolves after `ms` milliseconds, or rejects when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new Error('aborted'));
    });
  });
}
