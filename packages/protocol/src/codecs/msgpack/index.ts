import { MsgpackReader } from './reader.js';

export { encodeMsgpack } from './encode.js';
export { MsgpackSyntaxError, MsgpackValueError, type MsgpackSyntaxReason, type MsgpackValueReason } from './errors.js';

const reader = new MsgpackReader();

/**
 * Decodes one msgpack value exactly as @msgpack/msgpack 2.8.0's `decode` does (the library HKube
 * components decode with), only faster: `bin` and extension data come back as Buffer views of
 * `bytes`, not copies. Throws `MsgpackSyntaxError` for an input the library would reject.
 *
 * @example
 * ```ts
 * decodeMsgpack(Buffer.from([0x81, 0xa1, 0x61, 0x01])); // { a: 1 }
 * ```
 */
export function decodeMsgpack(bytes: Buffer): unknown {
  return reader.read(bytes);
}
