/**
 * Encoding with `@msgpack/msgpack` 2.8.0 (the bytes HKube's components write), with one copy of large
 * binaries instead of two.
 *
 * The library copies every `bin` into its growing scratch buffer and then copies the whole result out
 * of it. For a message carrying a 1 MiB Buffer that is 2 MiB of memory traffic. {@link SplicingEncoder}
 * writes only the `bin` header of a large binary into the scratch buffer, remembers where its bytes
 * belong, and assembles the result once: the bytes are identical, each byte is copied once.
 *
 * @module
 */

import { Encoder } from '@msgpack/msgpack';

/** Binaries from this size on are spliced in at the end rather than copied into the scratch buffer. */
const SPLICE_FROM = 0x10000;
/** The `bin 32` type byte: the header of every spliced binary, since they are all ≥ 2^16 bytes. */
const BIN32 = 0xc6;

// The 2.8.0 internals the override uses (the version is pinned; the differential tests compare our
// bytes with @hkube/encoding's for binaries on both sides of the threshold).
interface EncoderInternals {
  pos: number;
  writeU8(value: number): void;
  writeU32(value: number): void;
}

interface Splice {
  /** Offset in the scratch output where the bytes go. */
  readonly at: number;
  readonly bytes: Uint8Array;
}

/** An `Encoder` that splices large binaries into its result instead of copying them twice. */
export class SplicingEncoder extends Encoder {
  /** Large binaries of the encode in progress, in output order (written by the `encodeBinary` override). */
  splices: Splice[] = [];

  /** Encodes `value` into a fresh Buffer that the caller owns (same bytes as `encode`). */
  encodeToBuffer(value: unknown): Buffer {
    this.splices = [];
    const head = this.encodeSharedRef(value);
    const splices = this.splices;
    // `Buffer.from` takes small results from Node's buffer pool instead of a new ArrayBuffer each.
    if (splices.length === 0) return Buffer.from(head);
    let total = head.byteLength;
    for (const splice of splices) total += splice.bytes.byteLength;
    const out = Buffer.allocUnsafe(total);
    let from = 0;
    let to = 0;
    for (const { at, bytes } of splices) {
      out.set(head.subarray(from, at), to);
      to += at - from;
      out.set(bytes, to);
      to += bytes.byteLength;
      from = at;
    }
    out.set(head.subarray(from), to);
    this.splices = [];
    return out;
  }
}

const libraryEncodeBinary = (Encoder.prototype as unknown as { encodeBinary: (this: Encoder, object: ArrayBufferView) => void }).encodeBinary;

function encodeBinary(this: SplicingEncoder, object: ArrayBufferView): void {
  const size = object.byteLength;
  // Too large for msgpack (≥ 2^32): the library throws its own error.
  if (size < SPLICE_FROM || size >= 0x100000000) {
    libraryEncodeBinary.call(this, object);
    return;
  }
  const self = this as unknown as EncoderInternals;
  self.writeU8(BIN32);
  self.writeU32(size);
  const bytes = object instanceof Uint8Array ? object : new Uint8Array(object.buffer, object.byteOffset, object.byteLength);
  this.splices.push({ at: self.pos, bytes });
}

Object.defineProperty(SplicingEncoder.prototype, 'encodeBinary', { value: encodeBinary, writable: true, configurable: true });
