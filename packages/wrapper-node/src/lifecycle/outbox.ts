import type { AlgorithmMessage, SocketCodec } from '@hkube-ts/protocol';
import type { Logger } from '../logging/logger.js';
import type { TransportConnection } from '../transport/types.js';

/** The commands whose message may be the command alone (`initialized`, `started`, `stopped`, `alive`…). */
export type CommandOnly = AlgorithmMessage extends infer M ? (M extends { command: infer C } ? ({ command: C } extends M ? C : never) : never) : never;

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
  /** Frames of command-only messages, encoded once: the same bytes every task. */
  readonly #commandFrames = new Map<CommandOnly, string | Buffer>();

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
    if (!this.#open) return this.#refuse(message.command);
    // Encoded before any waiting, so that messages keep their order and an EncodeError surfaces here.
    let frame: string | Buffer;
    try {
      frame = this.encode(message);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return this.sendFrame(frame);
  }

  /** Sends the message `{command}`, whose frame is encoded once per connection. */
  sendCommand(command: CommandOnly): Promise<void> {
    if (!this.#open) return this.#refuse(command);
    let frame = this.#commandFrames.get(command);
    if (frame === undefined) {
      try {
        frame = this.encode({ command });
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
      this.#commandFrames.set(command, frame);
    }
    return this.sendFrame(frame);
  }

  /** Encodes a message as a frame of the connection's codec; throws `EncodeError`. */
  encode(message: AlgorithmMessage): string | Buffer {
    return this.#codec.encode(message);
  }

  /** Sends a frame made by {@link encode}, after every frame sent before it. Rejects before `initialize`. */
  sendFrame(frame: string | Buffer): Promise<void> {
    if (!this.#open) return this.#refuse('a message');
    // Once attached (and nothing queued before it), no promise turn at all: this is the hot path.
    const attached = this.#waiting === 0 ? this.#attached : undefined;
    return attached !== undefined ? attached.send(frame) : this.#sendWhenAttached(frame);
  }

  #refuse(what: string): Promise<never> {
    this.#logger.warn(`not sending '${what}': the worker has not sent initialize yet`);
    return Promise.reject(new Error(`cannot send '${what}' before initialize`));
  }

  async #sendWhenAttached(frame: string | Buffer): Promise<void> {
    this.#waiting++;
    const connection = await this.#connection;
    this.#waiting--;
    await connection.send(frame);
  }
}
