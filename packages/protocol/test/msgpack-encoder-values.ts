// Values for the encoder's differential test: every width boundary of msgpack's integers, strings,
// binaries, arrays, maps and timestamps, and the odd inputs the library accepts or rejects.
import { ExtData } from '@msgpack/msgpack';
import { randomText } from './msgpack-oracle.js';

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)]!;
}

const POWERS = [7, 8, 15, 16, 31, 32, 53];
/** ±2^k - 1, ±2^k, ±2^k + 1 for every power where msgpack's integer forms change. */
export const INTEGER_EDGES: number[] = POWERS.flatMap((k) => [2 ** k - 1, 2 ** k, 2 ** k + 1]).flatMap((n) => [n, -n]);
const SMALL_EDGES = [0, -0, 1, -1, 31, 32, -31, -32, -33, 127, 128, -128, -129];
const FLOATS = [Number.NaN, Infinity, -Infinity, 0.5, -1.25, Math.PI, 5e-324, Number.MAX_VALUE, 2 ** 53 + 2, -(2 ** 64), 1e21, 0.1 + 0.2];

/** Lengths (in UTF-8 bytes for ASCII) where the str/bin/array/map forms change, and the 200-unit text threshold. */
const LENGTH_EDGES = [0, 1, 15, 16, 17, 31, 32, 33, 199, 200, 201, 255, 256, 257];
const LONG_EDGES = [65_535, 65_536, 65_537];
const WIDE_PARTS = ['é', '€', '日', '😀', '\ud800', '\udc00', '\udbff', '\ud83d', '\ufeff', '\u0000'];

/** A string near a length edge: ASCII (exact byte length) or with non-ASCII parts around it. */
export function edgeString(rand: () => number, long: boolean): string {
  const length = pick(rand, long ? LONG_EDGES : LENGTH_EDGES);
  const ascii = 'x'.repeat(length);
  if (rand() < 0.4) return ascii;
  // Replace a few units: the UTF-8 length moves across the edge, lone surrogates appear at the ends too.
  const units = ascii.split('');
  for (let i = Math.floor(rand() * 4); i >= 0 && units.length > 0; i--) {
    units[Math.floor(rand() * units.length)] = pick(rand, WIDE_PARTS);
  }
  if (rand() < 0.2) units.push(pick(rand, ['\ud800', '\udbff']));
  return units.join('');
}

const VIEW_SIZES = [0, 1, 255, 256, 257, 65_535, 65_536, 65_537];

/** A binary of an edge size: Buffer, Buffer slice, every typed array kind, DataView, with offsets. */
export function edgeBinary(rand: () => number): ArrayBufferView {
  const size = pick(rand, VIEW_SIZES.slice(0, rand() < 0.1 ? 8 : 5));
  const offset = pick(rand, [0, 0, 3, 8, 16]);
  const backing = new ArrayBuffer(size + offset + 8);
  const fill = new Uint8Array(backing);
  for (let i = 0; i < fill.length; i += 7) fill[i] = (i * 13 + size) & 0xff;
  switch (Math.floor(rand() * 9)) {
    case 0: return Buffer.from(backing, offset, size);
    case 1: return Buffer.from(fill.subarray(offset, offset + size)).subarray(0, size);
    case 2: return new Uint8Array(backing, offset, size);
    case 3: return new Uint8ClampedArray(backing, offset, size);
    case 4: return new DataView(backing, offset, size);
    case 5: return new Int16Array(backing, offset & ~1, size >> 1);
    case 6: return new Float32Array(backing, offset & ~3, size >> 2);
    case 7: return new Float64Array(backing, offset & ~7, size >> 3);
    default: return new BigInt64Array(backing, offset & ~7, size >> 3);
  }
}

const DATE_MS = [
  0, 1, 999, 1000, 1001, -1, -999, -1000, -1001, 1.5, -0.5, 0.999, Date.UTC(2024, 1, 29, 12, 30, 15, 250),
  (2 ** 32 - 1) * 1000, 2 ** 32 * 1000, (2 ** 32 - 1) * 1000 + 1, (2 ** 34 - 1) * 1000, 2 ** 34 * 1000, (2 ** 34 - 1) * 1000 + 999,
  8.64e15, -8.64e15, -62_135_596_800_000, Number.NaN,
];

/** A Date at a timestamp 32/64/96 edge, before 1970, far in the future, invalid or random. */
export function edgeDate(rand: () => number): Date {
  if (rand() < 0.3) return new Date(Math.floor((rand() - 0.3) * 2 ** pick(rand, [30, 45, 52])));
  return new Date(pick(rand, DATE_MS));
}

class Point {
  constructor(readonly x: number, readonly y: number) {}
  get sum(): number { return this.x + this.y; }
}

/** Objects that are not plain: the library writes each as the map of its own enumerable keys. */
export function oddObject(rand: () => number): unknown {
  switch (Math.floor(rand() * 10)) {
    case 0: return new Point(1, 2);
    case 1: return new Map([['a', 1]]);
    case 2: return new Set([1, 2]);
    case 3: return { toJSON: () => 'json', v: 1 };
    case 4: return { [Symbol('s')]: 1, visible: 2 };
    case 5: return new ArrayBuffer(4);
    case 6: return Object.assign(Object.create(null) as object, { n: null });
    case 7: return pick(rand, [new String('ab'), new Number(3), new Boolean(false)]);
    case 8: return new ExtData(pick(rand, [0, 5, 127, -128, -5]), new Uint8Array(pick(rand, [1, 2, 4, 8, 16, 0, 3, 255, 256])).fill(9));
    default: return Object.assign(new Date(1000), { extra: 1 });
  }
}

/** Arrays with holes and undefined, maps with undefined values. */
function sparse(rand: () => number): unknown {
  if (rand() < 0.5) {
    const array: unknown[] = [1, undefined, 3];
    array.length = pick(rand, [3, 5, 17]);
    return array;
  }
  return { a: undefined, b: null, c: [undefined] };
}

/** A random value drawn from all of the above, nested up to depth 4. */
export function randomEncoderInput(rand: () => number, depth = 0): unknown {
  switch (Math.floor(rand() * (depth > 3 ? 10 : 13))) {
    case 0: return pick(rand, [null, undefined, true, false]);
    case 1: return pick(rand, rand() < 0.5 ? INTEGER_EDGES : SMALL_EDGES);
    case 2: return Math.floor((rand() - 0.5) * 2 ** Math.floor(rand() * 55));
    case 3: return rand() < 0.5 ? pick(rand, FLOATS) : (rand() - 0.5) * 10 ** Math.floor(rand() * 30 - 10);
    case 4: return edgeString(rand, rand() < 0.01);
    case 5: return randomText(rand, pick(rand, [8, 40, 300]));
    case 6: return edgeBinary(rand);
    case 7: return edgeDate(rand);
    case 8: return oddObject(rand);
    case 9: return sparse(rand);
    case 10: {
      const length = rand() < 0.1 ? pick(rand, [15, 16, 17]) : Math.floor(rand() * 5);
      return Array.from({ length }, () => randomEncoderInput(rand, depth + 1));
    }
    default: {
      const map: Record<string, unknown> = {};
      const count = rand() < 0.1 ? pick(rand, [15, 16, 17]) : Math.floor(rand() * 5);
      for (let i = 0; i < count; i++) map[rand() < 0.5 ? `k${i}` : randomText(rand, 10)] = randomEncoderInput(rand, depth + 1);
      return map;
    }
  }
}

/** `inner` wrapped in `levels` arrays. */
export function nest(levels: number, inner: unknown): unknown {
  let value = inner;
  for (let i = 0; i < levels; i++) value = [value];
  return value;
}
