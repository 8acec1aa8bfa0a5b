type Write = typeof process.stdout.write;

/**
 * Copies what the process prints on stdout and stderr, line by line, to `onLines`, while still
 * printing it. Returns a function that restores the streams. Partial lines wait for their newline
 * (or for the restore).
 */
export function forwardOutput(onLines: (lines: string[]) => void): () => void {
  const streams = [process.stdout, process.stderr] as const;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- restored on the same stream below
  const originals: Write[] = streams.map((stream) => stream.write);
  const pending = ['', ''];
  streams.forEach((stream, index) => {
    const original = originals[index]!;
    const patched = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
      try {
        const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) || chunk instanceof Uint8Array ? Buffer.from(chunk).toString('utf8') : '';
        const joined = pending[index] + text;
        const parts = joined.split('\n');
        pending[index] = parts.pop() ?? '';
        if (parts.length > 0) onLines(parts);
      } catch {
        // Forwarding must never break printing.
      }
      return (original as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
    };
    stream.write = patched;
  });
  return () => {
    streams.forEach((stream, index) => {
      stream.write = originals[index]!;
      const rest = pending[index];
      if (rest) onLines([rest]);
      pending[index] = '';
    });
  };
}
