// Values for differential tests: every integer width boundary of msgpack and bson, floats, text,
// nesting, nulls, binary and dates.
export const INTEGER_BOUNDARIES: number[] = [
  0, 1, 127, 128, 255, 256, 65_535, 65_536, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1,
  2 ** 40, 2 ** 52, 2 ** 53 - 1, 2 ** 53,
  -1, -31, -32, -33, -127, -128, -129, -32_767, -32_768, -32_769, -(2 ** 31), -(2 ** 31) - 1, -(2 ** 32),
  -(2 ** 53) + 1,
];

export interface Vector {
  readonly name: string;
  readonly value: unknown;
  /** Encodings where our bytes differ from @hkube/encoding on purpose (documented divergences). */
  readonly skip?: readonly string[];
}

export function vectors(): Vector[] {
  const big = Buffer.alloc(10 * 1024 * 1024);
  for (let i = 0; i < big.length; i += 4093) big[i] = i & 0xff;
  return [
    ...INTEGER_BOUNDARIES.map((n) => ({ name: `int ${n}`, value: n })),
    { name: 'ints in an array', value: INTEGER_BOUNDARIES },
    { name: 'floats', value: [0.5, -1.25, Math.PI, 1e-300, 1.7976931348623157e308, 5e-324] },
    // bson 4 (HKube) writes -0 as int32 0; bson 6 (ours) as the double -0, keeping the sign.
    { name: 'negative zero', value: { z: -0 }, skip: ['bson'] },
    { name: 'NaN', value: { x: Number.NaN } },
    { name: 'unicode', value: ['héllo', '日本語', '😀 emoji', '\u0000nul', 'a'.repeat(70_000)] },
    { name: 'nested', value: { a: { b: { c: [1, [2, [3, { d: 'e' }]]] } }, list: [{ x: 1 }, { y: [true, false] }] } },
    { name: 'null', value: null },
    { name: 'null inside', value: { a: null, b: [null, 1] } },
    { name: 'undefined top level', value: undefined, skip: ['json'] },
    { name: 'undefined inside', value: { a: undefined, b: [undefined, 2] } },
    { name: 'booleans', value: [true, false] },
    { name: 'empty containers', value: { o: {}, a: [], s: '' } },
    { name: 'Buffer', value: Buffer.from([0, 1, 2, 254, 255]) },
    { name: 'Uint8Array', value: new Uint8Array([9, 8, 7]) },
    { name: 'Buffer inside', value: { blob: Buffer.from('binary'), n: 1 } },
    { name: 'Date', value: new Date(Date.UTC(2024, 1, 29, 12, 30, 15, 250)) },
    { name: 'Date inside', value: { when: new Date(0) } },
    { name: 'empty buffer', value: Buffer.alloc(0) },
    { name: '10 MB buffer', value: big },
    { name: 'command', value: { command: 'start', data: { spanId: { 'uber-trace-id': 'a0aa0bab5bfde7a6:7e187ec65fb04e0e:37bc77758a09b6a4:1' } } } },
  ];
}

/** Makes values comparable across libraries: any Uint8Array becomes a Buffer copy. */
export function normalise(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value);
  if (Array.isArray(value)) return value.map(normalise);
  if (value instanceof Date || value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalise(v)]));
}
