/**
 * A first-in first-out list with amortised O(1) `push` and `shift`: a head index over an array, compacted
 * when the consumed prefix is at least half of it (`Array.prototype.shift` is O(n) on large arrays).
 *
 * @internal
 */
export class Fifo<T> {
  #items: (T | undefined)[] = [];
  #head = 0;

  /** Items waiting. */
  get length(): number {
    return this.#items.length - this.#head;
  }

  /** Appends `item` at the tail. */
  push(item: T): void {
    this.#items.push(item);
  }

  /** The head item, without removing it. */
  peek(): T | undefined {
    return this.#head < this.#items.length ? this.#items[this.#head] : undefined;
  }

  /** Removes and returns the head item. */
  shift(): T | undefined {
    const items = this.#items;
    if (this.#head >= items.length) return undefined;
    const item = items[this.#head];
    items[this.#head] = undefined; // let the item be collected now, not at the next compaction
    this.#head += 1;
    if (this.#head === items.length) {
      this.#items = [];
      this.#head = 0;
    } else if (this.#head >= 1024 && this.#head * 2 >= items.length) {
      this.#items = items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }

  /** Removes every item. */
  clear(): void {
    this.#items = [];
    this.#head = 0;
  }
}

/** The `limit` most recent numbers since the last {@link drain}. @internal */
export class RecentValues {
  #values: number[] = [];

  constructor(private readonly limit: number) {}

  /** Records `value`, forgetting the oldest beyond the limit. */
  add(value: number): void {
    this.#values.push(value);
    if (this.#values.length > this.limit) this.#values.shift(); // at most limit + 1 elements: constant time
  }

  /** The recorded values, oldest first; starts a new window. */
  drain(): number[] {
    const values = this.#values;
    this.#values = [];
    return values;
  }
}
