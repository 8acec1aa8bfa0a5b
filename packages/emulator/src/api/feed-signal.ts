/** The wake-up list shared by the emulator's async feeds: readers wait, a change wakes them all. */
export class FeedSignal {
  #wake: (() => void)[] = [];

  /** Resolves at the next {@link FeedSignal.notify}. */
  wait(): Promise<void> {
    return new Promise<void>((resolve) => this.#wake.push(resolve));
  }

  /** Wakes every waiting reader. */
  notify(): void {
    const wake = this.#wake;
    this.#wake = [];
    for (const resolve of wake) resolve();
  }
}
