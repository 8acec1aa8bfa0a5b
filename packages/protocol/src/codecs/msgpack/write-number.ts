import type { MsgpackWriter } from './writer.js';

/** 2^32, to split a safe integer into its high and low 32 bits. */
const TWO_32 = 0x100000000;

/**
 * A number as @msgpack/msgpack 2.8.0's default encoder writes it: a safe integer (-0 included, as 0)
 * in the smallest int form for its sign (positive fixint, uint 8/16/32/64; negative fixint,
 * int 8/16/32/64), anything else (fractions, NaN, ±Infinity, integers beyond 2^53) as float 64.
 */
export function writeNumber(w: MsgpackWriter, n: number): void {
  w.reserve(9);
  const b = w.bytes;
  let p = w.pos;
  if (!Number.isSafeInteger(n)) {
    b[p] = 0xcb;
    w.view.setFloat64(p + 1, n);
    w.pos = p + 9;
    return;
  }
  if (n >= 0) {
    if (n < 0x80) {
      b[p++] = n;
    } else if (n < 0x100) {
      b[p++] = 0xcc;
      b[p++] = n;
    } else if (n < 0x10000) {
      b[p++] = 0xcd;
      b[p++] = n >>> 8;
      b[p++] = n;
    } else if (n < TWO_32) {
      b[p] = 0xce;
      p = put32(b, p + 1, n);
    } else {
      b[p] = 0xcf;
      p = put32(b, put32(b, p + 1, Math.floor(n / TWO_32)), n >>> 0);
    }
  } else if (n >= -0x20) {
    b[p++] = n & 0xff;
  } else if (n >= -0x80) {
    b[p++] = 0xd0;
    b[p++] = n & 0xff;
  } else if (n >= -0x8000) {
    b[p++] = 0xd1;
    b[p++] = (n >> 8) & 0xff;
    b[p++] = n & 0xff;
  } else if (n >= -0x80000000) {
    b[p] = 0xd2;
    p = put32(b, p + 1, n >>> 0);
  } else {
    // Two's complement over 64 bits: the high word is floor(n / 2^32) modulo 2^32.
    b[p] = 0xd3;
    p = put32(b, put32(b, p + 1, Math.floor(n / TWO_32) >>> 0), n >>> 0);
  }
  w.pos = p;
}

/** Writes the unsigned 32-bit `value` big-endian at `p`; returns the position after it. */
export function put32(b: Uint8Array, p: number, value: number): number {
  b[p] = value >>> 24;
  b[p + 1] = value >>> 16;
  b[p + 2] = value >>> 8;
  b[p + 3] = value;
  return p + 4;
}

/** Writes the unsigned 16-bit `value` big-endian at `p`; returns the position after it. */
export function put16(b: Uint8Array, p: number, value: number): number {
  b[p] = value >>> 8;
  b[p + 1] = value;
  return p + 2;
}
