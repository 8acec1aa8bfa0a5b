import { EncodeError, FrameDecodeError, fail, ok, type DecodeResult } from '../errors/index.js';
import { asBuffer, inputLength } from './bytes.js';
import { SplicingEncoder } from './msgpack/encoder.js';
import { decodeMsgpack } from './msgpack/index.js';
import { PROTOCOL_TYPE, type BinaryInput, type Codec } from './types.js';

// One encoder for the process: it is synchronous, and reusing it keeps its grown buffer (a new
// Encoder per call, as @hkube/encoding does, regrows it every time). Default options, so the bytes
// are those of @hkube/encoding and every HKube Node component (large binaries are spliced in with one
// copy: msgpack/encoder.ts). Decoding is our own reader, which
// returns what the library's `decode` returns.
const encoder = new SplicingEncoder();

/**
 * The `msgpack` codec: the bare value, `bin` for Buffers, timestamp extension -1 for Dates. Encodes with
 * `@msgpack/msgpack` 2.8.0 (the very version HKube's worker uses) and decodes to exactly what its `decode`
 * returns. Decoded `bin` values are Buffer views into the input.
 */
export const msgpackCodec: Codec = {
  name: 'msgpack',
  protocolType: PROTOCOL_TYPE.msgpack,
  binary: true,
  encode(value: unknown): Buffer {
    try {
      return encoder.encodeToBuffer(value);
    } catch (cause) {
      throw new EncodeError('msgpack', { cause });
    }
  },
  decode(bytes: BinaryInput | string): DecodeResult<unknown> {
    if (typeof bytes === 'string') {
      return fail(new FrameDecodeError('msgpack', bytes.length, { cause: new TypeError('a text frame cannot hold msgpack') }));
    }
    try {
      // A Buffer decodes to Buffer views for `bin`; other inputs are viewed as one first.
      return ok(decodeMsgpack(Buffer.isBuffer(bytes) ? bytes : asBuffer(bytes)));
    } catch (cause) {
      return fail(new FrameDecodeError('msgpack', inputLength(bytes), { cause }));
    }
  },
};
