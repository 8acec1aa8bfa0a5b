/** Polls `condition` until it holds (a failure after `timeoutMs` names `what`). */
export async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Resolves after `ms`: gives the wrapper room to send something it must not send. */
export const sleep = (ms: number): Promise<void> => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Resolves when `signal` aborts: a stateful algorithm that keeps streaming until it is stopped. */
export const untilAborted = (signal: AbortSignal): Promise<void> =>
  new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
