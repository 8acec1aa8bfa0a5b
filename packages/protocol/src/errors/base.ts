const brand = Symbol.for('@hkube-ts/error');

/** Options shared by every hkube-ts error: the underlying cause, if any. */
export interface HkubeErrorOptions {
  /** The error (or thrown value) that led to this one. */
  readonly cause?: unknown;
}

/**
 * Base class of every error thrown or returned by hkube-ts packages.
 *
 * Each subclass stands for one failure and carries a stable, machine-readable {@link HkubeError.code}
 * plus the ids involved. `instanceof` works across duplicated copies of the package (it checks a
 * registered symbol, not the prototype chain alone).
 *
 * @example
 * ```ts
 * if (HkubeError.is(err) && err.code === 'UNKNOWN_COMMAND') console.warn(err.message);
 * ```
 */
export abstract class HkubeError extends Error {
  /** A stable identifier of the failure, e.g. `INVALID_MESSAGE`. */
  abstract readonly code: string;

  constructor(message: string, options: HkubeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    Object.defineProperty(this, brand, { value: true });
  }

  /** True when `value` is an hkube-ts error from any copy of this package. */
  static is(value: unknown): value is HkubeError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this === HkubeError) return HkubeError.is(value);
    return Function.prototype[Symbol.hasInstance].call(this, value);
  }
}

/**
 * Turns any thrown value into an `Error`, keeping real errors as they are.
 *
 * @example
 * ```ts
 * try { await userCode(); } catch (thrown) { report(ensureError(thrown)); }
 * ```
 */
export function ensureError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  if (typeof thrown === 'string') return new Error(thrown);
  if (typeof thrown === 'object' && thrown !== null && typeof (thrown as { message?: unknown }).message === 'string') {
    const error = new Error((thrown as { message: string }).message);
    return Object.assign(error, { cause: thrown });
  }
  let text: string;
  try {
    text = JSON.stringify(thrown) ?? String(thrown);
  } catch {
    text = String(thrown);
  }
  return new Error(`non-Error value thrown: ${text}`, { cause: thrown });
}
