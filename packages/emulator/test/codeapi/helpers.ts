import type { Algorithm } from '@hkube-ts/wrapper-node';
import type { JobResult } from '../../src/index.js';

/** HKube's `green-alg`: returns its first input. */
export const greenAlg: Algorithm = { start: ({ input }) => input[0] };

/** A one-node pipeline whose node `caller` runs `algorithmName`. */
export function callerPipeline(algorithmName = 'caller', input: unknown[] = []): Record<string, unknown> {
  return { name: 'code-api', nodes: [{ nodeName: 'caller', algorithmName, input }] };
}

/** The data of a completed job (fails the test otherwise). */
export function completedData(result: JobResult): unknown {
  if (result.status !== 'completed') throw new Error(`job ${result.status}: ${result.status === 'failed' ? result.error : result.reason}`);
  return result.data;
}

/** The result of the only node result of a completed job. */
export function onlyResult(result: JobResult): unknown {
  const data = completedData(result) as { result?: unknown }[];
  if (data.length !== 1) throw new Error(`expected one node result, got ${data.length}`);
  return data[0]!.result;
}

/** A promise with its resolver. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** An algorithm that runs until stopped, calling `onStart` when it starts and `onAbort` when stopped. */
export function untilStopped(onStart: () => void, onAbort: () => void = () => undefined): Algorithm {
  return {
    start: ({ signal }) =>
      new Promise((_resolve, reject) => {
        onStart();
        signal.addEventListener('abort', () => {
          onAbort();
          reject(new Error('aborted'));
        });
      }),
  };
}

/** Silences the emulator's diagnostics. */
export const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
