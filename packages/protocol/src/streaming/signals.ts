/**
 * The 1-byte signal frames of HKube's streaming protocol (data-plane §4.2), as the Node and Python
 * wrappers define them.
 *
 * @module
 */

/** Signal bytes: the first frame of every stream message, and the filler frame of READY. */
export const STREAM_SIGNAL = {
  /** Consumer → producer: send me the next message. */
  READY: 0x01,
  /** Consumer → producer: the last message was handled (`{duration}` follows). */
  DONE: 0x02,
  /** The filler third frame of READY. */
  EMPTY: 0x03,
  /** Producer → consumer: a message follows (flow, header, payload). */
  MSG: 0x04,
  /** Producer → consumer: nothing is queued for you. */
  NO_MSG: 0x05,
} as const;

/** One of the {@link STREAM_SIGNAL} bytes. */
export type StreamSignal = (typeof STREAM_SIGNAL)[keyof typeof STREAM_SIGNAL];

/**
 * Ready-made 1-byte frames, one per signal. Shared and frozen in spirit: send them, never write to them.
 * Sockets may keep a reference while sending, so they are fresh `Buffer`s that nobody mutates.
 */
export const SIGNAL_FRAME: Readonly<Record<keyof typeof STREAM_SIGNAL, Uint8Array>> = {
  READY: Uint8Array.of(STREAM_SIGNAL.READY),
  DONE: Uint8Array.of(STREAM_SIGNAL.DONE),
  EMPTY: Uint8Array.of(STREAM_SIGNAL.EMPTY),
  MSG: Uint8Array.of(STREAM_SIGNAL.MSG),
  NO_MSG: Uint8Array.of(STREAM_SIGNAL.NO_MSG),
};

/** The signal carried by a frame: its only byte, or `undefined` when the frame is not exactly one byte. */
export function readSignal(frame: Uint8Array | undefined): number | undefined {
  return frame !== undefined && frame.byteLength === 1 ? frame[0] : undefined;
}
