import { ProtocolError } from '../errors/protocol-errors.js';
import type { HkubeErrorOptions } from '../errors/base.js';

/** Which side of the stream sent the frames: `consumer` (READY, DONE) or `producer` (MSG, NO_MSG). */
export type StreamFrameSender = 'consumer' | 'producer';

/**
 * A stream message (data-plane §4.2) that does not follow the framing: wrong frame count, unknown
 * signal, undecodable name/flow/ack frame, a flow that is not `[{source, next[]}]`. The receiver drops
 * it and keeps going.
 *
 * @example
 * ```ts
 * const read = parseConsumerFrames(codec, frames);
 * if (!read.ok) logger.warn(`dropped: ${read.error.message}`); // read.error.code === 'STREAM_FRAME_INVALID'
 * ```
 */
export class StreamFrameError extends ProtocolError {
  readonly code = 'STREAM_FRAME_INVALID' as const;
  /** Who sent the frames. */
  readonly sender: StreamFrameSender;
  /** The signal byte of the first frame, when it was a single byte. */
  readonly signal: number | undefined;
  /** How many frames the message had (without the ROUTER's identity frame). */
  readonly frameCount: number;
  /** What is wrong, e.g. `expected 3 frames`. */
  readonly problem: string;

  constructor(sender: StreamFrameSender, signal: number | undefined, frameCount: number, problem: string, options: HkubeErrorOptions = {}) {
    const reason = options.cause instanceof Error ? `: ${options.cause.message}` : '';
    const what = signal === undefined ? 'message' : `message with signal 0x${signal.toString(16).padStart(2, '0')}`;
    super(`invalid stream ${what} from a ${sender} (${frameCount} frame(s)): ${problem}${reason}`, options);
    this.sender = sender;
    this.signal = signal;
    this.frameCount = frameCount;
    this.problem = problem;
  }
}
