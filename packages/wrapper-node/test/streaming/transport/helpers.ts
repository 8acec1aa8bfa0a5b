/** Shared fixtures of the stream transport tests: a header, a recording logger, a message collector. */
import type { Logger } from '../../../src/logging/logger.js';
import type { ReceivedMessage } from '../../../src/streaming/types.js';

export const HEADER = Uint8Array.of(1, 8, 2, 3, 0, 0, 0x48, 0x4b);

/** A logger that keeps every line, by level. */
export function recordingLogger(): Logger & { readonly lines: { level: string; message: string }[] } {
  const lines: { level: string; message: string }[] = [];
  const at = (level: string) => (message: string): void => {
    lines.push({ level, message });
  };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** An `onMessage` that records messages; `all` resolves once `count` arrived. */
export function collector(count: number): {
  readonly received: ReceivedMessage[];
  readonly all: Promise<void>;
  readonly onMessage: (message: ReceivedMessage) => Promise<void>;
} {
  const received: ReceivedMessage[] = [];
  let resolve: () => void = () => undefined;
  const all = new Promise<void>((done) => (resolve = done));
  return {
    received,
    all,
    onMessage: (message) => {
      received.push(message);
      if (received.length === count) resolve();
      return Promise.resolve();
    },
  };
}
