import { put16, put32 } from './write-number.js';
import type { MsgpackWriter } from './writer.js';

// @msgpack/msgpack 2.8.0 writes strings of up to 200 UTF-16 units with its own UTF-8 writer, which
// writes a lone surrogate as the 3 bytes of its code point (ED A0 80 for U+D800), and longer ones
// with TextEncoder, which writes U+FFFD (EF BF BD) instead. Both are 3 bytes, so the length is the
// same. The environment variable TEXT_ENCODING moves that threshold in the library ("never": its
// own writer for every string; "force": TextEncoder for every non-empty string), read once when it
// loads; so do we. Node's `Buffer#write` replaces lone surrogates exactly as TextEncoder does.
const TEXT_ENCODING = typeof process === 'undefined' ? undefined : process.env['TEXT_ENCODING'];
const OWN_WRITER_MAX = TEXT_ENCODING === 'never' ? Infinity : TEXT_ENCODING === 'force' ? 0 : 200;

/** Strings from this length on are measured before they are written, rather than given 3 bytes a unit. */
const MEASURE_FROM = 0x4000;

/** A string: fixstr, str 8, str 16 or str 32 for its UTF-8 length, then its UTF-8 bytes. */
export function writeString(w: MsgpackWriter, s: string): void {
  const length = s.length;
  if (length > OWN_WRITER_MAX) {
    writeNative(w, s);
    return;
  }
  // Optimistic: ASCII is one byte a unit, so the header is known before the bytes are written.
  w.reserve(3 + length * 3);
  const b = w.bytes;
  const start = w.pos;
  const at = start + headerSize(length);
  for (let i = 0; i < length; i++) {
    const unit = s.charCodeAt(i);
    if (unit >= 0x80) {
      writeWide(w, s);
      return;
    }
    b[at + i] = unit;
  }
  writeHeader(b, start, length);
  w.pos = at + length;
}

/** The header of a string of `size` UTF-8 bytes at `p`; returns the position after it. */
function writeHeader(b: Uint8Array, p: number, size: number): number {
  if (size < 32) {
    b[p] = 0xa0 + size;
    return p + 1;
  }
  if (size < 0x100) {
    b[p] = 0xd9;
    b[p + 1] = size;
    return p + 2;
  }
  if (size < 0x10000) {
    b[p] = 0xda;
    return put16(b, p + 1, size);
  }
  // V8 strings hold less than 2^30 units, so at most 3 * 2^30 bytes: str 32 always fits.
  b[p] = 0xdb;
  return put32(b, p + 1, size);
}

function headerSize(size: number): number {
  return size < 32 ? 1 : size < 0x100 ? 2 : size < 0x10000 ? 3 : 5;
}

/** A string with non-ASCII units, written by the library's own rules (lone surrogates kept). */
function writeWide(w: MsgpackWriter, s: string): void {
  const size = utf8Size(s);
  w.reserve(5 + size);
  const b = w.bytes;
  const length = s.length;
  let p = writeHeader(b, w.pos, size);
  let i = 0;
  while (i < length) {
    let point = s.charCodeAt(i++);
    if (point < 0x80) {
      b[p++] = point;
      continue;
    }
    if (point < 0x800) {
      b[p++] = 0xc0 | (point >> 6);
      b[p++] = 0x80 | (point & 0x3f);
      continue;
    }
    if (point >= 0xd800 && point <= 0xdbff && i < length) {
      const low = s.charCodeAt(i);
      if ((low & 0xfc00) === 0xdc00) {
        i++;
        point = ((point & 0x3ff) << 10) + (low & 0x3ff) + 0x10000;
      }
    }
    if (point < 0x10000) {
      b[p++] = 0xe0 | (point >> 12);
    } else {
      b[p++] = 0xf0 | (point >> 18);
      b[p++] = 0x80 | ((point >> 12) & 0x3f);
    }
    b[p++] = 0x80 | ((point >> 6) & 0x3f);
    b[p++] = 0x80 | (point & 0x3f);
  }
  w.pos = p;
}

/** UTF-8 length of `s`, a surrogate pair counting 4 bytes and a lone surrogate 3. */
function utf8Size(s: string): number {
  const length = s.length;
  let size = length;
  for (let i = 0; i < length; i++) {
    const unit = s.charCodeAt(i);
    if (unit < 0x80) continue;
    if (unit < 0x800) {
      size += 1;
    } else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      // The pair: 4 bytes for 2 units.
      size += 2;
      i++;
    } else {
      size += 2;
    }
  }
  return size;
}

/** A long string, written by Node (lone surrogates become U+FFFD, as TextEncoder writes them). */
function writeNative(w: MsgpackWriter, s: string): void {
  const length = s.length;
  if (length >= MEASURE_FROM) {
    const size = Buffer.byteLength(s, 'utf8');
    w.reserve(5 + size);
    const p = writeHeader(w.bytes, w.pos, size);
    w.pos = p + w.bytes.write(s, p, 'utf8');
    return;
  }
  // At most 3 bytes a unit; the header is guessed from the length (the fewest bytes possible) and
  // the bytes moved if the string turns out to need a longer one.
  w.reserve(5 + length * 3);
  const start = w.pos;
  const guess = headerSize(length);
  const size = w.bytes.write(s, start + guess, 'utf8');
  const needed = headerSize(size);
  if (needed !== guess) w.bytes.copyWithin(start + needed, start + guess, start + guess + size);
  w.pos = writeHeader(w.bytes, start, size) + size;
}
