import type { ExtData } from '@msgpack/msgpack';
import { readNested } from './nested.js';
import { MsgpackSyntaxError } from './errors.js';
import { readExtension } from './extension.js';
import { MAX_CACHED_KEY_LENGTH, cachedKey } from './key-cache.js';
import { readText } from './text.js';

const EMPTY = Buffer.alloc(0);

/**
 * Containers nested deeper than this are read with an explicit stack instead of recursion, so no
 * input can exhaust the call stack (the library reads any depth; so do we).
 */
const MAX_RECURSION = 400;

/** A map key: the library accepts strings and numbers only. */
export type MsgpackKey = string | number;

/**
 * One pass over a msgpack input (msgpack spec, "Formats"), producing the values @msgpack/msgpack
 * 2.8.0's default `decode` produces: `bin` and extension data as Buffer views of the input, uint64
 * and int64 as (possibly rounded) numbers, timestamps as `Date`, other extensions as `ExtData`.
 * Throws `MsgpackSyntaxError` where the library throws. Not re-entrant: one read at a time.
 */
export class MsgpackReader {
  private bytes: Buffer = EMPTY;
  private pos = 0;
  private end = 0;
  // Made on the first float of an input: most messages have none.
  private view: DataView | undefined = undefined;

  /** The single value `bytes` holds; trailing bytes are an error, as in the library. */
  read(bytes: Buffer): unknown {
    this.bytes = bytes;
    this.pos = 0;
    this.end = bytes.length;
    this.view = undefined;
    try {
      const value = this.value(0);
      if (this.pos !== this.end) {
        throw new MsgpackSyntaxError('extra-bytes', this.pos, `extra ${this.end - this.pos} of ${this.end} byte(s) after the value`);
      }
      return value;
    } finally {
      // Do not keep the caller's input alive until the next read.
      this.bytes = EMPTY;
      this.view = undefined;
    }
  }

  /** Any value; `depth` counts the containers around it. */
  value(depth: number): unknown {
    const head = this.byte();
    if (head < 0x80) return head;
    if (head >= 0xe0) return head - 0x100;
    if (head < 0x90) return this.map(head & 0x0f, depth);
    if (head < 0xa0) return this.array(head & 0x0f, depth);
    if (head < 0xc0) return this.text(head & 0x1f);
    switch (head) {
      case 0xdc:
        return this.array(this.u16(), depth);
      case 0xdd:
        return this.array(this.u32(), depth);
      case 0xde:
        return this.map(this.u16(), depth);
      case 0xdf:
        return this.map(this.u32(), depth);
      default:
        return this.scalar(head);
    }
  }

  /** Any value whose head byte is not a container's (the head is already consumed). */
  scalar(head: number): unknown {
    if (head < 0x80) return head;
    if (head >= 0xe0) return head - 0x100;
    if (head >= 0xa0 && head < 0xc0) return this.text(head & 0x1f);
    switch (head) {
      case 0xc0: return null;
      case 0xc2: return false;
      case 0xc3: return true;
      case 0xc4: return this.bin(this.u8());
      case 0xc5: return this.bin(this.u16());
      case 0xc6: return this.bin(this.u32());
      case 0xc7: return this.extension(this.u8());
      case 0xc8: return this.extension(this.u16());
      case 0xc9: return this.extension(this.u32());
      case 0xca: return this.f32();
      case 0xcb: return this.f64();
      case 0xcc: return this.u8();
      case 0xcd: return this.u16();
      case 0xce: return this.u32();
      case 0xcf: return this.u32() * 0x100000000 + this.u32();
      case 0xd0: return (this.u8() << 24) >> 24;
      case 0xd1: return (this.u16() << 16) >> 16;
      case 0xd2: return this.u32() | 0;
      case 0xd3: return (this.u32() | 0) * 0x100000000 + this.u32();
      case 0xd4: return this.extension(1);
      case 0xd5: return this.extension(2);
      case 0xd6: return this.extension(4);
      case 0xd7: return this.extension(8);
      case 0xd8: return this.extension(16);
      case 0xd9: return this.text(this.u8());
      case 0xda: return this.text(this.u16());
      case 0xdb: return this.text(this.u32());
      default:
        throw new MsgpackSyntaxError('unknown-type', this.pos - 1, `unknown type byte 0x${head.toString(16)}`);
    }
  }

  /** A map key: a string (`__proto__` excepted) or a number, as the library allows. */
  key(): MsgpackKey {
    const head = this.byte();
    let length: number;
    if (head >= 0xa0 && head < 0xc0) length = head & 0x1f;
    else if (head === 0xd9) length = this.u8();
    else if (head === 0xda) length = this.u16();
    else if (head === 0xdb) length = this.u32();
    else if (head < 0x80 || head >= 0xe0 || (head >= 0xca && head <= 0xd3)) return this.scalar(head) as number;
    else throw new MsgpackSyntaxError('invalid-map-key', this.pos - 1, `a map key must be a string or a number, not type 0x${head.toString(16)}`);
    this.need(length);
    const start = this.pos;
    this.pos += length;
    const key = (length > 0 && length <= MAX_CACHED_KEY_LENGTH ? cachedKey(this.bytes, start, length) : undefined) ?? readText(this.bytes, start, length);
    if (key === '__proto__') throw new MsgpackSyntaxError('invalid-map-key', start, 'the map key __proto__ is not allowed');
    return key;
  }

  /**
   * The number of items of a container whose head byte was just read (its size bytes are consumed),
   * or -1 when the head is not a container's. Used by the explicit-stack reader.
   */
  containerSize(head: number): number {
    if (head >= 0x80 && head < 0x90) return this.checkCount(head & 0x0f, 2);
    if (head >= 0x90 && head < 0xa0) return this.checkCount(head & 0x0f, 1);
    switch (head) {
      case 0xdc: return this.checkCount(this.u16(), 1);
      case 0xdd: return this.checkCount(this.u32(), 1);
      case 0xde: return this.checkCount(this.u16(), 2);
      case 0xdf: return this.checkCount(this.u32(), 2);
      default: return -1;
    }
  }

  /** Reads the next byte. */
  byte(): number {
    if (this.pos >= this.end) throw this.truncated(1);
    return this.bytes[this.pos++]!;
  }

  private array(size: number, depth: number): unknown[] {
    this.checkCount(size, 1);
    if (depth >= MAX_RECURSION) return readNested(this, false, size) as unknown[];
    const array = new Array<unknown>(size);
    for (let i = 0; i < size; i++) array[i] = this.value(depth + 1);
    return array;
  }

  private map(size: number, depth: number): Record<string, unknown> {
    this.checkCount(size, 2);
    if (depth >= MAX_RECURSION) return readNested(this, true, size) as Record<string, unknown>;
    const map: Record<string, unknown> = {};
    const inner = depth + 1;
    // One store site per leading position: objects of one kind (the records of an array) then reach
    // each site with the same key and shape, which V8 turns into a fast monomorphic store; a single
    // site for every key sees all keys and shapes and falls back to a generic lookup, ~5x slower.
    if (size > 0) map[this.key()] = this.value(inner);
    if (size > 1) map[this.key()] = this.value(inner);
    if (size > 2) map[this.key()] = this.value(inner);
    if (size > 3) map[this.key()] = this.value(inner);
    for (let i = 4; i < size; i++) map[this.key()] = this.value(inner);
    return map;
  }

  // Every item takes at least one byte (a key and a value: two), so a count the rest of the input
  // cannot hold is refused before anything is allocated for it.
  private checkCount(count: number, bytesEach: number): number {
    if (count * bytesEach > this.end - this.pos) throw this.truncated(count * bytesEach);
    return count;
  }

  private text(length: number): string {
    this.need(length);
    const start = this.pos;
    this.pos += length;
    return readText(this.bytes, start, length);
  }

  private bin(length: number): Buffer {
    this.need(length);
    const start = this.pos;
    this.pos += length;
    return this.bytes.subarray(start, this.pos);
  }

  private extension(length: number): Date | ExtData {
    const at = this.pos;
    this.need(length + 1);
    const type = (this.bytes[at]! << 24) >> 24;
    this.pos += length + 1;
    return readExtension(type, this.bytes.subarray(at + 1, this.pos), at);
  }

  private need(length: number): void {
    if (length > this.end - this.pos) throw this.truncated(length);
  }

  private truncated(length: number): MsgpackSyntaxError {
    return new MsgpackSyntaxError('truncated', this.pos, `${length} more byte(s) needed, ${this.end - this.pos} left`);
  }

  private u8(): number {
    this.need(1);
    return this.bytes[this.pos++]!;
  }

  private u16(): number {
    this.need(2);
    const { bytes, pos } = this;
    this.pos = pos + 2;
    return (bytes[pos]! << 8) | bytes[pos + 1]!;
  }

  private u32(): number {
    this.need(4);
    const { bytes, pos } = this;
    this.pos = pos + 4;
    return bytes[pos]! * 0x1000000 + ((bytes[pos + 1]! << 16) | (bytes[pos + 2]! << 8) | bytes[pos + 3]!);
  }

  private f32(): number {
    this.need(4);
    const pos = this.pos;
    this.pos = pos + 4;
    return this.dataView().getFloat32(pos);
  }

  private f64(): number {
    this.need(8);
    const pos = this.pos;
    this.pos = pos + 8;
    return this.dataView().getFloat64(pos);
  }

  private dataView(): DataView {
    return (this.view ??= new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength));
  }
}
