import { encode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import { getCodec } from '../src/index.js';

const codec = getCodec('msgpack');
const bytes = (size: number, seed: number): Buffer => {
  const buffer = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) buffer[i] = (i * 31 + seed) & 0xff;
  return buffer;
};

// Large binaries are spliced into the result instead of being copied into the encoder's scratch buffer
// first: the bytes must stay exactly @msgpack/msgpack's.
describe('msgpack encoding of binaries (spliced from 64 KiB on)', () => {
  const big = bytes(1024 * 1024, 1);
  const inside = bytes(300_000, 2);
  const cases: [string, unknown][] = [
    ['just under the threshold', bytes(0xffff, 3)],
    ['exactly the threshold', bytes(0x10000, 4)],
    ['a 1 MiB Buffer in a message', { command: 'done', data: { result: big } }],
    ['several, between other values', [1, big, 'x', { a: bytes(0x10000, 5), b: [bytes(10, 6), inside] }, null]],
    ['a view with an offset', { v: inside.subarray(1000, 1000 + 0x20000) }],
    ['a Float64Array', { f: new Float64Array(20_000).fill(1.5) }],
    ['an empty Buffer', Buffer.alloc(0)],
  ];
  it.each(cases)('%s: the same bytes as @msgpack/msgpack', (_name, value) => {
    const ours = codec.encode(value);
    expect(Buffer.compare(ours, Buffer.from(encode(value)))).toBe(0);
  });

  it('the result owns its bytes: changing the input afterwards does not change it', () => {
    const input = bytes(0x20000, 7);
    const frame = codec.encode({ input });
    const copy = Buffer.from(frame);
    input.fill(0);
    expect(Buffer.compare(frame, copy)).toBe(0);
  });

  it('an encode that fails half-way leaves nothing behind for the next one', () => {
    expect(() => codec.encode({ a: bytes(0x20000, 8), b: () => 1 })).toThrow();
    const value = { ok: bytes(0x10000, 9) };
    expect(Buffer.compare(codec.encode(value), Buffer.from(encode(value)))).toBe(0);
  });
});
