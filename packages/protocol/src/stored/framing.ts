import { getCodecByProtocolType } from './protocol-codec.js';
import { asBuffer } from '../codecs/bytes.js';
import type { Codec } from '../codecs/types.js';
import { StoredDataError, fail, ok, type DecodeResult } from '../errors/index.js';
import { DATA_TYPE, HEADER_LENGTH, createHeader, readHeader, sniffHeader, type StoredHeader } from './header.js';

/** A stored or peer payload split as HKube keeps it: the 8-byte header and the payload bytes. */
export interface HeaderedPayload {
  /** The 8-byte `HK` header. */
  readonly header: Buffer;
  /** The payload: the encoded value, or the caller's own bytes for raw data (not copied). */
  readonly payload: Buffer;
}

/**
 * Encodes a value for storage or a peer: bytes (`Buffer` or any `Uint8Array`) are stored raw with
 * data type 1 and are **not copied** (the payload is a view of the caller's memory); anything else is
 * encoded with `codec` (data type 2). Throws `EncodeError` for values the codec cannot carry.
 *
 * `storageInfo.size` in a `storing` message is `payload.length`.
 *
 * @example
 * ```ts
 * const { header, payload } = encodeStored({ a: 1 }, getCodec('msgpack'));
 * await fs.writeFile(path, Buffer.concat([header, payload]));
 * ```
 */
export function encodeStored(value: unknown, codec: Codec): HeaderedPayload {
  if (value instanceof Uint8Array) {
    return { header: createHeader(DATA_TYPE.raw, codec.protocolType), payload: asBuffer(value) };
  }
  return { header: createHeader(DATA_TYPE.encoded, codec.protocolType), payload: codec.encode(value) };
}

function decodeWith(header: StoredHeader, payload: Buffer, fallback: Codec): DecodeResult<unknown> {
  if (header.dataType === DATA_TYPE.raw) return ok(payload);
  // Trust the protocol byte when it names a codec: a blob written by a component with another
  // STORAGE_ENCODING is still read correctly (Node and Python would misread it).
  const codec = header.protocolType === 0 ? fallback : getCodecByProtocolType(header.protocolType);
  return codec.decode(payload);
}

/**
 * Decodes a payload whose header travelled separately (S3 object metadata, a ZeroMQ frame). Without
 * a header the payload is decoded as a plain headerless value. Never throws.
 */
export function decodeStoredPayload(
  payload: Uint8Array,
  header: Uint8Array | undefined,
  codec: Codec,
): DecodeResult<unknown> {
  if (!(payload instanceof Uint8Array)) return fail(new StoredDataError('the payload is not binary data'));
  if (header !== undefined && !(header instanceof Uint8Array)) return fail(new StoredDataError('the header is not binary data'));
  const body = asBuffer(payload);
  if (header === undefined || header.length === 0) return codec.decode(body);
  const parsed = readHeader(header);
  if (parsed === undefined) {
    return fail(new StoredDataError(`the separate header (${header.length} bytes) is not an HK header`));
  }
  return decodeWith(parsed, body, codec);
}

/**
 * Decodes a whole stored blob (a file, an S3 body written by the v1 worker): a leading `HK` header is
 * recognised by strict sniffing; a headerless blob (flowInput, `result.json`) is decoded whole with
 * `codec`. A header with an empty payload yields an empty raw Buffer. Never throws.
 */
export function decodeStoredBlob(blob: Uint8Array, codec: Codec): DecodeResult<unknown> {
  if (!(blob instanceof Uint8Array)) return fail(new StoredDataError('the blob is not binary data'));
  const bytes = asBuffer(blob);
  const header = sniffHeader(bytes);
  if (header === undefined) {
    if (bytes.length === 0) return fail(new StoredDataError('the blob is empty'));
    return codec.decode(bytes);
  }
  return decodeWith(header, bytes.subarray(HEADER_LENGTH), codec);
}
