/**
 * Callbacks waiting for one event; {@link WakeList.wakeAll} runs and forgets them. Used instead of
 * racing promises against a long-lived "closed" promise, which would pile up reactions on it.
 *
 * @internal
 */
export class WakeList {
  #wakes = new Set<() => void>();

  /** Adds `wake`; the returned function removes it again. */
  add(wake: () => void): () => void {
    this.#wakes.add(wake);
    return () => this.#wakes.delete(wake);
  }

  /** Runs every registered callback once and empties the list. */
  wakeAll(): void {
    if (this.#wakes.size === 0) return;
    const wakes = this.#wakes;
    this.#wakes = new Set();
    for (const wake of wakes) wake();
  }
}
