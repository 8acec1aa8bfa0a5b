import { InvalidEnvironmentError } from '@hkube-ts/protocol';

/** Default `STORAGE_MAX_CACHE_SIZE`, in MiB (Node wrapper default; Python uses 400). */
export const DEFAULT_STORAGE_MAX_CACHE_SIZE_MB = 500;

/** Default {@link InputCacheOptions.maxEntries}. */
export const DEFAULT_INPUT_CACHE_MAX_ENTRIES = 10_000;

const MIB = 1024 * 1024;

/** Options of {@link InputCache}. */
export interface InputCacheOptions {
  /** Capacity in bytes of encoded data (see {@link InputCache.set}); `0` disables caching of non-empty items. */
  readonly maxBytes: number;
  /**
   * Maximum number of entries (default {@link DEFAULT_INPUT_CACHE_MAX_ENTRIES}), so that many
   * zero-size items cannot grow the cache without bound.
   */
  readonly maxEntries?: number;
}

/** A cache hit: the cached value (which may itself be `undefined`, `null`, `0`, …). */
export interface CacheHit {
  /** The decoded value, shared by reference. */
  readonly value: unknown;
}

interface Entry {
  readonly value: unknown;
  readonly size: number;
}

function checkCount(name: string, value: number): void {
  if (typeof value !== 'number' || !(value >= 0)) throw new RangeError(`${name} must be a non-negative number, got ${value}`);
}

/**
 * Reads `STORAGE_MAX_CACHE_SIZE` (MiB, default 500) and returns the input-cache capacity in bytes.
 * Throws `InvalidEnvironmentError` for a value that is not a non-negative number.
 *
 * @example
 * ```ts
 * const cache = new InputCache({ maxBytes: storageCacheMaxBytes(process.env) });
 * ```
 */
export function storageCacheMaxBytes(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const raw = env.STORAGE_MAX_CACHE_SIZE;
  if (raw === undefined || raw.trim() === '') return DEFAULT_STORAGE_MAX_CACHE_SIZE_MB * MIB;
  const megabytes = Number(raw);
  if (!Number.isFinite(megabytes) || megabytes < 0) {
    throw new InvalidEnvironmentError('STORAGE_MAX_CACHE_SIZE', raw, 'a non-negative number of megabytes');
  }
  return Math.floor(megabytes * MIB);
}

/**
 * The decoded-input cache: key (a storage path) → decoded value, bounded by the total encoded size of
 * its entries and evicting the least recently used first. All operations are O(1) (a `Map` kept in
 * use order).
 *
 * Differences from HKube's caches (spec §2.7, §5.4): eviction is LRU rather than oldest-insert with an
 * O(n) scan; {@link InputCache.set} on an existing key **replaces** the value (HKube keeps the stale
 * one); a falsy value is a normal hit (Python re-fetches them).
 *
 * Values are shared by reference, not cloned: a caller that mutates a value it got from the cache
 * changes what later readers see.
 *
 * @example
 * ```ts
 * const cache = new InputCache({ maxBytes: 500 * 1024 * 1024 });
 * cache.set('local-hkube/job-1/task-1', value, body.length);
 * cache.get('local-hkube/job-1/task-1')?.value;
 * ```
 */
export class InputCache {
  /** Capacity in bytes. */
  readonly maxBytes: number;
  /** Capacity in entries. */
  readonly maxEntries: number;
  private readonly entries = new Map<string, Entry>();
  private usedBytes = 0;

  constructor(options: InputCacheOptions) {
    checkCount('maxBytes', options.maxBytes);
    const maxEntries = options.maxEntries ?? DEFAULT_INPUT_CACHE_MAX_ENTRIES;
    checkCount('maxEntries', maxEntries);
    this.maxBytes = options.maxBytes;
    this.maxEntries = maxEntries;
  }

  /** Total size of the cached entries, in bytes. */
  get bytes(): number {
    return this.usedBytes;
  }

  /** Number of cached entries. */
  get count(): number {
    return this.entries.size;
  }

  /** Whether `key` is cached (does not count as a use). */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** The cached value of `key`, marking it most recently used; `undefined` on a miss. */
  get(key: string): CacheHit | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return { value: entry.value };
  }

  /**
   * Caches `value` under `key`, replacing any previous value, and evicts least recently used entries
   * until the cache fits. `size` is the encoded size of the value in bytes (the stored object's or the
   * peer payload's length). An item larger than {@link InputCache.maxBytes} is not cached (and any
   * previous value of `key` is dropped); returns whether the value was cached.
   */
  set(key: string, value: unknown, size: number): boolean {
    checkCount('size', size);
    this.delete(key);
    if (size > this.maxBytes || this.maxEntries === 0) return false;
    this.entries.set(key, { value, size });
    this.usedBytes += size;
    while (this.usedBytes > this.maxBytes || this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done === true) break;
      this.delete(oldest.value);
    }
    return true;
  }

  /** Removes `key`; returns whether it was cached. */
  delete(key: string): boolean {
    const entry = this.entries.get(key);
    if (entry === undefined) return false;
    this.entries.delete(key);
    this.usedBytes -= entry.size;
    return true;
  }

  /** Removes every entry. */
  clear(): void {
    this.entries.clear();
    this.usedBytes = 0;
  }
}
