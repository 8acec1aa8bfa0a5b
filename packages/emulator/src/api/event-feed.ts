import { FeedSignal } from './feed-signal.js';

/**
 * A replayable async stream of events: every iterator sees every event from the first one, then
 * waits for more, and ends when the feed ends.
 */
export class EventFeed<T> implements AsyncIterable<T> {
  readonly #events: T[] = [];
  #ended = false;
  readonly #signal = new FeedSignal();

  /** Adds an event (ignored once ended). */
  push(event: T): void {
    if (this.#ended) return;
    this.#events.push(event);
    this.#signal.notify();
  }

  /** Ends the feed: iterators finish after the events they have not seen yet. */
  end(): void {
    this.#ended = true;
    this.#signal.notify();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    let index = 0;
    for (;;) {
      while (index < this.#events.length) {
        yield this.#events[index]!;
        index += 1;
      }
      if (this.#ended) return;
      await this.#signal.wait();
    }
  }
}
