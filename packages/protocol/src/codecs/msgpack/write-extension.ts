import type { ExtData } from '@msgpack/msgpack';
import { MsgpackValueError } from './errors.js';
import { put16, put32 } from './write-number.js';
import type { MsgpackWriter } from './writer.js';

/** The msgpack extension type of timestamps (spec: "Timestamp extension type"), as a byte. */
const TIMESTAMP = 0xff;
const TWO_32 = 0x100000000;

/**
 * A Date as the library's timestamp extension -1: timestamp 32 (whole seconds up to 2^32 - 1),
 * timestamp 64 (nanoseconds, seconds up to 2^34 - 1) or timestamp 96 (before 1970, later, or an
 * invalid Date, whose NaN fields become zeros). The arithmetic, `getTime()` call included, is the
 * library's, so any Date (or object inheriting from Date.prototype) gives the same bytes or the same
 * throw.
 */
export function writeDate(w: MsgpackWriter, date: Date): void {
  const msec = date.getTime();
  let sec = Math.floor(msec / 1e3);
  let nsec = (msec - sec * 1e3) * 1e6;
  const carry = Math.floor(nsec / 1e9);
  sec += carry;
  nsec -= carry * 1e9;
  w.reserve(15);
  const b = w.bytes;
  const p = w.pos;
  if (sec >= 0 && nsec >= 0 && sec <= 0x3ffffffff) {
    if (nsec === 0 && sec <= 0xffffffff) {
      b[p] = 0xd6;
      b[p + 1] = TIMESTAMP;
      w.pos = put32(b, p + 2, sec >>> 0);
      return;
    }
    b[p] = 0xd7;
    b[p + 1] = TIMESTAMP;
    w.pos = put32(b, put32(b, p + 2, (nsec << 2) | ((sec / TWO_32) & 0x3)), sec & 0xffffffff);
    return;
  }
  b[p] = 0xc7;
  b[p + 1] = 12;
  b[p + 2] = TIMESTAMP;
  w.pos = put32(b, put32(b, put32(b, p + 3, nsec >>> 0), Math.floor(sec / TWO_32) >>> 0), sec >>> 0);
}

/** An `ExtData` the caller built: its type and bytes, in the smallest ext form, as the library writes it. */
export function writeExtData(w: MsgpackWriter, ext: ExtData): void {
  const data = ext.data;
  const size = data.length;
  w.reserve(6);
  const b = w.bytes;
  let p = w.pos;
  if (size === 1) b[p++] = 0xd4;
  else if (size === 2) b[p++] = 0xd5;
  else if (size === 4) b[p++] = 0xd6;
  else if (size === 8) b[p++] = 0xd7;
  else if (size === 16) b[p++] = 0xd8;
  else if (size < 0x100) {
    b[p++] = 0xc7;
    b[p++] = size;
  } else if (size < 0x10000) {
    b[p] = 0xc8;
    p = put16(b, p + 1, size);
  } else if (size < 0x100000000) {
    b[p] = 0xc9;
    p = put32(b, p + 1, size);
  } else {
    throw new MsgpackValueError('too-large', `Too large extension object: ${size}`);
  }
  // The library's conversions: the type modulo 256 as a signed byte, the data through `set`.
  w.view.setInt8(p, ext.type);
  w.pos = p + 1;
  w.reserve(size);
  w.bytes.set(data, w.pos);
  w.pos += size;
}
