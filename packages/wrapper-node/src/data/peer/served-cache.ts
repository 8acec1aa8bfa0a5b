import type { HeaderedPayload } from '@hkube-ts/protocol';

function sizeOf(item: HeaderedPayload): number {
  return item.header.byteLength + item.payload.byteLength;
}

/**
 * The data server's cache (data-plane spec §2.7): task id → the exact header and payload bytes written
 * to storage (shared, never copied), bounded by their total size and evicting the least recently
 * served first. Unlike HKube's FIFO cache, a new output for a task id replaces the old one.
 */
export class ServedOutputCache {
  readonly #entries = new Map<string, HeaderedPayload>();
  #bytes = 0;

  /** @param maxBytes - capacity in bytes (`DISCOVERY_MAX_CACHE_SIZE` MB). */
  constructor(readonly maxBytes: number) {}

  /** Bytes held. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Number of outputs held. */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * Holds `item` for `taskId`, evicting the least recently used outputs to make room. Returns false
   * (and drops any older output of that task) when the item alone exceeds the capacity: it must then
   * not be advertised.
   */
  set(taskId: string, item: HeaderedPayload): boolean {
    this.delete(taskId);
    const size = sizeOf(item);
    if (size > this.maxBytes) return false;
    this.#entries.set(taskId, item);
    this.#bytes += size;
    for (const [oldest, entry] of this.#entries) {
      if (this.#bytes <= this.maxBytes) break;
      this.#entries.delete(oldest);
      this.#bytes -= sizeOf(entry);
    }
    return true;
  }

  /** The output of `taskId`, marked as recently used. */
  get(taskId: string): HeaderedPayload | undefined {
    const item = this.#entries.get(taskId);
    if (item === undefined) return undefined;
    this.#entries.delete(taskId);
    this.#entries.set(taskId, item);
    return item;
  }

  /** Whether `taskId` is held (does not change the use order). */
  has(taskId: string): boolean {
    return this.#entries.has(taskId);
  }

  /** Drops the output of `taskId`. */
  delete(taskId: string): void {
    const item = this.#entries.get(taskId);
    if (item === undefined) return;
    this.#entries.delete(taskId);
    this.#bytes -= sizeOf(item);
  }

  /** Drops everything. */
  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
  }
}
