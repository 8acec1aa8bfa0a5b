/**
 * The consuming methods of the streaming API, shared by a real stream session and the debug tunnel.
 *
 * @module
 */

import type { StreamInputListener, StreamMessage } from '@hkube-ts/codeapi';
import type { Observable } from 'rxjs';
import { InputHub } from './input-hub.js';

/** Implements `registerInputListener`, `startMessageListening`, `messages()` and `messages$` over an {@link InputHub}. */
export abstract class HubStreaming {
  /** Where the inputs go. */
  protected readonly hub = new InputHub(() => this.onStartListening());

  /** Called once, when the algorithm starts listening. */
  protected abstract onStartListening(): void;

  /** Calls `listener(message, origin)` for every stream input (`StreamingApi.registerInputListener`). */
  registerInputListener(listener: StreamInputListener): void {
    this.hub.register(listener);
  }

  /** Starts delivering inputs to the registered listeners (`StreamingApi.startMessageListening`). */
  startMessageListening(): void {
    this.hub.startListening();
  }

  /** The stream inputs as an `AsyncIterable`; listening starts with the iteration (`StreamingApi.messages`). */
  messages<T = unknown>(): AsyncIterable<StreamMessage<T>> {
    return this.hub.messages<T>();
  }

  /** The stream inputs as an rxjs Observable (`StreamingApi.messages$`). */
  get messages$(): Observable<StreamMessage> {
    return this.hub.messages$;
  }
}
