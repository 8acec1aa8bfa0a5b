// Shared by the msgpack decoder tests: the library as oracle, a strict comparison of decoded values,
// and generators of msgpack bytes (valid and hostile) beyond what the encoder writes.
import { Decoder, ExtData, ExtensionCodec, encode } from '@msgpack/msgpack';
import { expect } from 'vitest';
import { FrameDecodeError, getCodec } from '../src/index.js';
import { MsgpackSyntaxError } from '../src/codecs/msgpack/index.js';

const UINT32_MAX = 0xffffffff;

/** The library's default decoder, the one `decode` and @hkube/encoding use (shared key cache). */
export const libraryDecoder = new Decoder();

/**
 * The library without its key cache: for arbitrary bytes only. The cache is process-wide and keyed
 * by a key's own bytes, while the library's lenient UTF-8 reader lets a key cut inside a multi-byte
 * sequence borrow the bytes after it, so for such (invalid) keys its output depends on what it
 * decoded before. Without the cache it is a pure function of the input, like ours.
 */
export const uncachedLibraryDecoder = new Decoder(ExtensionCodec.defaultCodec, undefined, UINT32_MAX, UINT32_MAX, UINT32_MAX, UINT32_MAX, UINT32_MAX, null);

export type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

export function libraryOutcome(decoder: Decoder, bytes: Buffer): Outcome {
  try {
    return { ok: true, value: decoder.decode(bytes) };
  } catch (error) {
    return { ok: false, error };
  }
}

const codec = getCodec('msgpack');

export function ourOutcome(bytes: Buffer): Outcome {
  const read = codec.decode(bytes);
  return read.ok ? { ok: true, value: read.value } : { ok: false, error: read.error };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  // Both must be views of the same memory (the library returns views of the input, so do we).
  return a.buffer === b.buffer && a.byteOffset === b.byteOffset && a.byteLength === b.byteLength;
}

/**
 * Deep equality that also checks types and aliasing: the same prototypes (Buffer is not
 * Uint8Array), Buffer and ExtData data viewing the same bytes of the input, `Object.is` for
 * numbers (NaN, -0), invalid Dates equal to each other, the same key order.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return Object.is(a, b);
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (a instanceof Uint8Array) return sameBytes(a, b as Uint8Array);
  if (a instanceof Date) return Object.is(a.getTime(), (b as Date).getTime());
  if (a instanceof ExtData) return a.type === (b as ExtData).type && sameBytes(a.data, (b as ExtData).data);
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((item, i) => i in other && sameValue(item, other[i]));
  }
  const keys = Object.keys(a);
  const otherKeys = Object.keys(b);
  if (keys.length !== otherKeys.length || keys.some((key, i) => key !== otherKeys[i])) return false;
  return keys.every((key) => sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

/** Fails unless ours and the library both fail (ours with a typed error) or return the same value. */
export function expectSameOutcome(bytes: Buffer, decoder: Decoder = libraryDecoder): void {
  const expected = libraryOutcome(decoder, bytes);
  const actual = ourOutcome(bytes);
  if (!expected.ok) {
    if (actual.ok) expect.fail(`the library throws (${String(expected.error)}) but we decode ${bytes.toString('hex')}`);
    if (!(actual.error instanceof FrameDecodeError) || !(actual.error.cause instanceof MsgpackSyntaxError)) {
      expect.fail(`untyped error for ${bytes.toString('hex')}: ${String(actual.error)}`);
    }
    return;
  }
  if (!actual.ok) expect.fail(`the library decodes ${bytes.toString('hex')} but we fail: ${String(actual.error)}`);
  if (!sameValue(actual.value, expected.value)) {
    expect.fail(`different values for ${bytes.toString('hex')}: ${String(actual.value)} vs ${String(expected.value)}`);
  }
}

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)]!;
}

const TEXT_PARTS = ['a', 'Z', '0', ' ', '~', '\u0000', '\u007f', 'é', '€', '日', '😀', '\ud800', '\udc00', '\ufeff'];

/** Text of up to `max` UTF-16 units, mostly ASCII, sometimes anything (lone surrogates, BOMs). */
export function randomText(rand: () => number, max: number): string {
  const length = Math.floor(rand() * max);
  const wide = rand() < 0.3;
  let text = '';
  for (let i = 0; i < length; i++) text += wide ? pick(rand, TEXT_PARTS) : String.fromCharCode(0x20 + Math.floor(rand() * 95));
  return text;
}

/** Values the encoder writes with every msgpack type it uses (no float32: it writes float64 only). */
export function randomEncodable(rand: () => number, depth = 0): unknown {
  switch (Math.floor(rand() * (depth > 3 ? 9 : 11))) {
    case 0: return pick(rand, [null, undefined, true, false]);
    case 1: return pick(rand, [0, 127, 128, -32, -33, 255, 256, 65535, 65536, -129, -32769, 2 ** 32, -(2 ** 31) - 1, 2 ** 53 - 1, -(2 ** 53) + 1]);
    case 2: return Math.floor((rand() - 0.5) * 2 ** Math.floor(rand() * 54));
    case 3: return pick(rand, [Number.NaN, -0, Infinity, -Infinity, (rand() - 0.5) * 1e6, 5e-324]);
    case 4: return randomText(rand, pick(rand, [8, 40, 300]));
    case 5: return pick(rand, [Buffer.from(randomText(rand, 20)), new Uint8Array(Math.floor(rand() * 5))]);
    case 6: return new Date(Math.floor((rand() - 0.3) * 2 ** pick(rand, [30, 45, 52])));
    case 7: return new ExtData(Math.floor(rand() * 256) - 128 || 1, new Uint8Array(pick(rand, [1, 2, 4, 8, 16, 3, 300])).fill(7));
    case 8: return randomText(rand, 6);
    case 9: return Array.from({ length: Math.floor(rand() * 5) }, () => randomEncodable(rand, depth + 1));
    default: {
      const map: Record<string, unknown> = {};
      for (let i = rand() * 5; i > 0; i--) map[randomText(rand, 10)] = randomEncodable(rand, depth + 1);
      return map;
    }
  }
}

type WideForm = readonly [head: number, width: 1 | 2 | 4];
const STR_FORMS: WideForm[] = [[0xd9, 1], [0xda, 2], [0xdb, 4]];
const BIN_FORMS: WideForm[] = [[0xc4, 1], [0xc5, 2], [0xc6, 4]];
const EXT_FORMS: WideForm[] = [[0xc7, 1], [0xc8, 2], [0xc9, 4]];
const ARRAY_FORMS: WideForm[] = [[0xdc, 2], [0xdd, 4]];
const MAP_FORMS: WideForm[] = [[0xde, 2], [0xdf, 4]];

/** A head for `length`: the fix form (when there is one and it fits) or any wide form that fits. */
function lengthHead(fix: number, fixMax: number, forms: readonly WideForm[], length: number, rand: () => number): number[] {
  if (length <= fixMax && rand() < 0.7) return [fix + length];
  const [head, width] = pick(rand, forms.filter(([, w]) => length < 256 ** w));
  const out = [head];
  for (let i = width - 1; i >= 0; i--) out.push(Math.floor(length / 256 ** i) & 0xff);
  return out;
}

/**
 * Raw msgpack with every head byte the spec defines (and 0xc1, which it reserves): any numeric
 * width, float32, str/bin/ext of every length form, invalid UTF-8, maps with number, nil or nested
 * keys. Mostly well-formed; the caller mutates it.
 */
export function randomMsgpack(rand: () => number, depth = 0): number[] {
  const roll = Math.floor(rand() * (depth > 3 ? 10 : 12));
  const some = (n: number): number[] => Array.from({ length: n }, () => Math.floor(rand() * 256));
  switch (roll) {
    case 0: return [pick(rand, [0xc0, 0xc1, 0xc2, 0xc3, 0x00, 0x7f, 0xe0, 0xff])];
    case 1: return [pick(rand, [0xcc, 0xd0]), ...some(1)];
    case 2: return [pick(rand, [0xcd, 0xd1]), ...some(2)];
    case 3: return [pick(rand, [0xce, 0xd2, 0xca]), ...some(4)];
    case 4: return [pick(rand, [0xcf, 0xd3, 0xcb]), ...some(8)];
    case 5: {
      const bytes = rand() < 0.5 ? [...Buffer.from(randomText(rand, 12))] : some(Math.floor(rand() * 6));
      return [...lengthHead(0xa0, 31, STR_FORMS, bytes.length, rand), ...bytes];
    }
    case 6: {
      const length = pick(rand, [0, 1, 5, 201, 250]);
      const bytes = rand() < 0.5 ? some(length) : [0xef, 0xbb, 0xbf, ...[...Buffer.from(randomText(rand, length))].slice(0, length)];
      return [...lengthHead(0xa0, 31, STR_FORMS, bytes.length, rand), ...bytes];
    }
    case 7: {
      const length = Math.floor(rand() * 6);
      return [...lengthHead(0xc4, -1, BIN_FORMS, length, rand), ...some(length)];
    }
    case 8: {
      const length = pick(rand, [1, 2, 4, 8, 12, 16, 3, 0]);
      const type = rand() < 0.5 ? 0xff : Math.floor(rand() * 256);
      const fixed = [1, 2, 4, 8, 16].indexOf(length);
      const head = fixed >= 0 && rand() < 0.6 ? [0xd4 + fixed] : lengthHead(0, -1, EXT_FORMS, length, rand);
      return [...head, type, ...some(length)];
    }
    case 9: return [0xe0 + Math.floor(rand() * 32)];
    case 10: {
      const count = Math.floor(rand() * 4);
      const items = Array.from({ length: count }, () => randomMsgpack(rand, depth + 1)).flat();
      return [...lengthHead(0x90, 15, ARRAY_FORMS, count, rand), ...items];
    }
    default: {
      const count = Math.floor(rand() * 4);
      const entries: number[] = [];
      for (let i = 0; i < count; i++) {
        const key = rand() < 0.8 ? [...encode(randomText(rand, 8))] : randomMsgpack(rand, depth + 2);
        entries.push(...key, ...randomMsgpack(rand, depth + 1));
      }
      return [...lengthHead(0x80, 15, MAP_FORMS, count, rand), ...entries];
    }
  }
}

/** `bytes` with a few random edits: flipped bytes, inserted or deleted bytes, a cut end. */
export function mutate(rand: () => number, bytes: number[]): Buffer {
  const out = [...bytes];
  const edits = Math.floor(rand() * 3);
  for (let i = 0; i < edits && out.length > 0; i++) {
    const at = Math.floor(rand() * out.length);
    switch (Math.floor(rand() * 4)) {
      case 0: out[at] = Math.floor(rand() * 256); break;
      case 1: out.splice(at, 0, Math.floor(rand() * 256)); break;
      case 2: out.splice(at, 1); break;
      default: out.length = at;
    }
  }
  return Buffer.from(out);
}
