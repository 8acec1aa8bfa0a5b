import { FeedSignal } from './feed-signal.js';

/**
 * A feed of snapshots where only the newest matters (stream statistics): each iterator gets the
 * current value, then every newer one it has time to see (a slow reader skips to the newest), and ends
 * when the feed ends.
 */
export class LatestValueFeed<T> implements AsyncIterable<T> {
  #value: T | undefined;
  #version = 0;
  #ended = false;
  readonly #signal = new FeedSignal();

  /** The newest value, if any. */
  get current(): T | undefined {
    return this.#value;
  }

  /** Replaces the value (ignored once ended). */
  push(value: T): void {
    if (this.#ended) return;
    this.#value = value;
    this.#version += 1;
    this.#signal.notify();
  }

  /** Ends the feed: iterators finish after the newest value, if they have not seen it. */
  end(): void {
    this.#ended = true;
    this.#signal.notify();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    let seen = 0;
    for (;;) {
      if (this.#version > seen) {
        seen = this.#version;
        yield this.#value as T;
        continue;
      }
      if (this.#ended) return;
      await this.#signal.wait();
    }
  }
}
