import { UnsupportedEncodingError } from '../errors/index.js';
import { bsonCodec } from './bson.js';
import { jsonCodec } from './json.js';
import { msgpackCodec } from './msgpack.js';
import { isEncodingName, type Codec, type EncodingName } from './types.js';

export { bsonCodec } from './bson.js';
export { jsonCodec, encodeJsonText } from './json.js';
export { msgpackCodec } from './msgpack.js';
export * from './types.js';

const CODECS: Record<EncodingName, Codec> = { json: jsonCodec, bson: bsonCodec, msgpack: msgpackCodec };

/**
 * The codec for an encoding name. Throws `UnsupportedEncodingError` for any other name, so a bad
 * `STORAGE_ENCODING` or `encoding` query fails at start-up rather than on the first frame.
 *
 * @example
 * ```ts
 * const codec = getCodec(process.env.STORAGE_ENCODING ?? 'bson');
 * ```
 */
export function getCodec(name: string): Codec {
  if (!isEncodingName(name)) throw new UnsupportedEncodingError(name);
  return CODECS[name];
}
