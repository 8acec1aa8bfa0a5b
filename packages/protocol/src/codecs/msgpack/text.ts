// Strings decode to exactly what @msgpack/msgpack 2.8.0 returns, which depends on the length:
// up to 200 bytes it runs a lenient UTF-8 reader (no validation, no U+FFFD, and a multi-byte
// sequence cut by the end of the string borrows the bytes that follow it), above that it uses
// TextDecoder (U+FFFD for bad sequences, a leading BOM dropped). ASCII, the common case, is the
// same for both and is built directly.
const LENIENT_MAX = 200;
const SHORT = 8;
const decoder = new TextDecoder();

/** The string held in `bytes[start, start + length)`; the caller has checked the bounds. */
export function readText(bytes: Buffer, start: number, length: number): string {
  const stop = start + length;
  for (let i = start; i < stop; i++) {
    if (bytes[i]! >= 0x80) {
      return length <= LENIENT_MAX ? lenientUtf8(bytes, start, stop) : decoder.decode(bytes.subarray(start, stop));
    }
  }
  return length <= SHORT ? shortAscii(bytes, start, length) : bytes.toString('latin1', start, stop);
}

/**
 * ASCII text of up to 8 bytes in one `fromCharCode` call: about twice as fast as adding characters
 * one by one, and than a native call to `toString` for such short strings.
 */
function shortAscii(b: Uint8Array, at: number, length: number): string {
  switch (length) {
    case 0: return '';
    case 1: return String.fromCharCode(b[at]!);
    case 2: return String.fromCharCode(b[at]!, b[at + 1]!);
    case 3: return String.fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!);
    case 4: return String.fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!);
    case 5: return String.fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!, b[at + 4]!);
    case 6: return String.fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!, b[at + 4]!, b[at + 5]!);
    case 7: return String.fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!, b[at + 4]!, b[at + 5]!, b[at + 6]!);
    default: return String.fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!, b[at + 4]!, b[at + 5]!, b[at + 6]!, b[at + 7]!);
  }
}

// Reads past `stop` (and past the input, as 0) for a sequence cut short, as the library does.
function continuation(bytes: Uint8Array, index: number): number {
  return (bytes[index] ?? 0) & 0x3f;
}

function lenientUtf8(bytes: Uint8Array, start: number, stop: number): string {
  const units: number[] = [];
  let i = start;
  while (i < stop) {
    const lead = bytes[i++]!;
    if (lead < 0xc0 || lead >= 0xf8) {
      // ASCII, and bytes that cannot lead a sequence, stand for themselves.
      units.push(lead);
    } else if (lead < 0xe0) {
      units.push(((lead & 0x1f) << 6) | continuation(bytes, i));
      i += 1;
    } else if (lead < 0xf0) {
      units.push(((lead & 0x0f) << 12) | (continuation(bytes, i) << 6) | continuation(bytes, i + 1));
      i += 2;
    } else {
      const point = ((lead & 0x07) << 18) | (continuation(bytes, i) << 12) | (continuation(bytes, i + 1) << 6) | continuation(bytes, i + 2);
      i += 3;
      if (point > 0xffff) {
        const above = point - 0x10000;
        units.push(0xd800 | ((above >>> 10) & 0x3ff), 0xdc00 | (above & 0x3ff));
      } else {
        units.push(point);
      }
    }
  }
  return String.fromCharCode(...units);
}
