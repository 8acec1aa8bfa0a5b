/**
 * Pure builders and parsers of the four stream messages of data-plane §4.2. Frames are exactly what
 * the DEALER sends and what the ROUTER delivers after the identity frame; there is no empty delimiter.
 * The name, flow and ack frames are plain `DISCOVERY_ENCODING` values, without an `HK` header.
 *
 * @module
 */
import type { Codec } from '../codecs/types.js';
import { fail, ok, type DecodeResult } from '../errors/result.js';
import type { StreamFlowStep } from '../messages/initialize.js';
import { isPlainObject } from '../messages/shape.js';
import { HEADER_LENGTH } from '../stored/header.js';
import { StreamFrameError, type StreamFrameSender } from './errors.js';
import { validateStreamFlow } from './flow.js';
import { SIGNAL_FRAME, STREAM_SIGNAL, readSignal } from './signals.js';

/** What a producer receives from a listener. */
export type ConsumerMessage =
  | { readonly kind: 'ready'; readonly consumerName: string }
  | { readonly kind: 'done'; readonly consumerName: string; readonly durationMs: number };

/** What a listener receives from a producer. */
export type ProducerMessage =
  | {
      readonly kind: 'message';
      /** The sender's rest of flow. */
      readonly flow: readonly StreamFlowStep[];
      /** The 8-byte `HK` header (a view of the received frame). */
      readonly header: Uint8Array;
      /** The payload (a view of the received frame). */
      readonly payload: Uint8Array;
    }
  | { readonly kind: 'noMessage' };

/**
 * READY: `[0x01, encode(consumerName), 0x03]`. The frames never change for a listener, so build them once.
 *
 * @example
 * ```ts
 * await dealer.send(encodeReadyFrames(getCodec('msgpack'), 'B'));
 * ```
 */
export function encodeReadyFrames(codec: Codec, consumerName: string): Uint8Array[] {
  return [SIGNAL_FRAME.READY, codec.encode(consumerName), SIGNAL_FRAME.EMPTY];
}

/**
 * DONE: `[0x02, encodedName, encode({duration})]`, `durationMs` being the handler's time in ms (a float).
 * Pass the name frame of {@link encodeReadyFrames} (index 1) to avoid encoding it per message.
 */
export function encodeDoneFrames(codec: Codec, encodedConsumerName: Uint8Array, durationMs: number): Uint8Array[] {
  return [SIGNAL_FRAME.DONE, encodedConsumerName, codec.encode({ duration: durationMs })];
}

/** The plain encoding of a rest-of-flow, for {@link encodeMessageFrames}. Throws `EncodeError` only for non-flow values. */
export function encodeStreamFlow(codec: Codec, flow: readonly StreamFlowStep[]): Buffer {
  return codec.encode(flow);
}

/** MESSAGE: `[0x04, encodedFlow, header, payload]` (the ROUTER prepends the listener's identity). */
export function encodeMessageFrames(encodedFlow: Uint8Array, header: Uint8Array, payload: Uint8Array): Uint8Array[] {
  return [SIGNAL_FRAME.MSG, encodedFlow, header, payload];
}

/** NO MESSAGE: `[0x05]`. */
export function encodeNoMessageFrames(): Uint8Array[] {
  return [SIGNAL_FRAME.NO_MSG];
}

function invalid(sender: StreamFrameSender, frames: readonly Uint8Array[], problem: string, cause?: unknown): { readonly ok: false; readonly error: StreamFrameError } {
  return fail(new StreamFrameError(sender, readSignal(frames[0]), frames.length, problem, cause === undefined ? {} : { cause }));
}

/** The consumer name in a READY/DONE name frame, or why the frame holds none. */
export type ConsumerNameRead = { readonly name: string } | { readonly problem: string; readonly cause?: unknown };

/** Reads a consumer-name frame; see {@link createConsumerNameReader}. */
export type ConsumerNameReader = (frame: Uint8Array) => ConsumerNameRead;

function readName(codec: Codec, frame: Uint8Array): ConsumerNameRead {
  const decoded = codec.decode(frame);
  if (!decoded.ok) return { problem: 'the consumer name frame cannot be decoded', cause: decoded.error };
  if (typeof decoded.value !== 'string' || decoded.value === '') return { problem: 'the consumer name frame is not a non-empty string' };
  return { name: decoded.value };
}

/**
 * A name-frame reader for a producer: its few children send the same name frame with every READY and
 * DONE, so valid names are remembered by their bytes (up to `maxNames`) instead of decoded each time.
 */
export function createConsumerNameReader(codec: Codec, maxNames = 64): ConsumerNameReader {
  const known = new Map<string, ConsumerNameRead>();
  return (frame) => {
    const key = Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength).toString('latin1');
    const cached = known.get(key);
    if (cached !== undefined) return cached;
    const read = readName(codec, frame);
    if ('name' in read && known.size < maxNames) known.set(key, read);
    return read;
  };
}

/**
 * Reads a READY or DONE as the ROUTER delivers it (identity frame removed). Never throws: a wrong frame
 * count, an unknown signal, an undecodable name or a `{duration}` that is not a finite number is a
 * `StreamFrameError`. A producer passes its {@link createConsumerNameReader} to skip decoding names.
 *
 * @example
 * ```ts
 * const [identity, ...frames] = await router.receive();
 * const read = parseConsumerFrames(codec, frames);
 * if (read.ok && read.value.kind === 'ready') serve(identity, read.value.consumerName);
 * ```
 */
export function parseConsumerFrames(
  codec: Codec,
  frames: readonly Uint8Array[],
  readConsumerName: ConsumerNameReader = (frame) => readName(codec, frame),
): DecodeResult<ConsumerMessage, StreamFrameError> {
  const signal = readSignal(frames[0]);
  if (signal !== STREAM_SIGNAL.READY && signal !== STREAM_SIGNAL.DONE) return invalid('consumer', frames, 'the first frame is not READY (0x01) or DONE (0x02)');
  if (frames.length !== 3) return invalid('consumer', frames, 'expected 3 frames');
  const name = readConsumerName(frames[1] as Uint8Array);
  if (!('name' in name)) return invalid('consumer', frames, name.problem, name.cause);
  if (signal === STREAM_SIGNAL.READY) return ok({ kind: 'ready', consumerName: name.name });
  const ack = codec.decode(frames[2] as Uint8Array);
  if (!ack.ok) return invalid('consumer', frames, 'the ack frame cannot be decoded', ack.error);
  const duration = isPlainObject(ack.value) ? ack.value.duration : undefined;
  if (typeof duration !== 'number' || !Number.isFinite(duration)) return invalid('consumer', frames, 'the ack frame is not {duration: <finite number>}');
  return ok({ kind: 'done', consumerName: name.name, durationMs: duration });
}

/** Decodes and validates a flow frame; see {@link createStreamFlowReader}. */
export type StreamFlowReader = (frame: Uint8Array) => DecodeResult<readonly StreamFlowStep[], StreamFrameError>;

/**
 * A flow-frame reader that remembers the last frame: a producer sends the same rest of flow with most
 * messages, so an identical frame returns the previous (frozen) flow without decoding, and the same
 * object each time, which keeps per-flow caches downstream warm.
 *
 * @example
 * ```ts
 * const readFlow = createStreamFlowReader(codec);
 * const read = parseProducerFrames(codec, frames, readFlow);
 * ```
 */
export function createStreamFlowReader(codec: Codec): StreamFlowReader {
  let lastFrame: Buffer | undefined;
  let lastFlow: readonly StreamFlowStep[] = [];
  return (frame) => {
    const bytes = Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
    if (lastFrame !== undefined && lastFrame.equals(bytes)) return ok(lastFlow);
    const decoded = codec.decode(bytes);
    if (!decoded.ok) return invalid('producer', [], 'the flow frame cannot be decoded', decoded.error);
    const flow = validateStreamFlow(decoded.value);
    if (!flow.ok) return invalid('producer', [], 'the flow frame is not a flow', flow.error);
    lastFrame = Buffer.from(bytes); // a copy: the caller may reuse the frame's memory
    lastFlow = Object.freeze(flow.value.map((step) => Object.freeze({ ...step, next: Object.freeze([...step.next]) })));
    return ok(lastFlow);
  };
}

/**
 * Reads a MESSAGE or NO MESSAGE as the DEALER receives it. Never throws: a wrong frame count, an unknown
 * signal, a header that is not 8 bytes, or a flow frame that is not `[{source, next[]}]` is a
 * `StreamFrameError`. `header` and `payload` are the received frames themselves (no copy). Pass a
 * listener's {@link createStreamFlowReader} as `readFlow` to skip decoding repeated flows.
 */
export function parseProducerFrames(
  codec: Codec,
  frames: readonly Uint8Array[],
  readFlow: StreamFlowReader = createStreamFlowReader(codec),
): DecodeResult<ProducerMessage, StreamFrameError> {
  const signal = readSignal(frames[0]);
  if (signal === STREAM_SIGNAL.NO_MSG) {
    return frames.length === 1 ? ok({ kind: 'noMessage' }) : invalid('producer', frames, 'expected 1 frame');
  }
  if (signal !== STREAM_SIGNAL.MSG) return invalid('producer', frames, 'the first frame is not MSG (0x04) or NO_MSG (0x05)');
  if (frames.length !== 4) return invalid('producer', frames, 'expected 4 frames');
  const header = frames[2] as Uint8Array;
  if (header.byteLength !== HEADER_LENGTH) return invalid('producer', frames, `the header frame has ${header.byteLength} bytes, expected ${HEADER_LENGTH}`);
  const flow = readFlow(frames[1] as Uint8Array);
  if (!flow.ok) return invalid('producer', frames, flow.error.problem, flow.error.cause);
  return ok({ kind: 'message', flow: flow.value, header, payload: frames[3] as Uint8Array });
}
