import type { AlgorithmMessage, SocketCodec } from '@hkube-ts/protocol';
import type { MemoryPipePeer } from '../../../../src/index.js';
import { until } from './wait.js';

/** A worker scripted over an in-memory pipe: what it sends, and what the wrapper answered. */
export class PipeWorker {
  readonly received: AlgorithmMessage[] = [];
  readonly #peer: MemoryPipePeer;
  readonly #codec: SocketCodec;

  constructor(peer: MemoryPipePeer, codec: SocketCodec) {
    this.#peer = peer;
    this.#codec = codec;
    peer.onFrame((frame) => {
      const read = codec.readAlgorithmMessage(frame);
      if (!read.ok) throw new Error(`the wrapper sent an invalid frame: ${read.error.message}`);
      this.received.push(read.value);
    });
  }

  send(message: { command: string; data?: unknown }): void {
    this.#peer.send(this.#codec.encode(message as AlgorithmMessage));
  }

  get commands(): string[] {
    return this.received.map((message) => message.command);
  }

  /** The first message with this command (after index `from`), waiting for it. */
  async next<C extends AlgorithmMessage['command']>(command: C, from = 0, timeoutMs = 10_000): Promise<Extract<AlgorithmMessage, { command: C }>> {
    let found: AlgorithmMessage | undefined;
    await until(() => (found = this.received.slice(from).find((message) => message.command === command)) !== undefined, `'${command}' (got ${this.commands.join(', ')})`, timeoutMs);
    return found as Extract<AlgorithmMessage, { command: C }>;
  }
}
