/**
 * Reading one variable: blank counts as unset, and a present but unusable value is an
 * `InvalidEnvironmentError`. Internal to the env readers (not exported by the package).
 *
 * @module
 */

import { InvalidEnvironmentError } from '../errors/index.js';
import { ENV, type EnvName, type EnvSource } from './names.js';

/** The trimmed value, or `undefined` when unset or blank (`FOO=` in a shell means "not set" here). */
export function read(env: EnvSource, name: EnvName): string | undefined {
  const value = env[ENV[name]];
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

export function readChoice<T extends string>(env: EnvSource, name: EnvName, allowed: readonly T[], fallback: T): T {
  const value = read(env, name);
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw new InvalidEnvironmentError(ENV[name], value, `one of ${allowed.join(', ')}`);
  return value as T;
}

export function readPort(env: EnvSource, name: EnvName, fallback: number): number {
  const value = read(env, name);
  if (value === undefined) return fallback;
  const port = /^\d{1,5}$/.test(value) ? Number(value) : Number.NaN;
  if (!(port >= 1 && port <= 65535)) throw new InvalidEnvironmentError(ENV[name], value, 'a port number 1-65535');
  return port;
}

export function readPositive(env: EnvSource, name: EnvName, fallback: number, integer: boolean): number {
  const value = read(env, name);
  if (value === undefined) return fallback;
  const number = Number(value);
  const valid = Number.isFinite(number) && number > 0 && (!integer || Number.isSafeInteger(number));
  if (!valid) throw new InvalidEnvironmentError(ENV[name], value, integer ? 'a positive integer' : 'a positive number');
  return number;
}

const TRUE_WORDS: readonly string[] = ['true', '1', 'yes', 'on'];
const FALSE_WORDS: readonly string[] = ['false', '0', 'no', 'off'];

export function readBoolean(env: EnvSource, name: EnvName, fallback: boolean): boolean {
  const value = read(env, name);
  if (value === undefined) return fallback;
  const word = value.toLowerCase();
  if (TRUE_WORDS.includes(word)) return true;
  if (FALSE_WORDS.includes(word)) return false;
  throw new InvalidEnvironmentError(ENV[name], value, 'true or false');
}
