/** Runs async jobs with at most a fixed number in flight. */
export interface Limiter {
  /**
   * Runs `job` when a slot is free (FIFO). A job whose `signal` has aborted by the time its slot
   * comes is not started and rejects with the abort reason.
   */
  run<T>(job: () => Promise<T>, signal?: AbortSignal): Promise<T>;
}

/**
 * A FIFO concurrency limiter.
 *
 * @param concurrency - jobs in flight at most; values below 1 (or `NaN`) mean 1, `Infinity` means no limit.
 */
export function createLimiter(concurrency: number): Limiter {
  const limit = concurrency >= 1 ? Math.floor(concurrency) : 1;
  let active = 0;
  const waiting: (() => void)[] = [];

  // A finishing job hands its slot straight to the next waiter, so `active` never exceeds `limit`.
  const release = (): void => {
    const next = waiting.shift();
    if (next === undefined) active--;
    else next();
  };

  return {
    async run<T>(job: () => Promise<T>, signal?: AbortSignal): Promise<T> {
      if (active < limit) active++;
      else await new Promise<void>((resolve) => waiting.push(resolve));
      try {
        signal?.throwIfAborted();
        return await job();
      } finally {
        release();
      }
    },
  };
}
