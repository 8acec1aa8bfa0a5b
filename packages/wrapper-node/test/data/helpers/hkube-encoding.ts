import { createRequire } from 'node:module';

/** The part of `@hkube/encoding` 2.0.1's `Encoding` class the tests use (the package ships no types). */
export interface HkubeEncoding {
  encode(value: unknown, options?: { customEncode?: boolean }): Buffer;
  encodeHeaderPayload(value: unknown): { header: Buffer; payload: Buffer };
  decode(value: Buffer, options?: { customEncode?: boolean }): unknown;
  decodeHeaderPayload(header: Buffer, payload: Buffer): unknown;
}

type EncodingConstructor = new (options: { type: 'bson' | 'msgpack' | 'json' }) => HkubeEncoding;

const require = createRequire(import.meta.url);
const { Encoding } = require('@hkube/encoding') as { Encoding: EncodingConstructor };

/** HKube's own encoder, as used by its worker and Node wrapper. */
export function hkubeEncoding(type: 'bson' | 'msgpack' | 'json'): HkubeEncoding {
  return new Encoding({ type });
}
