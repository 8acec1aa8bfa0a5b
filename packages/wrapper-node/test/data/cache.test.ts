import { InvalidEnvironmentError } from '@hkube-ts/protocol';
import { describe, expect, it } from 'vitest';
import { InputCache, storageCacheMaxBytes } from '../../src/data/index.js';

describe('InputCache', () => {
  it('evicts the least recently used entries when over capacity', () => {
    const cache = new InputCache({ maxBytes: 100 });
    cache.set('a', 'A', 40);
    cache.set('b', 'B', 40);
    expect(cache.get('a')).toEqual({ value: 'A' }); // a is now the most recent
    cache.set('c', 'C', 40);
    expect(cache.has('b')).toBe(false);
    expect(cache.has('a')).toBe(true);
    expect(cache.has('c')).toBe(true);
    expect(cache.bytes).toBe(80);
    expect(cache.count).toBe(2);
  });

  it('does not cache an item larger than the capacity', () => {
    const cache = new InputCache({ maxBytes: 100 });
    cache.set('small', 1, 10);
    expect(cache.set('huge', 2, 101)).toBe(false);
    expect(cache.has('huge')).toBe(false);
    expect(cache.has('small')).toBe(true);
    expect(cache.set('exact', 3, 100)).toBe(true);
    expect(cache.has('small')).toBe(false);
    expect(cache.bytes).toBe(100);
  });

  it('replaces the value of an existing key (HKube keeps the stale one)', () => {
    const cache = new InputCache({ maxBytes: 100 });
    cache.set('k', 'old', 10);
    cache.set('k', 'new', 30);
    expect(cache.get('k')).toEqual({ value: 'new' });
    expect(cache.bytes).toBe(30);
    expect(cache.count).toBe(1);
    // An oversize update drops the stale value rather than keeping it.
    cache.set('k', 'too big', 1000);
    expect(cache.get('k')).toBeUndefined();
    expect(cache.bytes).toBe(0);
  });

  it('treats falsy values as hits', () => {
    const cache = new InputCache({ maxBytes: 100 });
    for (const [key, value] of [['zero', 0], ['empty', ''], ['null', null], ['undef', undefined], ['false', false]] as const) {
      cache.set(key, value, 1);
      expect(cache.get(key)).toEqual({ value });
    }
    expect(cache.get('missing')).toBeUndefined();
  });

  it('bounds the number of entries', () => {
    const cache = new InputCache({ maxBytes: 100, maxEntries: 2 });
    cache.set('a', 1, 0);
    cache.set('b', 2, 0);
    cache.set('c', 3, 0);
    expect([cache.has('a'), cache.has('b'), cache.has('c')]).toEqual([false, true, true]);
  });

  it('deletes and clears', () => {
    const cache = new InputCache({ maxBytes: 100 });
    cache.set('a', 1, 5);
    cache.set('b', 2, 5);
    expect(cache.delete('a')).toBe(true);
    expect(cache.delete('a')).toBe(false);
    expect(cache.bytes).toBe(5);
    cache.clear();
    expect(cache.count).toBe(0);
    expect(cache.bytes).toBe(0);
  });

  it('rejects negative sizes and capacities', () => {
    expect(() => new InputCache({ maxBytes: -1 })).toThrow(RangeError);
    expect(() => new InputCache({ maxBytes: Number.NaN })).toThrow(RangeError);
    expect(() => new InputCache({ maxBytes: 1 }).set('k', 1, -1)).toThrow(RangeError);
  });
});

describe('storageCacheMaxBytes', () => {
  it('reads STORAGE_MAX_CACHE_SIZE in MiB, default 500', () => {
    expect(storageCacheMaxBytes({})).toBe(500 * 1024 * 1024);
    expect(storageCacheMaxBytes({ STORAGE_MAX_CACHE_SIZE: '' })).toBe(500 * 1024 * 1024);
    expect(storageCacheMaxBytes({ STORAGE_MAX_CACHE_SIZE: '2' })).toBe(2 * 1024 * 1024);
    expect(storageCacheMaxBytes({ STORAGE_MAX_CACHE_SIZE: '0' })).toBe(0);
    expect(() => storageCacheMaxBytes({ STORAGE_MAX_CACHE_SIZE: 'lots' })).toThrow(InvalidEnvironmentError);
    expect(() => storageCacheMaxBytes({ STORAGE_MAX_CACHE_SIZE: '-5' })).toThrow(InvalidEnvironmentError);
  });
});
