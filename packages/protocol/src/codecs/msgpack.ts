import { Encoder } from '@msgpack/msgpack';
import { EncodeError, FrameDecodeError, fail, ok, type DecodeResult } from '../errors/index.js';
import { asBuffer, inputLength } from './bytes.js';
import { FastStringDecoder } from './msgpack-decoder.js';
import { PROTOCOL_TYPE, type BinaryInput, type Codec } from './types.js';

// One encoder and one decoder for the process: both are synchronous, and reusing them keeps the
// encoder's grown buffer (a new Encoder per call, as @hkube/encoding does, regrows it every time).
// Default options, so the bytes are those of @hkube/encoding and every HKube Node component.
const encoder = new Encoder();
const decoder = new FastStringDecoder();

/**
 * The `msgpack` codec (`@msgpack/msgpack` 2.8.0, the very version HKube's worker decodes with): the bare value, `bin` for
 * Buffers, timestamp extension -1 for Dates. Decoded `bin` values are Buffer views into the input.
 */
export const msgpackCodec: Codec = {
  name: 'msgpack',
  protocolType: PROTOCOL_TYPE.msgpack,
  binary: true,
  encode(value: unknown): Buffer {
    let bytes: Uint8Array;
    try {
      bytes = encoder.encode(value);
    } catch (cause) {
      throw new EncodeError('msgpack', { cause });
    }
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  },
  decode(bytes: BinaryInput | string): DecodeResult<unknown> {
    if (typeof bytes === 'string') {
      return fail(new FrameDecodeError('msgpack', bytes.length, { cause: new TypeError('a text frame cannot hold msgpack') }));
    }
    try {
      // A Buffer decodes to Buffer views for `bin`; other inputs are viewed as one first.
      return ok(decoder.decode(Buffer.isBuffer(bytes) ? bytes : asBuffer(bytes)));
    } catch (cause) {
      return fail(new FrameDecodeError('msgpack', inputLength(bytes), { cause }));
    }
  },
};
