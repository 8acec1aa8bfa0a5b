/** The last lines a process wrote, kept for error messages. */
export class OutputTail {
  #text = '';

  constructor(private readonly maxChars = 4000) {}

  /** Appends a chunk of output. */
  push(chunk: string): void {
    this.#text += chunk;
    if (this.#text.length > this.maxChars * 2) this.#text = this.#text.slice(-this.maxChars);
  }

  /** The last `lines` lines (at most `maxChars` characters). */
  lines(lines = 20): string {
    const text = this.#text.slice(-this.maxChars);
    return text.split('\n').filter((line) => line.trim() !== '').slice(-lines).join('\n');
  }
}
