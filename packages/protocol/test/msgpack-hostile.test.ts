import { encode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import { FrameDecodeError, getCodec } from '../src/index.js';
import { MsgpackSyntaxError, type MsgpackSyntaxReason } from '../src/codecs/msgpack/index.js';
import { expectSameOutcome, libraryDecoder, sameValue } from './msgpack-oracle.js';

const codec = getCodec('msgpack');

function expectRejected(bytes: Buffer, reason: MsgpackSyntaxReason): void {
  const read = codec.decode(bytes);
  expect(read.ok).toBe(false);
  if (read.ok) return;
  expect(read.error).toBeInstanceOf(FrameDecodeError);
  expect(read.error.cause).toBeInstanceOf(MsgpackSyntaxError);
  expect((read.error.cause as MsgpackSyntaxError).reason).toBe(reason);
}

function nested(levels: number, open: number[], leaf: number[]): Buffer {
  const bytes = Buffer.alloc(levels * open.length + leaf.length);
  for (let i = 0; i < levels; i++) bytes.set(open, i * open.length);
  bytes.set(leaf, levels * open.length);
  return bytes;
}

/** Walks `levels` single-item containers iteratively (a recursive comparison would overflow). */
function unwrap(value: unknown, levels: number, step: (container: unknown) => unknown): unknown {
  let current = value;
  for (let i = 0; i < levels; i++) current = step(current);
  return current;
}

describe('msgpack decoder on hostile input', () => {
  it('refuses huge declared lengths at once, without allocating for them', () => {
    const huge = [0xff, 0xff, 0xff, 0xff];
    for (const head of [0xdb, 0xc6, 0xc9, 0xdd, 0xdf]) {
      const bytes = Buffer.from([head, ...huge, 1, 2, 3]);
      expectRejected(bytes, 'truncated');
      expectSameOutcome(bytes);
    }
    // A 16-bit count of maps larger than the bytes left: each entry needs at least two.
    expectRejected(Buffer.from([0xde, 0x00, 0x03, 0x01, 0x02, 0x03, 0x04, 0x05]), 'truncated');
  });

  it('decodes 100,000 nested arrays and maps like the library, and reports them cut short', () => {
    const levels = 100_000;
    const arrays = nested(levels, [0x91], [0x2a]);
    const maps = nested(levels, [0x81, 0xa1, 0x6b], [0xc3]);
    const ours = codec.decode(arrays);
    const theirs = libraryDecoder.decode(arrays);
    expect(ours.ok).toBe(true);
    if (ours.ok) expect(unwrap(ours.value, levels, (a) => (a as unknown[])[0])).toBe(unwrap(theirs, levels, (a) => (a as unknown[])[0]));
    const oursMaps = codec.decode(maps);
    expect(oursMaps.ok).toBe(true);
    if (oursMaps.ok) expect(unwrap(oursMaps.value, levels, (m) => (m as { k: unknown }).k)).toBe(true);
    expectRejected(arrays.subarray(0, arrays.length - 1), 'truncated');
    expectRejected(nested(levels, [0x81, 0x91], [0x01]), 'invalid-map-key');
  });

  it('decodes wide trees across the depth where recursion gives way to a stack', () => {
    // Siblings before and after deep subtrees exercise the switch in both directions.
    let value: unknown = { leaf: [1, 'two', Buffer.from('3')] };
    for (let i = 0; i < 1200; i++) value = i % 3 === 0 ? [i, value, { after: i }] : { before: i, inner: value, tail: [i] };
    expectSameOutcome(Buffer.from(encode(value, { maxDepth: 5000 })));
  });

  it('fails with a typed error when a valid message is cut at any byte, and on trailing bytes', () => {
    const message = Buffer.from(encode({
      command: 'done', data: { n: [1, -200, 70_000, 2 ** 40, -(2 ** 40), 0.5], text: 'héllo '.repeat(40), bin: Buffer.from('xyz'), at: new Date(1e12 + 1) },
    }));
    for (let length = 0; length < message.length; length++) {
      expectRejected(message.subarray(0, length), 'truncated');
      expectSameOutcome(message.subarray(0, length));
    }
    const padded = Buffer.concat([message, Buffer.from([0xc0, 0xc0])]);
    expectRejected(padded, 'extra-bytes');
    expectSameOutcome(padded);
  });

  it('rejects map keys the library rejects: __proto__, nil, booleans, binary and containers', () => {
    for (const key of [[0xa9, ...Buffer.from('__proto__')], [0xc0], [0xc3], [0xc4, 0x01, 0x61], [0x90], [0x80], [0xd6, 0xff, 0, 0, 0, 0]]) {
      const bytes = Buffer.from([0x81, ...key, 0x01]);
      expectRejected(bytes, 'invalid-map-key');
      expectSameOutcome(bytes);
    }
    const numberKeys = Buffer.from([0x83, 0x01, 0xc0, 0xff, 0xc2, 0xcb, ...Buffer.from([0x3f, 0xf8, 0, 0, 0, 0, 0, 0]), 0xc3]);
    const read = codec.decode(numberKeys);
    expect(read.ok && sameValue(read.value, { 1: null, '-1': false, 1.5: true })).toBe(true);
    expectSameOutcome(numberKeys);
  });
});
