import { BSON } from 'bson';
import { EncodeError, FrameDecodeError, fail, ok, type DecodeResult } from '../errors/index.js';
import { asBuffer, inputLength } from './bytes.js';
import { PROTOCOL_TYPE, type BinaryInput, type Codec } from './types.js';

const DESERIALIZE_OPTIONS = { promoteBuffers: true, promoteValues: true } as const;

/**
 * Serializes through bson's reusable internal buffer and one copy out (`serializeWithBufferAndIndex`
 * would copy twice, and pre-sizing costs a walk of the value). A document larger than that buffer
 * (17 MiB) is retried with a buffer sized from `calculateObjectSize`, with slack because bson 6
 * undercounts `-0` (sized as an int32, written as a double).
 */
function serialize(document: { data: unknown }): Buffer {
  let bytes: Uint8Array;
  try {
    bytes = BSON.serialize(document);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    // Honoured by bson 6 at run time, though missing from its types. The grown buffer is kept by bson
    // for later calls, as @hkube/encoding's bson 4 keeps it.
    const options: BSON.SerializeOptions & { minInternalBufferSize: number } = {
      minInternalBufferSize: Math.ceil(BSON.calculateObjectSize(document) * 1.5) + 64,
    };
    bytes = BSON.serialize(document, options);
  }
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
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
      return serialize(document);
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
