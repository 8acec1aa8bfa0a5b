/** Why a msgpack input could not be decoded. */
export type MsgpackSyntaxReason =
  | 'truncated'
  | 'extra-bytes'
  | 'unknown-type'
  | 'invalid-map-key'
  | 'invalid-timestamp';

/**
 * A msgpack input our decoder rejects: the `cause` of the `FrameDecodeError` the codec returns. It
 * fails exactly where @msgpack/msgpack 2.8.0's `decode` throws (its `RangeError` or `DecodeError`),
 * with a reason a program can test and the byte offset where decoding stopped.
 *
 * @example
 * ```ts
 * const read = getCodec('msgpack').decode(bytes);
 * if (!read.ok && read.error.cause instanceof MsgpackSyntaxError) console.log(read.error.cause.reason);
 * ```
 */
export class MsgpackSyntaxError extends Error {
  /** What is wrong with the input. */
  readonly reason: MsgpackSyntaxReason;
  /** Offset in the input where the problem was found. */
  readonly offset: number;

  constructor(reason: MsgpackSyntaxReason, offset: number, detail: string) {
    super(`${detail} (at byte ${offset})`);
    this.name = 'MsgpackSyntaxError';
    this.reason = reason;
    this.offset = offset;
  }
}

/** Why a value cannot be encoded as msgpack. */
export type MsgpackValueReason = 'unsupported-type' | 'too-deep' | 'too-large';

/**
 * A value our msgpack encoder refuses: the `cause` of the `EncodeError` the codec throws. It is
 * thrown exactly where @msgpack/msgpack 2.8.0's `encode` throws, with the library's message, and a
 * reason a program can test.
 *
 * @example
 * ```ts
 * try { getCodec('msgpack').encode({ f: () => 1 }); }
 * catch (error) { if (error instanceof EncodeError && error.cause instanceof MsgpackValueError) console.log(error.cause.reason); }
 * ```
 */
export class MsgpackValueError extends Error {
  /** What is wrong with the value: a type msgpack has no form for, nesting beyond 100 levels, a size beyond 2^32. */
  readonly reason: MsgpackValueReason;

  constructor(reason: MsgpackValueReason, message: string) {
    super(message);
    this.name = 'MsgpackValueError';
    this.reason = reason;
  }
}
