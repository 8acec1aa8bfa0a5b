import { createEmulator, type Emulator } from '@hkube-ts/emulator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { algorithm } from '../algorithm.js';

// The algorithm, unit-tested offline on the emulator: the same wrapper code runs it as in a pod.
let emulator: Emulator;

beforeEach(async () => {
  emulator = await createEmulator();
  emulator.registerAlgorithm('first-algorithm', algorithm);
});

afterEach(async () => {
  await emulator.close();
});

describe('first-algorithm', () => {
  it('sums and scales its input', async () => {
    const result = await emulator.run({
      name: 'first',
      nodes: [{ nodeName: 'sum', algorithmName: 'first-algorithm', input: ['@flowInput.numbers', 10] }],
      flowInput: { numbers: [1, 2, 3] },
    });
    expect(result.status).toBe('completed');
    expect(result.status === 'completed' && result.data).toEqual([
      { nodeName: 'sum', algorithmName: 'first-algorithm', result: { count: 3, sum: 60, scaled: [10, 20, 30] } },
    ]);
  });

  it('runs once per batch item', async () => {
    const result = await emulator.run({
      name: 'first-batch',
      nodes: [{ nodeName: 'sum', algorithmName: 'first-algorithm', input: ['#@flowInput.lists'] }],
      flowInput: { lists: [[1], [2, 3], []] },
    });
    const sums = result.status === 'completed' ? result.data.map((entry) => (entry.result as { sum: number }).sum) : [];
    expect(sums).toEqual([1, 5, 0]);
  });

  it('fails the job with the algorithm’s own message on bad input', async () => {
    const result = await emulator.run({
      name: 'first-bad',
      nodes: [{ nodeName: 'sum', algorithmName: 'first-algorithm', input: ['not numbers'] }],
    });
    expect(result.status).toBe('failed');
    expect(result.status === 'failed' && result.error).toBe('input[0] must be an array of numbers');
  });
});
