/** The job-level time limits shared by batch and stream jobs: `options.ttl` and `options.activeTtl`. */
import type { NormalisedPipeline } from './descriptor.js';

/** The longest delay `setTimeout` honours (about 24.8 days); longer limits are not enforced. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** Why a job ends when no reason is given: HKube's `stopped due to request`. */
export const DEFAULT_STOP_REASON = 'stopped due to request';

/**
 * Arms the job's `ttl` (`pipeline expired`) and `activeTtl` (`pipeline active TTL expired`) timers,
 * unless `enforce` is false; clear the returned timers when the job ends.
 */
export function startJobTimers(pipeline: NormalisedPipeline, enforce: boolean | undefined, stop: (reason: string) => void): ReturnType<typeof setTimeout>[] {
  if (enforce === false) return [];
  const limits: [number | undefined, string][] = [
    [pipeline.options.ttl, 'pipeline expired'],
    [pipeline.options.activeTtl, 'pipeline active TTL expired'],
  ];
  const timers: ReturnType<typeof setTimeout>[] = [];
  for (const [seconds, reason] of limits) {
    if (seconds === undefined || seconds <= 0 || seconds * 1000 > MAX_TIMER_MS) continue;
    timers.push(setTimeout(() => stop(reason), seconds * 1000));
  }
  return timers;
}

/** The `reason` of a stopped job: the signal's string reason, or the default. */
export function stopReason(reason: unknown): string {
  return typeof reason === 'string' && reason !== '' ? reason : DEFAULT_STOP_REASON;
}
