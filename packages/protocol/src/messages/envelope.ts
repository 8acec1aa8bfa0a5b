/**
 * The common part of both message parsers: the envelope check and the guarantee that nothing is
 * ever thrown to the caller.
 *
 * @internal
 * @module
 */

import { fail, InvalidMessageError, ok, UnknownCommandError, type DecodeResult } from '../errors/index.js';
import { isPlainObject, kindOf, ShapeViolation, type Fields } from './shape.js';

/**
 * Checks that `value` is a plain object with a string `command` known to `isKnown`, then runs
 * `decode` on a shallow copy of it. `ShapeViolation`s become `InvalidMessageError`s naming the
 * path; anything else thrown while reading (getters, proxies) becomes an `InvalidMessageError` with
 * the thrown value as `cause`.
 */
export function parseEnvelope<C extends string, M>(
  value: unknown,
  isKnown: (name: string) => name is C,
  decode: (command: C, message: Fields) => M,
): DecodeResult<M> {
  let command: string | undefined;
  try {
    if (!isPlainObject(value)) {
      return fail(new InvalidMessageError(undefined, '', `must be an object with a string 'command' (got ${kindOf(value)})`));
    }
    // One read of every field: what is checked below is exactly what is returned.
    const message: Fields = { ...value };
    const name = message.command;
    if (typeof name !== 'string') {
      return fail(new InvalidMessageError(undefined, 'command', `must be a string (got ${kindOf(name)})`));
    }
    command = name;
    if (!isKnown(name)) return fail(new UnknownCommandError(name));
    return ok(decode(name, message));
  } catch (thrown) {
    return fail(toInvalidMessage(command, thrown));
  }
}

function toInvalidMessage(command: string | undefined, thrown: unknown): InvalidMessageError {
  try {
    if (thrown instanceof ShapeViolation) return new InvalidMessageError(command, thrown.path, thrown.problem);
  } catch {
    // `thrown` is an exotic object (e.g. a proxy whose traps throw); report it as unreadable below.
  }
  return new InvalidMessageError(command, '', 'cannot be read (accessing it threw)', { cause: thrown });
}
