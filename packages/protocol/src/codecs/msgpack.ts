import { EncodeError, FrameDecodeError, fail, ok, type DecodeResult } from '../errors/index.js';
import { asBuffer, inputLength } from './bytes.js';
import { decodeMsgpack, encodeMsgpack } from './msgpack/index.js';
import { PROTOCOL_TYPE, type BinaryInput, type Codec } from './types.js';

// Both directions are our own code, held to @msgpack/msgpack 2.8.0 with default options (what
// @hkube/encoding and every HKube Node component use): the encoder writes the library's bytes, the
// reader returns what the library's `decode` returns (docs/decisions.md, "msgpack").

/**
 * The `msgpack` codec: the bare value, `bin` for Buffers, timestamp extension -1 for Dates. Encodes to the bytes
 * `@msgpack/msgpack` 2.8.0 (the very version HKube's worker uses) writes and decodes to exactly what its
 * `decode` returns. Decoded `bin` values are Buffer views into the input.
 */
export const msgpackCodec: Codec = {
  name: 'msgpack',
  protocolType: PROTOCOL_TYPE.msgpack,
  binary: true,
  encode(value: unknown): Buffer {
    try {
      return encodeMsgpack(value);
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
