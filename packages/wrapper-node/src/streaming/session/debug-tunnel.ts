/**
 * {@link DebugStreamTunnel}: streaming for a process attached to HKube's debug relay (worker-protocol
 * §1.6, §7.6). The relay runs the real stream node; its inputs arrive here as `streamingInMessage`, and
 * `sendMessage` goes back as `streamingOutMessage`. Each input is answered with
 * `streamingInMessageDone` once handled, which releases the relay's next one.
 *
 * @module
 */

import { NoStreamConsumersError, StreamingClosedError, type StreamingBackend, type StreamingStatistics } from '@hkube-ts/codeapi';
import { ensureError, type AlgorithmMessage, type InitializePayload, type StreamingInMessageData } from '@hkube-ts/protocol';
import type { Logger } from '../../logging/logger.js';
import { HubStreaming } from './hub-streaming.js';

/** Options of {@link DebugStreamTunnel}. */
export interface DebugStreamTunnelOptions {
  /** The task's `initialize` payload as the relay sent it (`kind` forced to `batch`; `childs` kept). */
  readonly payload: InitializePayload;
  /** Sends a message to the relay. */
  readonly send: (message: AlgorithmMessage) => Promise<void>;
  /** Diagnostics. */
  readonly logger: Logger;
}

const NO_STATISTICS: StreamingStatistics = Object.freeze({ binarySize: 0, configuredMaxBinarySize: 0, statisticsPerNode: Object.freeze([]) });

/**
 * The streaming of one task under the debug relay. Inputs that arrive before the algorithm starts
 * listening wait (the relay sends the next one only after `streamingInMessageDone`).
 */
export class DebugStreamTunnel extends HubStreaming implements StreamingBackend {
  readonly #options: DebugStreamTunnelOptions;
  readonly #waiting: StreamingInMessageData[] = [];
  #closedWith: string | undefined;

  constructor(options: DebugStreamTunnelOptions) {
    super();
    this.#options = options;
  }

  protected onStartListening(): void {
    for (const input of this.#waiting.splice(0)) void this.#handle(input);
  }

  /** A `streamingInMessage` from the relay. */
  onInput(input: StreamingInMessageData): void {
    if (this.#closedWith !== undefined) {
      // Nobody will handle it; answering keeps the relay from waiting forever.
      this.#done(input);
      return;
    }
    if (this.hub.listening) void this.#handle(input);
    else this.#waiting.push(input);
  }

  /**
   * Becomes `streamingOutMessage {message, flowName, sendMessageId}`. The id is the input being handled
   * when no flow name is given (the relay then continues that input's flow); with an explicit flow name
   * it is `null`, so the relay routes by the name, as `sendMessage` does outside a debug session.
   */
  sendMessage(message: unknown, flowName?: string): void {
    const { payload, send, logger } = this.#options;
    if (this.#closedWith !== undefined) throw new StreamingClosedError(payload.taskId, this.#closedWith);
    if ((payload.childs ?? []).length === 0) throw new NoStreamConsumersError(payload.nodeName);
    const sendMessageId = flowName === undefined ? (this.hub.current()?.sendMessageId ?? null) : null;
    const data = flowName === undefined ? { message, sendMessageId } : { message, flowName, sendMessageId };
    send({ command: 'streamingOutMessage', data }).catch((error: unknown) => logger.warn(`could not send a stream message to the debug relay: ${ensureError(error).message}`));
  }

  getStreamingStatistics(): StreamingStatistics {
    return NO_STATISTICS;
  }

  /** Ends the tunnel: iterables end, waiting inputs are answered as done, `sendMessage` is refused. */
  close(reason: string): void {
    if (this.#closedWith !== undefined) return;
    this.#closedWith = reason;
    this.hub.dispose();
    for (const input of this.#waiting.splice(0)) this.#done(input);
  }

  async #handle(input: StreamingInMessageData): Promise<void> {
    try {
      await this.hub.dispatch({ message: input.payload, origin: input.origin }, { sendMessageId: input.sendMessageId });
    } catch (error) {
      this.#options.logger.warn(`the input listener failed on a message from '${input.origin}': ${ensureError(error).message}`);
    } finally {
      this.#done(input);
    }
  }

  #done(input: StreamingInMessageData): void {
    this.#options.send({ command: 'streamingInMessageDone', data: { sendMessageId: input.sendMessageId } }).catch(() => undefined);
  }
}
