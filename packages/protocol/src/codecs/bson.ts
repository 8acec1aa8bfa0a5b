import { BSON } from 'bson';
import { EncodeError, FrameDecodeError, fail, ok, type DecodeResult } from '../errors/index.js';
import { asBuffer, inputLength } from './bytes.js';
import { PROTOCOL_TYPE, type BinaryInput, type Codec } from './types.js';

const DESERIALIZE_OPTIONS = { promoteBuffers: true, promoteValues: true } as const;

/**
 * Serializes into a buffer of the calculated size: written once, no scratch buffer to copy out of.
 * `calculateObjectSize` undercounts `-0` (bson 6 writes it as a double, sizes it as an int32), so a
 * size mismatch falls back to the library's own growing serializer.
 */
function serializeSized(document: { data: unknown }): Buffer {
  const out = Buffer.allocUnsafe(BSON.calculateObjectSize(document));
  try {
    const last = BSON.serializeWithBufferAndIndex(document, out);
    if (last + 1 === out.length) return out;
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
  }
  const bytes = BSON.serialize(document);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * The `bson` codec: the value is wrapped in the document `{data: value}` (BSON needs a document at the
 * top level), as HKube's worker and wrappers do on the socket and in storage. Integers outside int32
 * become doubles; Buffers become binary subtype 0 and decode to Buffers.
 */
export const bsonCodec: Codec = {
  name: 'bson',
  protocolType: PROTOCOL_TYPE.bson,
  binary: true,
  encode(value: unknown): Buffer {
    const document = { data: value };
    try {
      return serializeSized(document);
    } catch (cause) {
      throw new EncodeError('bson', { cause });
    }
  },
  decode(bytes: BinaryInput | string): DecodeResult<unknown> {
    if (typeof bytes === 'string') {
      return fail(new FrameDecodeError('bson', bytes.length, { cause: new TypeError('a text frame cannot hold bson') }));
    }
    try {
      const document = BSON.deserialize(asBuffer(bytes), DESERIALIZE_OPTIONS) as { data?: unknown };
      return ok(document.data);
    } catch (cause) {
      return fail(new FrameDecodeError('bson', inputLength(bytes), { cause }));
    }
  },
};
