/**
 * The consuming half of a task's streaming API: the user's input listeners, the `messages()` iterable
 * and the `messages$` Observable over one stream of inputs, and the "which input is being handled"
 * context that lets `sendMessage` continue the incoming flow (pipeline-semantics §4).
 *
 * @module
 */

import { AsyncLocalStorage } from 'node:async_hooks';
import type { StreamInputListener, StreamMessage } from '@hkube-ts/codeapi';
import { ensureError, type StreamFlowStep, type StreamingMessageId } from '@hkube-ts/protocol';
import { Observable } from 'rxjs';
import { isThenable } from '../thenable.js';

/** What `sendMessage` needs to know about the input being handled. */
export interface InputContext {
  /** The rest of flow the input came with (a real stream); absent for the debug relay's inputs. */
  readonly flow?: readonly StreamFlowStep[];
  /** The debug relay's id of the input (the tunnel only). */
  readonly sendMessageId?: StreamingMessageId;
}

interface IteratorItem {
  readonly value: StreamMessage;
  readonly context: InputContext;
  readonly handled: () => void;
}

/**
 * A registered listener. The user's (`user`) runs inside the {@link InputContext} of an
 * `AsyncLocalStorage`, so `sendMessage` sees the input also after an await; the hub's own `messages()`
 * listener (`hub`) only records the context it is handed, and so never enables the storage, whose
 * promise hooks (Node 20) slow down every promise of the process.
 */
type HubListener =
  | { readonly kind: 'user'; readonly listener: StreamInputListener }
  | { readonly kind: 'hub'; readonly listener: (message: unknown, origin: string, context: InputContext) => void | Promise<void> };

/**
 * Fans each input out to every listener, running the user's inside an {@link InputContext} (an
 * `AsyncLocalStorage` of its own, so several tasks in one process never see each other's inputs; a
 * `messages()` loop gets the context with each item instead).
 * Inputs are delivered only once listening has started; {@link close} ends the iterables.
 */
export class InputHub {
  readonly #listeners = new Set<HubListener>();
  readonly #context = new AsyncLocalStorage<InputContext>();
  readonly #onClose = new Set<() => void>();
  readonly #startListening: () => void;
  #listening = false;
  #closed = false;
  /** The input a `messages()` loop body is working on (the loop runs outside any listener call). */
  #iteratorCurrent: InputContext | undefined;

  /** @param startListening - Called once, when listening starts (opens the parent listeners). */
  constructor(startListening: () => void) {
    this.#startListening = startListening;
  }

  /** Whether listening has started. */
  get listening(): boolean {
    return this.#listening;
  }

  /** Whether {@link close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** The input being handled here: the listener call's context, else the current `messages()` item. */
  current(): InputContext | undefined {
    return this.#context.getStore() ?? this.#iteratorCurrent;
  }

  /** Adds a listener for every later input; returns its removal. */
  register(listener: StreamInputListener): () => void {
    return this.#add({ kind: 'user', listener });
  }

  #add(entry: HubListener): () => void {
    this.#listeners.add(entry);
    return () => this.#listeners.delete(entry);
  }

  /** Starts the inputs (once); a no-op after {@link close}. */
  startListening(): void {
    if (this.#listening || this.#closed) return;
    this.#listening = true;
    this.#startListening();
  }

  /**
   * Hands one input to every listener and settles when all of them have (rejecting with the first
   * failure, after all settled). Inputs arriving after {@link close} are ignored.
   */
  dispatch(value: StreamMessage, context: InputContext): Promise<void> {
    try {
      return Promise.resolve(this.deliver(value.message, value.origin, context));
    } catch (error) {
      return Promise.reject(ensureError(error));
    }
  }

  /**
   * {@link dispatch} for the stream hot path: returns `undefined` when every listener finished
   * synchronously (no promise per message) and throws what a synchronous listener threw; otherwise a
   * promise as `dispatch` returns.
   */
  deliver(message: unknown, origin: string, context: InputContext): Promise<void> | undefined {
    if (this.#closed || this.#listeners.size === 0) return undefined;
    if (this.#listeners.size === 1) {
      // The common case, without an extra async frame: it runs once per stream message.
      const [first] = this.#listeners;
      const listener = first!;
      let result: void | Promise<void>;
      try {
        result = this.#call(listener, message, origin, context);
      } catch (error) {
        throw ensureError(error);
      }
      return isThenable(result) ? Promise.resolve(result) : undefined;
    }
    return this.#dispatchAll([...this.#listeners], { message, origin }, context);
  }

  #call(entry: HubListener, message: unknown, origin: string, context: InputContext): void | Promise<void> {
    switch (entry.kind) {
      case 'user':
        return this.#context.run(context, entry.listener, message, origin);
      case 'hub':
        return entry.listener(message, origin, context);
    }
  }

  async #dispatchAll(listeners: readonly HubListener[], value: StreamMessage, context: InputContext): Promise<void> {
    const results = await Promise.allSettled(listeners.map(async (listener) => this.#call(listener, value.message, value.origin, context)));
    const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failure) throw failure.reason;
  }

  /** The inputs as an async iterable (see `StreamingApi.messages`); starts listening when iterated. */
  messages<T>(): AsyncIterable<StreamMessage<T>> {
    return { [Symbol.asyncIterator]: () => this.#iterator<T>() };
  }

  /** The inputs as an Observable (see `StreamingApi.messages$`); subscribing starts listening. */
  readonly messages$: Observable<StreamMessage> = new Observable<StreamMessage>((subscriber) => {
    if (this.#closed) {
      subscriber.complete();
      return undefined;
    }
    const unregister = this.register((message, origin) => subscriber.next({ message, origin }));
    const complete = (): void => subscriber.complete();
    this.#onClose.add(complete);
    this.startListening();
    return () => {
      unregister();
      this.#onClose.delete(complete);
    };
  });

  /** Calls `callback` when the hub closes (at once if it has). */
  onClose(callback: () => void): void {
    if (this.#closed) callback();
    else this.#onClose.add(callback);
  }

  /** Ends every iterable and Observable; later inputs are ignored. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#listeners.clear();
    for (const end of [...this.#onClose]) end();
    this.#onClose.clear();
  }

  /**
   * Releases the input context once nothing can use it any more (the session's end): on Node 20 an
   * enabled `AsyncLocalStorage` hooks every promise of the process. Closes the hub too.
   */
  dispose(): void {
    this.close();
    this.#context.disable();
  }

  #iterator<T>(): AsyncIterator<StreamMessage<T>> {
    const buffer: IteratorItem[] = [];
    let current: IteratorItem | undefined;
    let wake: (() => void) | undefined;
    let finished = false;
    const unregister = this.#add({
      kind: 'hub',
      listener: (message, origin, context) =>
        new Promise<void>((handled) => {
          buffer.push({ value: { message, origin }, context, handled });
          wake?.();
        }),
    });
    const release = (): void => {
      current?.handled();
      if (current !== undefined && this.#iteratorCurrent === current.context) this.#iteratorCurrent = undefined;
      current = undefined;
    };
    const finish = (): void => {
      finished = true;
      unregister();
      this.#onClose.delete(finish);
      release();
      for (const item of buffer.splice(0)) item.handled();
      wake?.();
    };
    this.#onClose.add(finish);
    if (this.#closed) finish();
    else this.startListening();
    const done = (): IteratorResult<StreamMessage<T>> => ({ done: true, value: undefined });
    return {
      next: async () => {
        release();
        while (buffer.length === 0 && !finished) await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        const item = buffer.shift();
        if (item === undefined) return done();
        current = item;
        this.#iteratorCurrent = item.context;
        return { done: false, value: item.value as StreamMessage<T> };
      },
      return: () => {
        finish();
        return Promise.resolve(done());
      },
    };
  }
}
