import type { MsgpackKey, MsgpackReader } from './reader.js';

/** A container being filled: an array, or a map with the key of the value being read. */
interface Frame {
  readonly array: unknown[] | undefined;
  readonly map: Record<MsgpackKey, unknown> | undefined;
  readonly size: number;
  filled: number;
  key: MsgpackKey;
}

function open(isMap: boolean, size: number): Frame {
  return isMap
    ? { array: undefined, map: {}, size, filled: 0, key: '' }
    : { array: new Array<unknown>(size), map: undefined, size, filled: 0, key: '' };
}

function put(frame: Frame, value: unknown): void {
  if (frame.map !== undefined) frame.map[frame.key] = value;
  else frame.array![frame.filled] = value;
  frame.filled++;
}

function isMapHead(head: number): boolean {
  return (head >= 0x80 && head < 0x90) || head === 0xde || head === 0xdf;
}

/**
 * Reads the items of a container (its head and size already consumed) with a stack on the heap, so
 * that nesting of any depth (the input's size is the only bound) cannot overflow the call stack.
 */
export function readNested(reader: MsgpackReader, isMap: boolean, size: number): unknown {
  const stack: Frame[] = [];
  let frame = open(isMap, size);
  for (;;) {
    if (frame.filled === frame.size) {
      const done = frame.map ?? frame.array;
      const parent = stack.pop();
      if (parent === undefined) return done;
      put(parent, done);
      frame = parent;
      continue;
    }
    if (frame.map !== undefined) frame.key = reader.key();
    const head = reader.byte();
    const childSize = reader.containerSize(head);
    if (childSize < 0) {
      put(frame, reader.scalar(head));
    } else {
      stack.push(frame);
      frame = open(isMapHead(head), childSize);
    }
  }
}
