import type { AlgorithmMessage, SocketCodec } from '@hkube-ts/protocol';
import type { Logger } from '../logging/logger.js';
import type { TransportConnection } from '../transport/types.js';

/**
 * The one way out to the worker: encodes messages and sends them in order. It refuses to send
 * anything before the first `initialize` has arrived, because a real worker crashes on a frame it
 * receives before it has bootstrapped (worker-protocol §1.4).
 */
export class Outbox {
  readonly #codec: SocketCodec;
  readonly #logger: Logger;
  readonly #connection: Promise<TransportConnection>;
  #attach!: (connection: TransportConnection) => void;
  #attached: TransportConnection | undefined;
  /** Sends waiting for the connection; later sends wait behind them to keep the order. */
  #waiting = 0;
  #open = false;

  constructor(codec: SocketCodec, logger: Logger) {
    this.#codec = codec;
    this.#logger = logger;
    // A frame can arrive (and be answered) before `connect()` has returned the connection.
    this.#connection = new Promise((resolve) => {
      this.#attach = resolve;
    });
  }

  /** Binds the connection messages go out on. */
  attach(connection: TransportConnection): void {
    this.#attached = connection;
    this.#attach(connection);
  }

  /** Called when the first `initialize` arrives: from then on messages may be sent. */
  open(): void {
    this.#open = true;
  }

  /** Whether the worker may be sent messages yet. */
  get isOpen(): boolean {
    return this.#open && this.#attached !== undefined;
  }

  /**
   * Encodes and sends one message. Rejects when the message cannot be encoded or the connection is
   * gone; the caller decides whether that matters.
   */
  send(message: AlgorithmMessage): Promise<void> {
    if (!this.#open) {
      this.#logger.warn(`not sending '${message.command}': the worker has not sent initialize yet`);
      return Promise.reject(new Error(`cannot send '${message.command}' before initialize`));
    }
    // Encoded before any waiting, so that messages keep their order and an EncodeError surfaces here.
    let frame: string | Buffer;
    try {
      frame = this.#codec.encode(message);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    // Once attached (and nothing queued before it), no promise turn at all: this is the hot path.
    const attached = this.#waiting === 0 ? this.#attached : undefined;
    return attached !== undefined ? attached.send(frame) : this.#sendWhenAttached(frame);
  }

  async #sendWhenAttached(frame: string | Buffer): Promise<void> {
    this.#waiting++;
    const connection = await this.#connection;
    this.#waiting--;
    await connection.send(frame);
  }
}
