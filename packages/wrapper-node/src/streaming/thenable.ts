/**
 * The promise test of the streaming hot path: a handler that finished synchronously returns no
 * promise, and then the message costs no promise, no microtask and no async-hook call.
 *
 * @module
 */

/** Whether `value` is a promise or another thenable (what `await` would wait for). */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
