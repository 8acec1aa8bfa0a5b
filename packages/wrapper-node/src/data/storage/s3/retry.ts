import { isTransient } from './failures.js';

/** How the S3 adapter retries transient failures. */
export interface RetryPolicy {
  /** Attempts after the first one (default 4). `0` disables retries. */
  readonly retries: number;
  /** The first back-off delay in ms (default 100); each retry doubles it. */
  readonly baseDelayMs: number;
  /** The longest back-off delay in ms (default 5 000). */
  readonly maxDelayMs: number;
}

/** The default {@link RetryPolicy}: 4 retries, 100 ms doubling up to 5 s, with full jitter. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({ retries: 4, baseDelayMs: 100, maxDelayMs: 5000 });

/** Waits `ms`, rejecting with `signal.reason` as soon as `signal` fires. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `attempt` until it succeeds, fails with an error that is not transient ({@link isTransient}),
 * or has failed `policy.retries + 1` times; between attempts waits an exponential back-off with full
 * jitter (so that many wrappers hitting a throttled store do not retry in lock-step). An aborted
 * `signal` ends the wait and rejects with its reason.
 */
export async function withRetries<T>(attempt: () => Promise<T>, policy: RetryPolicy, signal: AbortSignal | undefined): Promise<T> {
  for (let failures = 0; ; failures += 1) {
    signal?.throwIfAborted();
    try {
      return await attempt();
    } catch (error) {
      if (signal?.aborted === true || failures >= policy.retries || !isTransient(error)) throw error;
    }
    const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** failures);
    await pause(Math.random() * ceiling, signal);
  }
}
