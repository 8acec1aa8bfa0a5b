import { Decoder, encode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import { getCodec } from '../src/index.js';
import { prng } from './random.js';

// Our msgpack decoder takes a fast path for ASCII string values; it must decode exactly what the
// library's own decoder does, for any text.
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
