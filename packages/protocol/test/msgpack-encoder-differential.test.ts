import { encode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import { EncodeError, getCodec } from '../src/index.js';
import { MsgpackValueError } from '../src/codecs/msgpack/index.js';
import { randomEncoderInput, edgeBinary, edgeDate, edgeString, nest, oddObject, INTEGER_EDGES } from './msgpack-encoder-values.js';
import { randomEncodable } from './msgpack-oracle.js';
import { prng } from './random.js';
import { vectors } from './vectors.js';

// Our msgpack encoder against @msgpack/msgpack 2.8.0's `encode` with default options (what
// @hkube/encoding and HKube's components write): byte for byte, and a throw where it throws.
const codec = getCodec('msgpack');

type Outcome = { readonly ok: true; readonly bytes: Buffer } | { readonly ok: false; readonly error: unknown };

function attempt(run: () => Uint8Array): Outcome {
  try {
    const bytes = run();
    return { ok: true, bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
  } catch (error) {
    return { ok: false, error };
  }
}

function describeValue(value: unknown): string {
  try {
    return String(JSON.stringify(value))?.slice(0, 200) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/**
 * Fails unless both encode to the same bytes, or both throw (ours an `EncodeError`). A value whose
 * getters change it is built afresh for each side by `make`.
 */
function expectSameEncoding(value: unknown, make: () => unknown = () => value): void {
  const expected = attempt(() => encode(make()));
  const actual = attempt(() => codec.encode(make()));
  if (!expected.ok) {
    if (actual.ok) expect.fail(`the library throws (${String(expected.error)}) but we encode ${describeValue(value)}`);
    expect(actual.error).toBeInstanceOf(EncodeError);
    return;
  }
  if (!actual.ok) expect.fail(`the library encodes ${describeValue(value)} but we throw ${String(actual.error)}`);
  if (Buffer.compare(actual.bytes, expected.bytes) !== 0) {
    expect.fail(`different bytes for ${describeValue(value)}:\n ours ${actual.bytes.toString('hex').slice(0, 400)}\n lib  ${expected.bytes.toString('hex').slice(0, 400)}`);
  }
}

describe('msgpack encoder against @msgpack/msgpack 2.8.0', () => {
  it.each(vectors())('vector $name: the same bytes', ({ value }) => {
    expectSameEncoding(value);
  });

  it('every integer edge, alone and in containers', () => {
    for (const n of INTEGER_EDGES) expectSameEncoding(n);
    expectSameEncoding(INTEGER_EDGES);
    expectSameEncoding(Object.fromEntries(INTEGER_EDGES.map((n, i) => [`k${i}`, n])));
  });

  it('strings, binaries and Dates at every length and timestamp edge', () => {
    const rand = prng(7);
    for (let i = 0; i < 3000; i++) {
      expectSameEncoding(edgeString(rand, i % 50 === 0));
      expectSameEncoding(edgeBinary(rand));
      expectSameEncoding(edgeDate(rand));
      expectSameEncoding(oddObject(rand));
    }
  });

  it('20,000 random values: the same bytes', () => {
    const rand = prng(0xe4c0de);
    for (let i = 0; i < 20_000; i++) expectSameEncoding(randomEncoderInput(rand));
  });

  it('20,000 values of the decoder tests (ExtData of every size included): the same bytes', () => {
    const rand = prng(2024);
    for (let i = 0; i < 20_000; i++) expectSameEncoding(randomEncodable(rand));
  });

  it('long strings, across the str 16 / str 32 edge and the measuring threshold, with lone surrogates', () => {
    for (const length of [0x3fff, 0x4000, 0x5555, 0x5556, 65_535, 65_536, 200_000]) {
      expectSameEncoding('a'.repeat(length));
      expectSameEncoding('é'.repeat(length >> 1));
      expectSameEncoding(`${'\ud800'.repeat(length / 3)}x`);
      expectSameEncoding(`😀${'b'.repeat(length - 3)}\udc00`);
    }
  });

  it('containers at the 16 and 65,536 entry edges', () => {
    for (const size of [15, 16, 65_535, 65_536]) {
      expectSameEncoding(Array.from({ length: size }, (_, i) => i));
      expectSameEncoding(Object.fromEntries(Array.from({ length: size }, (_, i) => [`k${i}`, i])));
    }
  });

  it('nesting up to the library\'s limit of 100 encodes; one level more throws in both', () => {
    for (const levels of [98, 99, 100, 101]) {
      expectSameEncoding(nest(levels, 1));
      expectSameEncoding(nest(levels, []));
      expectSameEncoding(nest(levels, { a: {} }));
    }
  });

  it('exotic inputs: proxies, array subclasses, changed prototypes, getters, overridden getTime', () => {
    class Items extends Array<unknown> {
      override *[Symbol.iterator](): ArrayIterator<unknown> { yield 'own'; }
    }
    class Clock extends Date {
      override getTime(): number { return 1500.5; }
    }
    const exotic = (): unknown[] => {
      const growing = [1, 2];
      return [
        new Proxy([1, 2, 3], {}),
        new Proxy({ a: 1, b: [2] }, {}),
        Items.from([1, 2, 3]),
        Object.setPrototypeOf([1, 2], Date.prototype),
        Object.setPrototypeOf({ a: 1 }, Array.prototype),
        new Clock(0),
        { get lazy() { return [1, 'x']; }, n: 2 },
        { first: growing, get grow() { growing.push(3); return 0; }, again: growing },
        Object.defineProperty({ visible: 1 }, 'hidden', { value: 2, enumerable: false }),
        { 2: 'b', 1: 'a', z: 0, [-1]: 'neg' },
        new Uint8Array(new SharedArrayBuffer(300)),
        [function named() {}],
        new Date(8.64e15 + 1),
      ];
    };
    exotic().forEach((value, i) => expectSameEncoding(value, () => exotic()[i]));
  });

  it('functions, symbols and bigints throw in both, at any depth', () => {
    const rejected: unknown[] = [() => 1, Symbol('s'), 10n, { a: [1, { f() {} }] }, [Symbol.iterator], { big: 1n }, Object.create(Date.prototype)];
    for (const value of rejected) {
      expectSameEncoding(value);
      expect(() => codec.encode(value)).toThrow(EncodeError);
    }
  });

  it('says why a value is refused', () => {
    const reason = (value: unknown): unknown => {
      try {
        codec.encode(value);
      } catch (error) {
        return error instanceof EncodeError && error.cause instanceof MsgpackValueError ? error.cause.reason : error;
      }
      return undefined;
    };
    expect(reason({ f: () => 1 })).toBe('unsupported-type');
    expect(reason(nest(100, 1))).toBe('too-deep');
  });

  it('an encode started by a getter while another runs gets the same bytes as the library', () => {
    const value = { a: 'x'.repeat(40), get inner() { return codec.encode({ b: [1, 2, 3], c: 'y'.repeat(300) }); }, z: 1 };
    expectSameEncoding(value);
  });

  it('a large result does not leave the writer in a state that changes the next one', () => {
    expectSameEncoding({ s: 'q'.repeat(3_000_000), b: Buffer.alloc(70_000, 1) });
    expectSameEncoding({ small: [1, 'two', 3.5] });
  });
});
