import type { Algorithm } from '@hkube-ts/wrapper-node';

/** The node's input: a list of numbers and an optional scale factor. */
export type Input = [numbers: number[], scale?: number];

/** What the algorithm returns. */
export interface Output {
  readonly count: number;
  readonly sum: number;
  readonly scaled: number[];
}

/**
 * A first typed HKube algorithm: sums and scales a list of numbers, stops early when the worker
 * stops the task, and reports progress through the Code API.
 */
export const algorithm: Algorithm<Input, Output> = {
  init({ taskId }) {
    process.stdout.write(`first-algorithm: task ${taskId} initialised\n`);
  },
  async start({ input: [numbers, scale = 1], signal }, api) {
    if (!Array.isArray(numbers) || numbers.some((n) => typeof n !== 'number')) {
      throw new TypeError('input[0] must be an array of numbers');
    }
    const scaled: number[] = [];
    for (const [index, n] of numbers.entries()) {
      signal.throwIfAborted(); // the worker said stop: give up, the wrapper answers `stopped`
      scaled.push(n * scale);
      if (index % 1000 === 999) await api.progress((100 * (index + 1)) / numbers.length);
    }
    return { count: numbers.length, sum: scaled.reduce((a, b) => a + b, 0), scaled };
  },
  stop({ forceStop }) {
    process.stdout.write(`first-algorithm: stop requested (forceStop=${forceStop})\n`);
  },
};

export default algorithm;
