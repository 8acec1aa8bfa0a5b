import { asBuffer } from '../codecs/bytes.js';
import { getCodec } from '../codecs/index.js';
import { encodeJsonText, jsonCodec } from '../codecs/json.js';
import type { Codec, EncodingName } from '../codecs/types.js';
import { FrameDecodeError, fail, ok, type DecodeResult } from '../errors/index.js';
import { parseAlgorithmMessage, parseWorkerMessage, type AlgorithmMessage, type WorkerMessage } from '../messages/index.js';

/**
 * A frame as a WebSocket library hands it over: text as a string, binary as a Buffer, an ArrayBuffer
 * or a list of fragments.
 */
export type RawFrame = string | Uint8Array | ArrayBuffer | readonly Uint8Array[];

/**
 * Frames worker-socket messages in the negotiated encoding, exactly as HKube's worker does
 * (worker-protocol §2.2): `json` as a text frame, `bson` as the document `{data: message}`, `msgpack`
 * as the bare message. No `HK` header is ever used on the socket.
 *
 * Encoding throws `EncodeError` for a message the encoding cannot carry; reading never throws.
 *
 * @example
 * ```ts
 * const codec = createSocketCodec('bson');
 * socket.send(codec.encode({ command: 'initialized' }));
 * const read = codec.readWorkerMessage(frame);
 * if (read.ok) dispatch(read.value); else log(read.error);
 * ```
 */
export interface SocketCodec {
  /** The negotiated encoding. */
  readonly encoding: EncodingName;
  /** `text` for json (the worker sends text frames), `binary` otherwise. */
  readonly frameType: 'text' | 'binary';
  /** Encodes one message as a frame: a string for a text frame, a Buffer for a binary one. */
  encode(message: WorkerMessage | AlgorithmMessage): string | Buffer;
  /** Decodes a frame to whatever value it holds, without checking its shape. */
  decodeFrame(frame: RawFrame): DecodeResult<unknown>;
  /** Decodes and validates a frame sent by the worker (what the wrapper reads). */
  readWorkerMessage(frame: RawFrame): DecodeResult<WorkerMessage>;
  /** Decodes and validates a frame sent by an algorithm's wrapper (what a worker or the emulator reads). */
  readAlgorithmMessage(frame: RawFrame): DecodeResult<AlgorithmMessage>;
}

function joinFragments(frame: Exclude<RawFrame, string>): Uint8Array | ArrayBuffer {
  if (frame instanceof Uint8Array || frame instanceof ArrayBuffer) return frame;
  return frame.length === 1 && frame[0] !== undefined ? frame[0] : Buffer.concat(frame.map(asBuffer));
}

/** What both socket codecs share: validation on top of {@link SocketCodec.decodeFrame}. */
abstract class ValidatingSocketCodec implements SocketCodec {
  abstract readonly encoding: EncodingName;
  abstract readonly frameType: 'text' | 'binary';
  abstract encode(message: WorkerMessage | AlgorithmMessage): string | Buffer;
  abstract decodeFrame(frame: RawFrame): DecodeResult<unknown>;

  readWorkerMessage(frame: RawFrame): DecodeResult<WorkerMessage> {
    const decoded = this.decodeFrame(frame);
    return decoded.ok ? parseWorkerMessage(decoded.value) : decoded;
  }

  readAlgorithmMessage(frame: RawFrame): DecodeResult<AlgorithmMessage> {
    const decoded = this.decodeFrame(frame);
    return decoded.ok ? parseAlgorithmMessage(decoded.value) : decoded;
  }
}

/** `bson` and `msgpack`: binary frames through the storage codec of the same name. */
class BinarySocketCodec extends ValidatingSocketCodec {
  readonly encoding: EncodingName;
  readonly frameType = 'binary' as const;
  readonly #codec: Codec;

  constructor(codec: Codec) {
    super();
    this.#codec = codec;
    this.encoding = codec.name;
  }

  encode(message: WorkerMessage | AlgorithmMessage): Buffer {
    return this.#codec.encode(message);
  }

  decodeFrame(frame: RawFrame): DecodeResult<unknown> {
    try {
      return this.#codec.decode(typeof frame === 'string' ? frame : joinFragments(frame));
    } catch (cause) {
      // Only reachable for inputs that are not what the type says (e.g. a fragment list of numbers).
      return fail(new FrameDecodeError(this.encoding, 0, { cause }));
    }
  }
}

/**
 * `json`: text frames. A text frame is parsed with one `JSON.parse` call and nothing around it but
 * the result object: this is the path of every message of a json connection.
 */
class JsonSocketCodec extends ValidatingSocketCodec {
  readonly encoding = 'json' as const;
  readonly frameType = 'text' as const;

  encode(message: WorkerMessage | AlgorithmMessage): string {
    return encodeJsonText(message);
  }

  decodeFrame(frame: RawFrame): DecodeResult<unknown> {
    if (typeof frame === 'string') {
      try {
        return ok(JSON.parse(frame) as unknown);
      } catch (cause) {
        return fail(new FrameDecodeError('json', frame.length, { cause }));
      }
    }
    try {
      return jsonCodec.decode(joinFragments(frame));
    } catch (cause) {
      return fail(new FrameDecodeError('json', 0, { cause }));
    }
  }
}

/**
 * The socket codec for an encoding name (`json`, `bson` or `msgpack`). Throws
 * `UnsupportedEncodingError` for any other name.
 */
export function createSocketCodec(encoding: string): SocketCodec {
  const codec = getCodec(encoding);
  return codec.binary ? new BinarySocketCodec(codec) : new JsonSocketCodec();
}
