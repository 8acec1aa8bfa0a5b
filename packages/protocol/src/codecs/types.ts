import type { DecodeResult } from '../errors/index.js';

/** The encodings HKube speaks on the worker socket and in storage. */
export type EncodingName = 'json' | 'bson' | 'msgpack';

/** Every {@link EncodingName}, in the order HKube lists them. */
export const ENCODING_NAMES: readonly EncodingName[] = ['json', 'bson', 'msgpack'];

/** True when `value` names an encoding hkube-ts supports. */
export function isEncodingName(value: unknown): value is EncodingName {
  return value === 'json' || value === 'bson' || value === 'msgpack';
}

/** Byte 3 of the `HK` storage header: which codec encoded the payload. */
export const PROTOCOL_TYPE = { bson: 0x01, json: 0x02, msgpack: 0x03 } as const satisfies Record<EncodingName, number>;

/** One of the {@link PROTOCOL_TYPE} values. */
export type ProtocolType = (typeof PROTOCOL_TYPE)[EncodingName];

/** Bytes the codecs accept: a Node `Buffer`, any `Uint8Array`, or an `ArrayBuffer`. */
export type BinaryInput = Uint8Array | ArrayBuffer;

/**
 * A value codec exactly as HKube's `@hkube/encoding` applies it to a payload: `bson` wraps the value
 * in the document `{data: value}`, `msgpack` and `json` encode the bare value.
 *
 * `encode` throws an `EncodeError` for values the encoding cannot carry; `decode` never throws.
 *
 * @example
 * ```ts
 * const codec = getCodec('msgpack');
 * const bytes = codec.encode({ a: 1 });          // <81 a1 61 01>
 * const back = codec.decode(bytes);              // { ok: true, value: { a: 1 } }
 * ```
 */
export interface Codec {
  /** The encoding's name, as in the `encoding` query parameter and `STORAGE_ENCODING`. */
  readonly name: EncodingName;
  /** The protocol byte this codec writes in the `HK` header. */
  readonly protocolType: ProtocolType;
  /** False for `json`, whose socket frames are text and which cannot carry binary data. */
  readonly binary: boolean;
  /** Encodes `value`. The returned Buffer is owned by the caller. Throws `EncodeError`. */
  encode(value: unknown): Buffer;
  /** Decodes `bytes` (a text frame's string is accepted by `json`). Never throws. */
  decode(bytes: BinaryInput | string): DecodeResult<unknown>;
}
