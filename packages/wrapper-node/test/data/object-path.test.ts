import { describe, expect, it } from 'vitest';
import { ObjectPathError, copyOnWrite, flatten, getPath, setPath } from '../../src/data/index.js';

describe('getPath (object-path get semantics)', () => {
  const value = { a: [{ b: 1 }, { b: null }], '0': 'zero', s: 'abc', n: 0 };

  it.each([
    ['', value],
    ['a.0.b', 1],
    ['a.1.b', null],
    ['a.2.b', undefined],
    ['a.length', 2],
    ['0', 'zero'],
    ['s.length', 3],
    ['s.1', 'b'],
    ['n', 0],
    ['n.x', undefined],
    ['missing', undefined],
    ['missing.deeper', undefined],
    ['a.01', undefined],
    ['toString', undefined],
    ['__proto__', undefined],
    ['constructor', undefined],
    ['a.0.b.c', undefined],
  ])('getPath(value, %j)', (path, expected) => {
    expect(getPath(value, path)).toEqual(expected);
  });

  it('handles non-object roots', () => {
    expect(getPath(null, 'a')).toBeUndefined();
    expect(getPath(undefined, '')).toBeUndefined();
    expect(getPath(5, '')).toBe(5);
    expect(getPath([10, 20], '1')).toBe(20);
    expect(getPath(Buffer.from([7, 8]), '1')).toBe(8);
  });
});

describe('setPath', () => {
  it('creates missing containers like object-path (arrays for numeric segments)', () => {
    expect(setPath({}, 'a.0.b', 1)).toEqual({ a: [{ b: 1 }] });
    expect(setPath([], '1.x', 'v')).toEqual([undefined, { x: 'v' }]);
    const target: Record<string, unknown> = { a: { keep: true } };
    setPath(target, 'a.b', 2);
    expect(target).toEqual({ a: { keep: true, b: 2 } });
  });

  it.each(['__proto__', 'a.__proto__.polluted', 'constructor.prototype.polluted', 'a.prototype', ''])(
    'rejects %j',
    (path) => {
      expect(() => setPath({ a: {} }, path, 1)).toThrow(ObjectPathError);
    },
  );

  it('never pollutes Object.prototype', () => {
    expect(() => setPath({}, '__proto__.polluted', true)).toThrow(ObjectPathError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses to write through a non-container', () => {
    expect(() => setPath({ a: 'text' }, 'a.b', 1)).toThrow(ObjectPathError);
    expect(() => setPath({ a: new Date() }, 'a.b', 1)).toThrow(ObjectPathError);
    expect(() => setPath(new Date(), 'a', 1)).toThrow(ObjectPathError);
  });
});

describe('copyOnWrite', () => {
  it('copies only the containers along the written paths', () => {
    const shared = { big: Buffer.alloc(16) };
    const original = ['$$a', { x: '$$b', y: shared }, [1, 2]];
    const frozen = JSON.stringify(original);
    const tree = copyOnWrite(original);
    tree.set('0', 'A');
    tree.set('1.x', 'B');
    tree.set('1.z.0', 'C');

    expect(tree.root).toEqual(['A', { x: 'B', y: shared, z: ['C'] }, [1, 2]]);
    expect(JSON.stringify(original)).toBe(frozen);
    const root = tree.root as unknown[];
    expect(root[2]).toBe(original[2]);
    expect((root[1] as { y: unknown }).y).toBe(shared);
    expect(() => tree.set('__proto__.x', 1)).toThrow(ObjectPathError);
  });
});

describe('flatten (flat 5 semantics)', () => {
  it('flattens like the worker computes flatInput', () => {
    expect(flatten(['$$a1b2c3d4', { x: '$$e5f6g7h8', y: [1, 2] }, 5])).toEqual({
      '0': '$$a1b2c3d4',
      '1.x': '$$e5f6g7h8',
      '1.y.0': 1,
      '1.y.1': 2,
      '2': 5,
    });
  });

  it('keeps empty objects and arrays, Buffers, typed arrays and Dates as leaves', () => {
    const buffer = Buffer.from([1]);
    const typed = new Float32Array([1]);
    const date = new Date(0);
    expect(flatten([{}, [], buffer, typed, date, null, { a: {} }])).toEqual({
      '0': {},
      '1': [],
      '2': buffer,
      '3': typed,
      '4': date,
      '5': null,
      '6.a': {},
    });
  });

  it('returns {} for non-objects and rejects cycles', () => {
    expect(flatten('abc')).toEqual({});
    expect(flatten(null)).toEqual({});
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => flatten([cyclic])).toThrow(ObjectPathError);
  });

  it('keeps a __proto__ key as data', () => {
    const input = JSON.parse('[{"__proto__": {"x": 1}}]') as unknown;
    const flat = flatten(input);
    expect(Object.keys(flat)).toEqual(['0.__proto__.x']);
    expect(Object.getPrototypeOf(flat)).toBe(Object.prototype);
  });
});
