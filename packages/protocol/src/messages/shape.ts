/**
 * Internal shape-checking helpers for the message validators. Not part of the public API.
 *
 * Every `require*` / `optional*` helper either returns the (narrowed) value or throws a
 * {@link ShapeViolation}; the public `parse*Message` functions catch it and turn it into an
 * `InvalidMessageError`, so nothing here ever escapes to callers. Throwing keeps the validators
 * short; it only costs anything on the failure path.
 *
 * "Optional" always means: `undefined` and `null` are both "absent" (the codecs disagree on which
 * one a missing value becomes, see spec §2.3).
 *
 * @internal
 * @module
 */

/** A decoded object whose fields we read. */
export type Fields = Readonly<Record<string, unknown>>;

/** Thrown by the helpers below; carries the dot-path of the field and what is wrong with it. @internal */
export class ShapeViolation extends Error {
  override readonly name = 'ShapeViolation';

  constructor(
    /** Dot-path of the offending field, `''` for the message itself. */
    readonly path: string,
    /** What is wrong, phrased to follow the path (`must be a string (got number)`). */
    readonly problem: string,
  ) {
    super(`${path} ${problem}`);
  }
}

/** Joins a parent dot-path and a key: `join('data', 'execId')` → `data.execId`, `join('', 'data')` → `data`. */
export function join(path: string, key: string | number): string {
  return path === '' ? String(key) : `${path}.${key}`;
}

/** A short description of a value's type for error texts (`missing`, `null`, `array`, `number`, …). */
export function kindOf(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && Number.isNaN(value)) return 'NaN';
  if (typeof value === 'object' && !isPlainObject(value)) return 'non-plain object';
  return typeof value;
}

/** Throws a {@link ShapeViolation} saying the value at `path` must be `expected`. */
export function violation(path: string, expected: string, value: unknown): never {
  throw new ShapeViolation(path, `must be ${expected} (got ${kindOf(value)})`);
}

/** `undefined` or `null`: both mean "absent" on the wire. */
export function isAbsent(value: unknown): value is null | undefined {
  return value === undefined || value === null;
}

/**
 * True for objects made by `{}`, `Object.create(null)` or a decoder (also across realms); false for
 * arrays, class instances, `Map`, `Date`, buffers and every primitive.
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || proto === Object.prototype || Object.getPrototypeOf(proto) === null;
}

/** The value as a plain object, or a violation. */
export function requireObject(value: unknown, path: string): Fields {
  if (!isPlainObject(value)) violation(path, 'an object', value);
  return value;
}

/** The value as a plain object, `undefined` when absent, or a violation. */
export function optionalObject(value: unknown, path: string): Fields | undefined {
  return isAbsent(value) ? undefined : requireObject(value, path);
}

/** The value as an array, or a violation. */
export function requireArray(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) violation(path, 'an array', value);
  return value as unknown[];
}

/** The value as an array, `undefined` when absent, or a violation. */
export function optionalArray(value: unknown, path: string): unknown[] | undefined {
  return isAbsent(value) ? undefined : requireArray(value, path);
}

/** The value as a string (possibly empty), or a violation. */
export function requireString(value: unknown, path: string): string {
  if (typeof value !== 'string') violation(path, 'a string', value);
  return value;
}

/** The value as a string, `undefined` when absent, or a violation. */
export function optionalString(value: unknown, path: string): string | undefined {
  return isAbsent(value) ? undefined : requireString(value, path);
}

/** The value as a non-empty string (ids, names), or a violation. */
export function requireId(value: unknown, path: string): string {
  if (typeof value !== 'string' || value === '') violation(path, 'a non-empty string', value);
  return value;
}

/** The value as a non-empty string, `undefined` when absent, or a violation. */
export function optionalId(value: unknown, path: string): string | undefined {
  return isAbsent(value) ? undefined : requireId(value, path);
}

/** The value as a number other than `NaN`, or a violation. */
export function requireNumber(value: unknown, path: string): number {
  if (typeof value !== 'number' || Number.isNaN(value)) violation(path, 'a number', value);
  return value;
}

/** The value as a number, `undefined` when absent, or a violation. */
export function optionalNumber(value: unknown, path: string): number | undefined {
  return isAbsent(value) ? undefined : requireNumber(value, path);
}

/** The value as a boolean, or a violation. */
export function requireBoolean(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') violation(path, 'a boolean', value);
  return value;
}

/** The value as a boolean, `undefined` when absent, or a violation. */
export function optionalBoolean(value: unknown, path: string): boolean | undefined {
  return isAbsent(value) ? undefined : requireBoolean(value, path);
}

/** The value if it is one of `allowed`, or a violation listing them. */
export function requireOneOf<T extends string>(value: unknown, allowed: readonly T[], path: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    violation(path, `one of ${allowed.map((name) => `'${name}'`).join(', ')}`, value);
  }
  return value as T;
}

/** Like {@link requireOneOf}, `undefined` when absent. */
export function optionalOneOf<T extends string>(value: unknown, allowed: readonly T[], path: string): T | undefined {
  return isAbsent(value) ? undefined : requireOneOf(value, allowed, path);
}

/** The value as a string or a number other than `NaN` (ids chosen by the other side), or a violation. */
export function requireStringOrNumber(value: unknown, path: string): string | number {
  if (typeof value === 'string' || (typeof value === 'number' && !Number.isNaN(value))) return value;
  return violation(path, 'a string or a number', value);
}

/** The value as an array of strings, or a violation naming the first bad element (`data.2`). */
export function requireStringArray(value: unknown, path: string): string[] {
  const items = requireArray(value, path);
  for (let i = 0; i < items.length; i++) {
    if (typeof items[i] !== 'string') violation(join(path, i), 'a string', items[i]);
  }
  return items as string[];
}

/** Like {@link requireStringArray}, `undefined` when absent. */
export function optionalStringArray(value: unknown, path: string): string[] | undefined {
  return isAbsent(value) ? undefined : requireStringArray(value, path);
}

/** The value as an array of numbers, or a violation naming the first bad element. */
export function requireNumberArray(value: unknown, path: string): number[] {
  const items = requireArray(value, path);
  for (let i = 0; i < items.length; i++) requireNumber(items[i], join(path, i));
  return items as number[];
}

/**
 * Maps every element of an array with its dot-path (`data.0`, `data.1`, …). Unlike `Array.prototype.map`
 * it also visits holes of sparse arrays (as `undefined`), so no element escapes the check.
 */
export function mapArray<T>(items: readonly unknown[], path: string, read: (item: unknown, path: string) => T): T[] {
  const result: T[] = new Array<T>(items.length);
  for (let i = 0; i < items.length; i++) result[i] = read(items[i], join(path, i));
  return result;
}

/**
 * A TCP port: an integer 0–65535, or the same as a decimal string (ports taken from environment
 * variables travel as strings, spec §7.1 and §8.2 #26). Always returned as a number.
 */
export function requirePort(value: unknown, path: string): number {
  const port = typeof value === 'string' && /^\d{1,5}$/.test(value) ? Number(value) : value;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) {
    violation(path, 'a port number (0-65535)', value);
  }
  return port;
}

/**
 * A shallow copy of `source` without the listed keys whose value is `null`, so documented optional
 * fields that arrived as `null` read as absent (their types say `T | undefined`). Other keys, known or
 * not, are kept as they are.
 */
export function copyWithoutNulls(source: Fields, keys: readonly string[]): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...source };
  // One pass over the copy's own keys (fast with V8's enum cache); the list is searched only for nulls.
  for (const key in copy) {
    if (copy[key] === null && keys.includes(key)) delete copy[key];
  }
  return copy;
}

const PRIMITIVE_READERS = { string: optionalString, number: optionalNumber, boolean: optionalBoolean } as const;

/**
 * Checks that a field's `value` is absent or of the primitive `type` (a number other than `NaN`).
 * Its dot-path `path.key` is joined only to report a violation: checking a valid message builds no
 * strings. Callers pass `fields.name` (a named load V8 keeps fast), not `fields[key]` in a loop.
 */
export function optionalPrimitive(value: unknown, type: keyof typeof PRIMITIVE_READERS, path: string, key: string): void {
  if (isAbsent(value) || (typeof value === type && !Number.isNaN(value))) return;
  PRIMITIVE_READERS[type](value, join(path, key));
}

/** `fields[key]` as a non-empty string, or a violation naming `path.key` (joined only then). */
export function requireIdField(fields: Fields, key: string, path: string): string {
  const value = fields[key];
  return typeof value === 'string' && value !== '' ? value : requireId(value, join(path, key));
}
