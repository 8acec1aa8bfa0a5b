/**
 * One unit of work the stream debug relay hands to the debugger and waits for: a task (`initialize` …
 * `done`) or one stream input (`streamingInMessage` … `streamingInMessageDone`). The debugger's
 * `streamingOutMessage`s that belong to it are queued here and sent by the code awaiting {@link
 * RelayExchange.run}, so that they leave from the context of the input being handled and continue its
 * flow (the wrapper tracks that context with an `AsyncLocalStorage`).
 */

/** A stream message the debugger sent. */
export interface RelayedMessage {
  readonly message: unknown;
  readonly flowName: string | undefined;
}

type ExchangeEvent =
  | { readonly kind: 'out'; readonly sent: RelayedMessage }
  | { readonly kind: 'end'; readonly value: unknown }
  | { readonly kind: 'fail'; readonly error: Error };

/** Events of one exchange, in the order the debugger sent them. */
export class RelayExchange {
  readonly #events: ExchangeEvent[] = [];
  #wake: (() => void) | undefined;
  #settled = false;
  #onSettled: () => void = () => undefined;
  /** Resolves once it ended or failed (whether or not {@link run} has got there). */
  readonly whenSettled = new Promise<void>((resolve) => (this.#onSettled = resolve));

  /** Whether it ended or failed (later events are ignored). */
  get settled(): boolean {
    return this.#settled;
  }

  /** A message the debugger sent while working on this exchange. */
  out(sent: RelayedMessage): void {
    this.#push({ kind: 'out', sent });
  }

  /** The debugger is done with it: {@link run} resolves with `value` after the messages before it. */
  end(value?: unknown): void {
    this.#push({ kind: 'end', value });
  }

  /** It cannot finish (the debugger left): {@link run} rejects with `error` after the messages before it. */
  fail(error: Error): void {
    this.#push({ kind: 'fail', error });
  }

  /** Sends its messages through `send` as they come; resolves at its end. */
  async run(send: (sent: RelayedMessage) => void): Promise<unknown> {
    for (;;) {
      const event = this.#events.shift();
      if (event === undefined) {
        await new Promise<void>((resolve) => (this.#wake = resolve));
        continue;
      }
      switch (event.kind) {
        case 'out':
          send(event.sent);
          break;
        case 'end':
          return event.value;
        case 'fail':
          throw event.error;
      }
    }
  }

  #push(event: ExchangeEvent): void {
    if (this.#settled) return;
    if (event.kind !== 'out') {
      this.#settled = true;
      this.#onSettled();
    }
    this.#events.push(event);
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}
