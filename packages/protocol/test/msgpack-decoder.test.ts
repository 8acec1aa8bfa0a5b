import { Decoder, ExtData, encode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import { getCodec } from '../src/index.js';
import { expectSameOutcome, uncachedLibraryDecoder } from './msgpack-oracle.js';
import { prng } from './random.js';

// Our msgpack decoder must return exactly what @msgpack/msgpack 2.8.0's decoder returns: the values
// below are where a naive decoder would differ from it.
const ALPHABET = ['a', 'Z', '0', ' ', '~', '\u0000', '\u007f', 'é', '€', '日', '😀', '\ud800'];

function randomText(rand: () => number, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) text += ALPHABET[Math.floor(rand() * (rand() < 0.8 ? 5 : ALPHABET.length))];
  return text;
}

describe('msgpack string decoding', () => {
  it('matches the library decoder on 10,000 random strings of every length class', () => {
    const rand = prng(42);
    const library = new Decoder();
    const ours = getCodec('msgpack');
    for (let i = 0; i < 10_000; i++) {
      const length = [3, 16, 17, 60, 199, 200, 201, 500][i % 8]! - Math.floor(rand() * 3);
      const value = { [randomText(rand, 4)]: randomText(rand, length), list: [randomText(rand, length)] };
      const bytes = Buffer.from(encode(value));
      const read = ours.decode(bytes);
      if (!read.ok) expect.fail(read.error.message);
      if (JSON.stringify(read.value) !== JSON.stringify(library.decode(bytes))) expect(read.value).toEqual(library.decode(bytes));
    }
  });

  it('matches the library on invalid UTF-8 and on a plain Uint8Array input', () => {
    const library = new Decoder();
    const ours = getCodec('msgpack');
    const invalid = Buffer.from([0xa5, 0x61, 0xff, 0xc3, 0x28, 0x62]);
    expect(ours.decode(invalid)).toEqual({ ok: true, value: library.decode(invalid) });
    const plain = new Uint8Array(encode({ text: 'x'.repeat(40) }));
    expect(ours.decode(plain)).toEqual({ ok: true, value: { text: 'x'.repeat(40) } });
  });
});

function hex(text: string): Buffer {
  return Buffer.from(text.replace(/\s/g, ''), 'hex');
}

function decodeOk(bytes: Buffer): unknown {
  const read = getCodec('msgpack').decode(bytes);
  if (!read.ok) expect.fail(read.error.message);
  return read.value;
}

describe('msgpack values that match the library exactly', () => {
  it('64-bit integers beyond 2^53 round as the library rounds them', () => {
    const cases = ['cf ffffffffffffffff', 'cf 0020000000000001', 'd3 8000000000000000', 'd3 ffdfffffffffffff', 'd3 ffffffffffffffff'];
    for (const bytes of cases) expectSameOutcome(hex(bytes));
    expect(decodeOk(hex('cf 0020000000000001'))).toBe(2 ** 53);
    expect(decodeOk(hex('d3 ffffffffffffffff'))).toBe(-1);
  });

  it('float32, and the timestamp forms (32, 64 and 96-bit, negative) as Dates', () => {
    expect(decodeOk(hex('ca 3fc00000'))).toBe(1.5);
    const dates = ['d6ff 00000001', 'd7ff 00000004 00000001', 'c70cff 000f4240 ffffffffffffffff', 'c70cff 00000000 7fffffffffffffff'];
    for (const bytes of dates) expectSameOutcome(hex(bytes));
    expect(decodeOk(hex('c70cff 000f4240 ffffffffffffffff'))).toEqual(new Date(-999));
    expectSameOutcome(hex('d5ff 0000')); // a 2-byte timestamp: both refuse it
  });

  it('binary and other extensions are Buffer views of the input, like the library', () => {
    const input = hex('82 a1 62 c4 03 010203 a1 65 d4 07 2a');
    const value = decodeOk(input) as { b: Buffer; e: ExtData };
    expect(Buffer.isBuffer(value.b) && value.b.buffer === input.buffer).toBe(true);
    expect(value.e).toBeInstanceOf(ExtData);
    expect([value.e.type, [...value.e.data]]).toEqual([7, [0x2a]]);
    expectSameOutcome(input);
  });

  it('keeps the text quirks of the library: lenient UTF-8 up to 200 bytes, a dropped BOM above', () => {
    expectSameOutcome(hex('a3 ff c328'));
    const withBom = Buffer.concat([hex('d9 ca efbbbf'), Buffer.alloc(199, 0x61)]);
    expect(decodeOk(withBom)).toBe('a'.repeat(199));
    expectSameOutcome(withBom);
  });

  it('decodes a key cut inside a UTF-8 sequence from its own bytes, whatever came before', () => {
    // The key is the single byte 0xc3, which borrows the next byte; the library's shared key cache
    // would answer the second input with the first one's key, so the oracle here has no cache.
    for (const bytes of ['81 a1 c3 a9', '81 a1 c3 01']) expectSameOutcome(hex(bytes), uncachedLibraryDecoder);
  });

  it('many distinct keys, colliding ones included, come back right when decoded again', () => {
    const value = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`key-${i}-${'x'.repeat(i % 40)}`, i]));
    const bytes = Buffer.from(encode(value));
    for (let round = 0; round < 2; round++) expect(decodeOk(bytes)).toEqual(value);
  });
});
