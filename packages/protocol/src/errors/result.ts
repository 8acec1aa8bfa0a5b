import type { ProtocolError } from './protocol-errors.js';

/**
 * The outcome of a decoder: a value or a typed error, never an exception.
 *
 * @example
 * ```ts
 * const read = codec.readWorkerMessage(frame);
 * if (!read.ok) return log(read.error.message);
 * handle(read.value);
 * ```
 */
export type DecodeResult<T, E extends ProtocolError = ProtocolError> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: E };

/** Wraps a value as a successful {@link DecodeResult}. */
export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

/** Wraps an error as a failed {@link DecodeResult}. */
export function fail<E extends ProtocolError>(error: E): { readonly ok: false; readonly error: E } {
  return { ok: false, error };
}
