/**
 * The output of one msgpack encode: a scratch buffer kept between encodes (so a steady stream of
 * messages allocates nothing but its results), plus the large binaries that are spliced into the
 * result instead of being copied into the scratch buffer first.
 *
 * @module
 */

/** Size of a fresh scratch buffer. */
const INITIAL_SIZE = 8192;
/** A scratch buffer grown beyond this by one large encode is dropped afterwards, not kept for good. */
const KEEP_AT_MOST = 1024 * 1024;

/** A binary whose bytes go at `at` in the scratch output when the result is assembled. */
interface Splice {
  readonly at: number;
  readonly bytes: Uint8Array;
}

/** Where an encode writes: grow with {@link MsgpackWriter.reserve} before writing at `pos`. */
export class MsgpackWriter {
  /** The scratch output; valid bytes are `[0, pos)`. Replaced when it grows. */
  bytes: Buffer = Buffer.allocUnsafeSlow(INITIAL_SIZE);
  /** A view of `bytes` for the writes that need one (floats). */
  view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
  /** Where the next byte goes. */
  pos = 0;
  /** Large binaries of the encode in progress, in output order. */
  splices: Splice[] = [];

  /** Makes room for `size` more bytes at `pos`. */
  reserve(size: number): void {
    const needed = this.pos + size;
    if (needed > this.bytes.length) this.grow(needed);
  }

  /** Records `bytes` to be placed at the current position of the result. */
  splice(bytes: Uint8Array): void {
    this.splices.push({ at: this.pos, bytes });
  }

  /** Forgets the previous encode (also one that threw half-way). */
  start(): void {
    this.pos = 0;
    if (this.splices.length > 0) this.splices = [];
  }

  /**
   * The encoded bytes, in a Buffer the caller owns. Small results come from Node's buffer pool; the
   * spliced binaries are copied once, straight into the result.
   */
  finish(): Buffer {
    const length = this.pos;
    const splices = this.splices;
    let out: Buffer;
    if (splices.length === 0) {
      out = Buffer.allocUnsafe(length);
      this.bytes.copy(out, 0, 0, length);
    } else {
      out = this.assemble(splices);
      this.splices = [];
    }
    if (this.bytes.length > KEEP_AT_MOST) this.replace(Buffer.allocUnsafeSlow(INITIAL_SIZE));
    return out;
  }

  private assemble(splices: readonly Splice[]): Buffer {
    let total = this.pos;
    for (const splice of splices) total += splice.bytes.byteLength;
    const out = Buffer.allocUnsafe(total);
    let from = 0;
    let to = 0;
    for (const { at, bytes } of splices) {
      to += this.bytes.copy(out, to, from, at);
      out.set(bytes, to);
      to += bytes.byteLength;
      from = at;
    }
    this.bytes.copy(out, to, from, this.pos);
    return out;
  }

  private grow(needed: number): void {
    const next = Buffer.allocUnsafeSlow(Math.max(needed * 2, this.bytes.length * 2));
    this.bytes.copy(next, 0, 0, this.pos);
    this.replace(next);
  }

  private replace(bytes: Buffer): void {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
}
