import { ExtData } from '@msgpack/msgpack';
import { MsgpackSyntaxError } from './errors.js';

/** The msgpack extension type of timestamps (spec: "Timestamp extension type"). */
const TIMESTAMP = -1;

/**
 * The value of an extension: a `Date` for the timestamp type -1, an `ExtData` (the library's class,
 * holding a view of the input) for any other type, as @msgpack/msgpack's default codec returns.
 */
export function readExtension(type: number, data: Buffer, offset: number): Date | ExtData {
  return type === TIMESTAMP ? readTimestamp(data, offset) : new ExtData(type, data);
}

function u32(data: Buffer, at: number): number {
  return data[at]! * 0x1000000 + ((data[at + 1]! << 16) | (data[at + 2]! << 8) | data[at + 3]!);
}

// timestamp 32 = seconds; timestamp 64 = 30-bit nanoseconds and 34-bit seconds; timestamp 96 =
// 32-bit nanoseconds and signed 64-bit seconds. The arithmetic is the library's, so the Date
// (rounding included) is the same.
function readTimestamp(data: Buffer, offset: number): Date {
  let seconds: number;
  let nanoseconds: number;
  switch (data.length) {
    case 4:
      seconds = u32(data, 0);
      nanoseconds = 0;
      break;
    case 8: {
      const head = u32(data, 0);
      seconds = (head & 0x3) * 0x100000000 + u32(data, 4);
      nanoseconds = head >>> 2;
      break;
    }
    case 12:
      seconds = (data[4]! << 24 | data[5]! << 16 | data[6]! << 8 | data[7]!) * 0x100000000 + u32(data, 8);
      nanoseconds = u32(data, 0);
      break;
    default:
      throw new MsgpackSyntaxError('invalid-timestamp', offset, `a timestamp holds 4, 8 or 12 bytes, not ${data.length}`);
  }
  return new Date(seconds * 1e3 + nanoseconds / 1e6);
}
