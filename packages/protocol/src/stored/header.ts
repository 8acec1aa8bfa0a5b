import { PROTOCOL_TYPE, type ProtocolType } from '../codecs/types.js';

/** Length of the `HK` header that precedes stored and peer payloads. */
export const HEADER_LENGTH = 8;

/** Byte 0 of the header. */
export const HEADER_VERSION = 0x01;

/** Byte 2 of the header: raw bytes (the user's Buffer as-is) or an encoded value. */
export const DATA_TYPE = { raw: 0x01, encoded: 0x02 } as const;

/** One of the {@link DATA_TYPE} values. */
export type DataType = (typeof DATA_TYPE)[keyof typeof DATA_TYPE];

const MAGIC_H = 0x48;
const MAGIC_K = 0x4b;

/** The fields of an `HK` header. */
export interface StoredHeader {
  /** Whether the payload is raw bytes or an encoded value. */
  readonly dataType: DataType;
  /** Which codec encoded the payload (0 when the writer did not say, as with `protoc`). */
  readonly protocolType: ProtocolType | 0;
}

/**
 * Builds the 8-byte header `01 08 <dataType> <protocolType> 00 00 48 4B`.
 *
 * @example
 * ```ts
 * createHeader(DATA_TYPE.encoded, PROTOCOL_TYPE.msgpack); // <01 08 02 03 00 00 48 4b>
 * ```
 */
export function createHeader(dataType: DataType, protocolType: ProtocolType): Buffer {
  const header = Buffer.allocUnsafe(HEADER_LENGTH);
  header[0] = HEADER_VERSION;
  header[1] = HEADER_LENGTH;
  header[2] = dataType;
  header[3] = protocolType;
  header[4] = 0;
  header[5] = 0;
  header[6] = MAGIC_H;
  header[7] = MAGIC_K;
  return header;
}

function isProtocolType(value: number): value is ProtocolType {
  return value === PROTOCOL_TYPE.bson || value === PROTOCOL_TYPE.json || value === PROTOCOL_TYPE.msgpack;
}

/**
 * Reads a header that is known to be one (an S3 `header` metadata value, a ZeroMQ frame). Only the
 * magic and the data type are required, as in HKube's readers; returns `undefined` when even those
 * are missing.
 */
export function readHeader(bytes: Uint8Array): StoredHeader | undefined {
  if (bytes.length < HEADER_LENGTH) return undefined;
  const dataType = bytes[2];
  const protocolType = bytes[3] ?? 0;
  if (bytes[6] !== MAGIC_H || bytes[7] !== MAGIC_K) return undefined;
  if (dataType !== DATA_TYPE.raw && dataType !== DATA_TYPE.encoded) return undefined;
  return { dataType, protocolType: isProtocolType(protocolType) ? protocolType : 0 };
}

/**
 * Strict sniffing of a header at the start of a blob: every byte must be as a writer puts it
 * (`01 08`, data type 1 or 2, protocol 1–3, `00 00`, `HK`). Stricter than `@hkube/encoding`, which
 * only checks the magic and so mistakes a headerless msgpack `{abcdHK: 1}` for headered data; no
 * valid headerless json, bson or msgpack blob can pass this test.
 */
export function sniffHeader(blob: Uint8Array): StoredHeader | undefined {
  if (blob.length < HEADER_LENGTH) return undefined;
  if (blob[0] !== HEADER_VERSION || blob[1] !== HEADER_LENGTH || blob[4] !== 0 || blob[5] !== 0) return undefined;
  const protocolType = blob[3] ?? 0;
  if (!isProtocolType(protocolType)) return undefined;
  return readHeader(blob);
}
