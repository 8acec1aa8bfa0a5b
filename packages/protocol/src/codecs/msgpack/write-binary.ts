import { MsgpackValueError } from './errors.js';
import { put16, put32 } from './write-number.js';
import type { MsgpackWriter } from './writer.js';

/**
 * Binaries from this size on are spliced into the result rather than copied into the scratch buffer
 * (and copied out again with it): a message carrying a 1 MiB Buffer copies it once, not twice.
 */
const SPLICE_FROM = 0x10000;

/**
 * Any `ArrayBufferView` (Buffer, every typed array, DataView, views with an offset) as `bin 8/16/32`
 * holding the bytes it views, as the library writes it.
 */
export function writeBinary(w: MsgpackWriter, view: ArrayBufferView): void {
  const size = view.byteLength;
  if (size >= 0x100000000) throw new MsgpackValueError('too-large', `Too large binary: ${size}`);
  w.reserve(5);
  const b = w.bytes;
  let p = w.pos;
  if (size < 0x100) {
    b[p++] = 0xc4;
    b[p++] = size;
  } else if (size < 0x10000) {
    b[p] = 0xc5;
    p = put16(b, p + 1, size);
  } else {
    b[p] = 0xc6;
    p = put32(b, p + 1, size);
  }
  w.pos = p;
  const bytes = view instanceof Uint8Array ? view : new Uint8Array(view.buffer, view.byteOffset, size);
  if (size >= SPLICE_FROM) {
    w.splice(bytes);
    return;
  }
  w.reserve(size);
  w.bytes.set(bytes, w.pos);
  w.pos += size;
}
