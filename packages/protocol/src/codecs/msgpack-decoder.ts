import { Decoder } from '@msgpack/msgpack';

// The internals of @msgpack/msgpack 2.8.0's Decoder that the fast path reads (the version is pinned;
// the differential and fuzz tests compare every decoded string with the library's own decoder).
interface DecoderInternals {
  bytes: Uint8Array;
  pos: number;
  maxStrLength: number;
  stack: ReadonlyArray<{ readonly type: number }>;
}

type DecodeString = (this: Decoder, byteLength: number, headerOffset: number) => unknown;

const STATE_MAP_KEY = 1;
const SHORT = 16;
const MEDIUM = 200;
const libraryDecodeString = (Decoder.prototype as unknown as { decodeUtf8String: DecodeString }).decodeUtf8String;

/**
 * Decodes ASCII string values up to 200 bytes faster than the library's generic UTF-8 loop (which
 * builds an array and spreads it): short ones by concatenation, longer ones as latin1, which
 * equals UTF-8 for ASCII. Map keys (the library caches them), non-ASCII text and long strings go
 * through the library's own code, so the decoded values are the same.
 */
function decodeString(this: Decoder, byteLength: number, headerOffset: number): unknown {
  const self = this as unknown as DecoderInternals;
  const { stack, bytes } = self;
  const top = stack.length > 0 ? stack[stack.length - 1] : undefined;
  const offset = self.pos + headerOffset;
  const end = offset + byteLength;
  if (byteLength > MEDIUM || byteLength > self.maxStrLength || top?.type === STATE_MAP_KEY || bytes.byteLength < end) {
    return libraryDecodeString.call(this, byteLength, headerOffset);
  }
  let text: string;
  if (byteLength <= SHORT) {
    text = '';
    for (let i = offset; i < end; i++) {
      const byte = bytes[i]!;
      if (byte >= 0x80) return libraryDecodeString.call(this, byteLength, headerOffset);
      text += String.fromCharCode(byte);
    }
  } else {
    for (let i = offset; i < end; i++) {
      if (bytes[i]! >= 0x80) return libraryDecodeString.call(this, byteLength, headerOffset);
    }
    text = (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)).toString('latin1', offset, end);
  }
  self.pos = end;
  return text;
}

/** A `Decoder` with the fast path for ASCII string values. */
export class FastStringDecoder extends Decoder {}
Object.defineProperty(FastStringDecoder.prototype, 'decodeUtf8String', { value: decodeString, writable: true, configurable: true });
