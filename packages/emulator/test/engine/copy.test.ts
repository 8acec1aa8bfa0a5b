import { describe, expect, it } from 'vitest';
import { CircularValueError, copyValue } from '../../src/engine/copy.js';
import { getPath } from '../../src/engine/object-path.js';

describe('copyValue', () => {
  it('copies arrays and plain objects deeply, like a JSON-like codec', () => {
    const value = { a: [1, { b: 2 }], c: undefined, d: () => 1, e: null };
    const copy = copyValue(value) as { a: [number, { b: number }] };
    expect(copy).toEqual({ a: [1, { b: 2 }], e: null });
    expect(copy).not.toHaveProperty('c');
    expect(copy.a).not.toBe(value.a);
    expect(copyValue([undefined, () => 1])).toEqual([null, null]);
  });

  it('keeps binary types and copies only the viewed bytes', () => {
    const buffer = Buffer.from('abc');
    const copiedBuffer = copyValue(buffer) as Buffer;
    expect(Buffer.isBuffer(copiedBuffer)).toBe(true);
    expect(copiedBuffer).not.toBe(buffer);
    expect(copiedBuffer.toString()).toBe('abc');
    const view = new Uint8Array(new ArrayBuffer(1024), 8, 4);
    const copiedView = copyValue(view) as Uint8Array;
    expect(copiedView).toBeInstanceOf(Uint8Array);
    expect(copiedView.buffer.byteLength).toBe(4);
    expect(copyValue(new Float64Array([1.5]))).toEqual(new Float64Array([1.5]));
  });

  it('keeps an own __proto__ key as data', () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}}') as object;
    const copy = copyValue(value) as Record<string, unknown>;
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(['__proto__']);
  });

  it('accepts shared references but rejects cycles', () => {
    const shared = { x: 1 };
    expect(copyValue([shared, shared])).toEqual([{ x: 1 }, { x: 1 }]);
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    expect(() => copyValue(cyclic)).toThrow(CircularValueError);
  });
});

describe('getPath', () => {
  it.each([
    [{ a: { b: [10, 20] } }, 'a.b.1', 20],
    [{ a: { b: [10, 20] } }, '', { a: { b: [10, 20] } }],
    [{ a: null }, 'a', null],
    [{ a: null }, 'a.b', undefined],
    [{ a: 1 }, 'toString', undefined],
    [[5, 6], '1', 6],
  ])('getPath(%j, %s)', (value, path, expected) => {
    expect(getPath(value, path)).toEqual(expected);
  });
});
