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

  /** {@inheritDoc @hkube-ts/codeapi#StreamingApi.registerInputListener} */
  registerInputListener(listener: StreamInputListener): void {
    this.hub.register(listener);
  }

  /** {@inheritDoc @hkube-ts/codeapi#StreamingApi.startMessageListening} */
  startMessageListening(): void {
    this.hub.startListening();
  }

  /** {@inheritDoc @hkube-ts/codeapi#StreamingApi.messages} */
  messages<T = unknown>(): AsyncIterable<StreamMessage<T>> {
    return this.hub.messages<T>();
  }

  /** {@inheritDoc @hkube-ts/codeapi#StreamingApi.messages$} */
  get messages$(): Observable<StreamMessage> {
    return this.hub.messages$;
  }
}
