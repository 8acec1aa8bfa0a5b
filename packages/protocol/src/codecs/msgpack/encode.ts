import { writeValue } from './write-value.js';
import { MsgpackWriter } from './writer.js';

// One writer for the process keeps its scratch buffer between encodes. An encode started while
// another runs (a getter in the value that encodes something itself) gets a writer of its own.
const shared = new MsgpackWriter();
let busy = false;

/**
 * Encodes `value` exactly as @msgpack/msgpack 2.8.0's `encode` with default options does (the bytes
 * @hkube/encoding and every HKube Node component write), only faster, into a Buffer the caller owns.
 * Throws `MsgpackValueError` where the library throws; errors thrown by the value itself (a getter,
 * a Date's `getTime`) pass through.
 *
 * @example
 * ```ts
 * encodeMsgpack({ a: 1 }); // <Buffer 81 a1 61 01>
 * ```
 */
export function encodeMsgpack(value: unknown): Buffer {
  if (busy) return encodeWith(new MsgpackWriter(), value);
  busy = true;
  try {
    return encodeWith(shared, value);
  } finally {
    busy = false;
  }
}

function encodeWith(w: MsgpackWriter, value: unknown): Buffer {
  w.start();
  writeValue(w, value, 1);
  return w.finish();
}
