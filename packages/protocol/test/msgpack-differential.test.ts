import { encode } from '@msgpack/msgpack';
import { describe, it } from 'vitest';
import { randomBytes, prng } from './random.js';
import { expectSameOutcome, mutate, randomEncodable, randomMsgpack, uncachedLibraryDecoder } from './msgpack-oracle.js';
import { vectors } from './vectors.js';

// Our msgpack decoder against @msgpack/msgpack 2.8.0's own (what @hkube/encoding and HKube decode
// with): the same values, of the same types, viewing the same input bytes; and failure exactly
// where the library throws.
describe('msgpack decoder against @msgpack/msgpack 2.8.0', () => {
  it.each(vectors())('vector $name decodes to the same value', ({ value }) => {
    expectSameOutcome(Buffer.from(encode(value)));
  });

  it('20,000 random encoded values decode to the same values', () => {
    const rand = prng(2024);
    for (let i = 0; i < 20_000; i++) expectSameOutcome(Buffer.from(encode(randomEncodable(rand))));
  });

  it('20,000 random and mutated byte strings: both fail, or both return the same value', () => {
    const rand = prng(0x5eed);
    for (let i = 0; i < 20_000; i++) {
      let bytes: Buffer;
      switch (i % 4) {
        case 0: bytes = randomBytes(rand, 24); break;
        case 1: bytes = mutate(rand, [...encode(randomEncodable(rand))]); break;
        default: bytes = mutate(rand, randomMsgpack(rand));
      }
      expectSameOutcome(bytes, uncachedLibraryDecoder);
    }
  });
});
