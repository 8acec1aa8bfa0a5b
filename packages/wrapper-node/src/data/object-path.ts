/**
 * Dotted paths inside values, with the semantics HKube's Node wrapper gets from `object-path` 0.11
 * (reading link paths, placing resolved inputs) and `flat` 5 (computing `flatInput`).
 *
 * @module
 */
import { ObjectPathError } from './errors.js';

const FORBIDDEN_SEGMENTS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** A segment as `object-path` uses it: an integer when it prints back the same (`'0'`, not `'01'`). */
function toKey(segment: string): string | number {
  const index = Number.parseInt(segment, 10);
  return String(index) === segment ? index : segment;
}

function hasOwn(value: unknown, key: string | number): boolean {
  if (value === null || value === undefined) return false;
  return Object.prototype.hasOwnProperty.call(value, key);
}

/**
 * Reads the value at a dotted path, like `object-path`'s `get`: `''` is the whole value; each segment
 * is an own property (numeric segments index arrays, and are plain keys on objects, so `'0'` reads
 * both `[x][0]` and `{"0": x}`); inherited properties are never read; anything missing gives
 * `undefined` without an error. Keys containing `.` cannot be addressed.
 *
 * @example
 * ```ts
 * getPath({ a: [{ b: 1 }] }, 'a.0.b'); // 1
 * getPath({ a: 1 }, 'a.x');            // undefined
 * getPath('abc', 'length');            // 3
 * ```
 */
export function getPath(value: unknown, path: string): unknown {
  if (path === '') return value;
  let current: unknown = value;
  for (const segment of path.split('.')) {
    const key = toKey(segment);
    if (typeof key === 'number' && Array.isArray(current)) {
      current = current[key] as unknown;
    } else if (hasOwn(current, key)) {
      current = (current as Record<string | number, unknown>)[key];
    } else {
      return undefined;
    }
    if (current === undefined) return undefined;
  }
  return current;
}

/**
 * Checks that a dotted path may be written by {@link setPath}: not empty and without a `__proto__`,
 * `constructor` or `prototype` segment. Throws `ObjectPathError`.
 */
export function assertWritablePath(path: string): void {
  writableSegments(path);
}

/** Splits a path for writing; throws `ObjectPathError` for `''` and for prototype-polluting segments. */
function writableSegments(path: string): (string | number)[] {
  if (path === '') throw new ObjectPathError(path, 'empty path');
  const segments = path.split('.');
  for (const segment of segments) {
    if (FORBIDDEN_SEGMENTS.has(segment)) throw new ObjectPathError(path, `forbidden segment '${segment}'`);
  }
  return segments.map(toKey);
}

/** True for the containers a path may run through: arrays and objects with a plain prototype. */
function isContainer(value: unknown): value is Record<string | number, unknown> {
  if (Array.isArray(value)) return true;
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A fresh container for a missing intermediate: an array when the next segment is an index, as `object-path` does. */
function emptyContainer(next: string | number | undefined): Record<string | number, unknown> {
  return (typeof next === 'number' ? [] : {}) as Record<string | number, unknown>;
}

/**
 * Writes `value` at a dotted path inside `target`, in place, like `object-path`'s `set`: missing
 * intermediates are created (an array when the next segment is an integer, else an object); an
 * existing `undefined` intermediate is replaced the same way. Returns `target`.
 *
 * Throws `ObjectPathError` for an empty path, a `__proto__`/`constructor`/`prototype` segment, or a
 * path that runs through a value that is not a plain object or an array.
 *
 * @example
 * ```ts
 * setPath({}, 'a.0.b', 1); // { a: [ { b: 1 } ] }
 * ```
 */
export function setPath<T extends object>(target: T, path: string, value: unknown): T {
  const keys = writableSegments(path);
  if (!isContainer(target)) throw new ObjectPathError(path, 'the target is not a plain object or an array');
  let current: Record<string | number, unknown> = target;
  for (let i = 0; i < keys.length - 1; i++) {
    const key = keys[i] as string | number;
    const existing = hasOwn(current, key) ? current[key] : undefined;
    if (existing === undefined) {
      const created = emptyContainer(keys[i + 1]);
      current[key] = created;
      current = created;
    } else if (isContainer(existing)) {
      current = existing;
    } else {
      throw new ObjectPathError(path, `segment '${String(key)}' holds a value that is not a plain object or an array`);
    }
  }
  current[keys[keys.length - 1] as string | number] = value;
  return target;
}

function shallowCopy(container: Record<string | number, unknown>): Record<string | number, unknown> {
  if (Array.isArray(container)) return container.slice() as unknown as Record<string | number, unknown>;
  const copy = Object.create(Object.getPrototypeOf(container) as object | null) as Record<string | number, unknown>;
  return Object.assign(copy, container);
}

/**
 * Builds a modified copy of `root` without touching `root` itself: each {@link CopyOnWriteTree.set}
 * shallow-copies the containers along its path (once per container), so untouched branches and
 * leaves (large Buffers included) are shared with the original, not cloned.
 */
export interface CopyOnWriteTree<T> {
  /** The copy (a shallow copy of the original root, sharing untouched branches). */
  readonly root: T;
  /** Sets `value` at a dotted path of the copy; same rules and errors as {@link setPath}. */
  set(path: string, value: unknown): void;
}

/**
 * Starts a copy-on-write edit of `root` (a plain object or an array).
 *
 * @example
 * ```ts
 * const tree = copyOnWrite(input);
 * tree.set('0.x', value);
 * tree.root; // input is unchanged
 * ```
 */
export function copyOnWrite<T extends object>(root: T): CopyOnWriteTree<T> {
  if (!isContainer(root)) throw new ObjectPathError('', 'the root is not a plain object or an array');
  const copied = new WeakSet<object>();
  const copy = shallowCopy(root);
  copied.add(copy);
  return {
    root: copy as T,
    set(path: string, value: unknown): void {
      const keys = writableSegments(path);
      let current = copy;
      for (let i = 0; i < keys.length - 1; i++) {
        const key = keys[i] as string | number;
        const existing = hasOwn(current, key) ? current[key] : undefined;
        let next: Record<string | number, unknown>;
        if (existing === undefined) {
          next = emptyContainer(keys[i + 1]);
        } else if (!isContainer(existing)) {
          throw new ObjectPathError(path, `segment '${String(key)}' holds a value that is not a plain object or an array`);
        } else if (copied.has(existing)) {
          next = existing;
        } else {
          next = shallowCopy(existing);
        }
        if (next !== existing) {
          copied.add(next);
          current[key] = next;
        }
        current = next;
      }
      current[keys[keys.length - 1] as string | number] = value;
    },
  };
}

function isBufferLike(value: object): boolean {
  const ctor = (value as { constructor?: { isBuffer?: unknown } }).constructor;
  return typeof ctor?.isBuffer === 'function' && (ctor.isBuffer as (v: unknown) => boolean)(value);
}

/**
 * Flattens a value into a map of dotted paths to leaves, as `flat` 5 does (the worker's `flatInput`):
 * plain objects and arrays (by `Object.prototype.toString`) with at least one own enumerable key are
 * descended into, array items by index; everything else is a leaf, including empty objects and
 * arrays, Buffers, typed arrays and Dates. A non-object input gives `{}` (where `flat` would throw or
 * split strings). Throws `ObjectPathError` on a cycle.
 *
 * @example
 * ```ts
 * flatten(['$$a', { x: '$$b', y: [] }]); // { '0': '$$a', '1.x': '$$b', '1.y': [] }
 * ```
 */
export function flatten(input: unknown): Record<string, unknown> {
  const output: Record<string, unknown> = {};
  if (typeof input !== 'object' || input === null) return output;
  const ancestors = new Set<object>();
  const step = (object: object, prefix: string): void => {
    ancestors.add(object);
    for (const key of Object.keys(object)) {
      const value = (object as Record<string, unknown>)[key];
      const path = prefix === '' ? key : `${prefix}.${key}`;
      const tag = Object.prototype.toString.call(value);
      const descend =
        typeof value === 'object' &&
        value !== null &&
        (tag === '[object Object]' || tag === '[object Array]') &&
        !isBufferLike(value) &&
        Object.keys(value).length > 0;
      if (descend) {
        if (ancestors.has(value)) throw new ObjectPathError(path, 'the input is cyclic');
        step(value, path);
      } else {
        Object.defineProperty(output, path, { value, enumerable: true, writable: true, configurable: true });
      }
    }
    ancestors.delete(object);
  };
  step(input, '');
  return output;
}
