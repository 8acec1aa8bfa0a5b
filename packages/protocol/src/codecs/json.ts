import { EncodeError, FrameDecodeError, fail, ok, type DecodeResult } from '../errors/index.js';
import { asBuffer, inputLength } from './bytes.js';
import { PROTOCOL_TYPE, type BinaryInput, type Codec } from './types.js';

/**
 * Strict JSON text, as `JSON.stringify` writes it (what HKube's worker parses). `undefined` at the top
 * level becomes `null`, since the worker would otherwise receive an empty, unparsable frame.
 */
export function encodeJsonText(value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (cause) {
    throw new EncodeError('json', { cause });
  }
  return text ?? 'null';
}

/** The `json` codec: text on the socket, UTF-8 bytes in storage. Binary data does not survive it. */
export const jsonCodec: Codec = {
  name: 'json',
  protocolType: PROTOCOL_TYPE.json,
  binary: false,
  encode(value: unknown): Buffer {
    return Buffer.from(encodeJsonText(value), 'utf8');
  },
  decode(bytes: BinaryInput | string): DecodeResult<unknown> {
    try {
      const text = typeof bytes === 'string' ? bytes : asBuffer(bytes).toString('utf8');
      return ok(JSON.parse(text) as unknown);
    } catch (cause) {
      return fail(new FrameDecodeError('json', inputLength(bytes), { cause }));
    }
  },
};
