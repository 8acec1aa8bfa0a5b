/**
 * Deep copies with the effect of HKube's serialisation: what one task returns can never be changed by
 * another task that reads it.
 */

/** Thrown by {@link copyValue} for a value that refers to itself. */
export class CircularValueError extends Error {
  constructor() {
    super('the value is circular and cannot be serialised');
    this.name = 'CircularValueError';
  }
}

/** True for `{}` literals, `Object.create(null)` and JSON-parsed objects (not class instances, not arrays). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Copies a value the way a JSON-like codec would see it, keeping binary data:
 * - arrays and plain objects are copied recursively; `undefined` (and functions, symbols) become `null`
 *   in arrays and are dropped from objects;
 * - `Buffer`s stay `Buffer`s and other typed arrays keep their type;
 * - other objects (dates, maps, class instances) go through `structuredClone`; what it cannot clone is
 *   dropped like a function.
 *
 * @throws {CircularValueError} when the value contains itself.
 */
export function copyValue(value: unknown): unknown {
  return copy(value, new Set());
}

function copy(value: unknown, ancestors: Set<object>): unknown {
  switch (typeof value) {
    case 'function':
    case 'symbol':
    case 'undefined':
      return undefined;
    case 'string':
    case 'number':
    case 'boolean':
    case 'bigint':
      return value;
    case 'object':
      break;
  }
  if (value === null) return null;
  if (Buffer.isBuffer(value)) return Buffer.from(value);
  if (value instanceof DataView) return new DataView(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength));
  // `slice` copies only the view's bytes (structuredClone would copy the whole underlying buffer).
  if (ArrayBuffer.isView(value)) return (value as Uint8Array).slice();
  if (value instanceof ArrayBuffer) return value.slice(0);
  if (ancestors.has(value)) throw new CircularValueError();
  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      const out: unknown[] = new Array<unknown>(value.length);
      for (let i = 0; i < value.length; i += 1) out[i] = copy(value[i], ancestors) ?? null;
      return out;
    }
    if (isPlainObject(value)) {
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value)) {
        const item = copy(value[key], ancestors);
        if (item === undefined) continue;
        if (key === '__proto__') Object.defineProperty(out, key, { value: item, enumerable: true, writable: true, configurable: true });
        else out[key] = item;
      }
      return out;
    }
    try {
      return structuredClone(value);
    } catch {
      return undefined;
    }
  } finally {
    ancestors.delete(value);
  }
}
