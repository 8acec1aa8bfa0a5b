/**
 * Abort signals and timeouts of Code API requests.
 *
 * @internal
 * @module
 */

/** The longest delay `setTimeout` honours (larger values fire at once). */
const MAX_TIMEOUT_MS = 2_147_483_647;

/** How a request may be cut short by its caller. */
export interface CancellationOptions {
  /** Stops the request when aborted. */
  readonly signal?: AbortSignal | undefined;
  /** Fails the request when it has not settled after this many milliseconds. */
  readonly timeoutMs?: number | undefined;
}

/** Throws `RangeError` unless `timeoutMs` is absent or a positive number a timer can wait for. */
export function checkTimeout(timeoutMs: number | undefined): void {
  if (timeoutMs === undefined) return;
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0 || timeoutMs > MAX_TIMEOUT_MS) {
    throw new RangeError(`timeoutMs must be a positive number of milliseconds up to ${MAX_TIMEOUT_MS} (got ${String(timeoutMs)})`);
  }
}

/**
 * Calls `onAbort` when `signal` aborts and `onTimeout` when `timeoutMs` elapses, whichever comes first
 * (at most one of them, once). Returns a function that disarms both. The caller must check
 * `signal.aborted` itself before arming.
 */
export function watchCancellation(
  options: CancellationOptions,
  handlers: { onAbort(reason: unknown): void; onTimeout(timeoutMs: number): void },
): () => void {
  const { signal, timeoutMs } = options;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const dispose = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    signal?.removeEventListener('abort', onAbort);
  };
  const onAbort = (): void => {
    dispose();
    handlers.onAbort(signal?.reason);
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  if (timeoutMs !== undefined) {
    timer = setTimeout(() => {
      dispose();
      handlers.onTimeout(timeoutMs);
    }, timeoutMs);
  }
  return dispose;
}

/** A readable reason for an abort: the reason's message, the reason itself when it is a string, else `aborted`. */
export function abortReasonText(reason: unknown): string {
  if (typeof reason === 'string' && reason !== '') return reason;
  if (reason instanceof Error && reason.message !== '') return reason.message;
  return 'aborted';
}
