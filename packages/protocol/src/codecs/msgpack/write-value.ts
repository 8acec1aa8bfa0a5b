import { ExtData } from '@msgpack/msgpack';
import { MsgpackValueError } from './errors.js';
import { writeBinary } from './write-binary.js';
import { writeDate, writeExtData } from './write-extension.js';
import { put16, put32, writeNumber } from './write-number.js';
import { writeString } from './write-string.js';
import type { MsgpackWriter } from './writer.js';

/** The library's default `maxDepth`: the top-level value is at depth 1; deeper values throw. */
const MAX_DEPTH = 100;

/**
 * Any value, by @msgpack/msgpack 2.8.0's default rules and in its order of checks: null and
 * undefined as nil; booleans; numbers; strings; then for everything else a Date (anything
 * `instanceof Date`) as timestamp, an `ExtData` as its extension, an array (`Array.isArray`) by
 * iterating it (holes are nil), an `ArrayBufferView` as bin, any other object as a map of its
 * `Object.keys` (a Map, Set, ArrayBuffer or class instance too: own enumerable string keys only,
 * `toJSON` ignored, undefined values kept as nil); functions, symbols and bigints throw.
 */
export function writeValue(w: MsgpackWriter, value: unknown, depth: number): void {
  if (depth > MAX_DEPTH) throw new MsgpackValueError('too-deep', `Too deep objects in depth ${depth}`);
  if (value == null) {
    w.reserve(1);
    w.bytes[w.pos++] = 0xc0;
  } else if (typeof value === 'boolean') {
    w.reserve(1);
    w.bytes[w.pos++] = value ? 0xc3 : 0xc2;
  } else if (typeof value === 'number') {
    writeNumber(w, value);
  } else if (typeof value === 'string') {
    writeString(w, value);
  } else if (value instanceof Date) {
    writeDate(w, value);
  } else if (value instanceof ExtData) {
    writeExtData(w, value);
  } else if (Array.isArray(value)) {
    writeArray(w, value, depth);
  } else if (ArrayBuffer.isView(value)) {
    writeBinary(w, value);
  } else if (typeof value === 'object') {
    writeMap(w, value as Record<string, unknown>, depth);
  } else {
    throw new MsgpackValueError('unsupported-type', `Unrecognized object: ${Object.prototype.toString.apply(value)}`);
  }
}

function writeArray(w: MsgpackWriter, array: readonly unknown[], depth: number): void {
  writeContainerHeader(w, array.length, 0x90, 0xdc, 'array');
  // `for...of`, as the library: the array's iterator decides the items (a hole is undefined).
  for (const item of array) writeValue(w, item, depth + 1);
}

function writeMap(w: MsgpackWriter, object: Record<string, unknown>, depth: number): void {
  const keys = Object.keys(object);
  writeContainerHeader(w, keys.length, 0x80, 0xde, 'map object');
  for (const key of keys) {
    writeString(w, key);
    writeValue(w, object[key], depth + 1);
  }
}

/** fixarray/fixmap (`fix`), or the 16-bit form (`wide`) or the 32-bit one after it. */
function writeContainerHeader(w: MsgpackWriter, size: number, fix: number, wide: number, what: string): void {
  w.reserve(5);
  const b = w.bytes;
  const p = w.pos;
  if (size < 16) {
    b[p] = fix + size;
    w.pos = p + 1;
  } else if (size < 0x10000) {
    b[p] = wide;
    w.pos = put16(b, p + 1, size);
  } else if (size < 0x100000000) {
    b[p] = wide + 1;
    w.pos = put32(b, p + 1, size);
  } else {
    throw new MsgpackValueError('too-large', `Too large ${what}: ${size}`);
  }
}
