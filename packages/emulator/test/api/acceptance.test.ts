import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator, type JobResult } from '../../src/index.js';
import { echo, fromInput, node } from '../support/algorithms.js';

// pipeline-semantics §7.2 cases end to end: engine → virtual workers → the real wrapper (in-process).
let emulator: Emulator;

beforeEach(async () => {
  emulator = await createEmulator();
  emulator.registerAlgorithm('echo', echo);
});

afterEach(async () => {
  await emulator.close();
});

function data(result: JobResult): readonly Record<string, unknown>[] {
  if (result.status !== 'completed') expect.fail(`job ${result.status}: ${result.status === 'failed' ? result.error : result.reason}`);
  return result.data as unknown as readonly Record<string, unknown>[];
}

describe('§7.2 acceptance cases through the wrapper', () => {
  it('C1: indexed over two batch parents', async () => {
    const result = await emulator.run({ name: 'Athos', nodes: [node('one', ['#[0...9]']), node('two', ['#[10...19]']), node('three', ['#@one', '#@two'])] });
    const entries = data(result);
    expect(entries).toHaveLength(10);
    expect(entries.every((entry) => entry['nodeName'] === 'three')).toBe(true);
    expect(entries[7]).toEqual({ nodeName: 'three', batchIndex: 8, algorithmName: 'echo', result: [[7], [17]] });
  });

  it.each([
    [[5, 3], [3], 24],
    [[3, 5], [8], 64],
    [[2.5, 3.4], [1.35], 7.965],
  ])('C9: addmult with %j and %j', async (addInput, multInput, expected) => {
    emulator.registerAlgorithm('eval-add', fromInput(([pair]) => (pair as number[])[0]! + (pair as number[])[1]!));
    emulator.registerAlgorithm('eval-mul', fromInput(([sum, mult]) => (sum as number) * (mult as number[])[0]!));
    const result = await emulator.run({
      name: 'addmult',
      nodes: [
        { nodeName: 'evaladd', algorithmName: 'eval-add', input: ['@flowInput.addInput'] },
        { nodeName: 'evalmul', algorithmName: 'eval-mul', input: ['@evaladd', '@flowInput.multInput'] },
      ],
      flowInput: { addInput, multInput },
    });
    const [entry] = data(result);
    expect(entry).toMatchObject({ nodeName: 'evalmul', algorithmName: 'eval-mul' });
    expect(entry!['result']).toBeCloseTo(expected, 10);
  });

  it('C11: a batch node over a null flowInput is skipped, and its children still run', async () => {
    const result = await emulator.run({
      name: 'simple-batch',
      nodes: [node('green', [], { includeInResults: true }), node('yellow', ['@green', '#@flowInput.inp'], { includeInResults: true }), node('black', ['@yellow'])],
      flowInput: { inp: null },
    });
    expect(data(result)).toEqual([
      { nodeName: 'green', algorithmName: 'echo', result: [] },
      { nodeName: 'yellow', batchIndex: -1, algorithmName: 'echo' },
      { nodeName: 'black', algorithmName: 'echo', result: [[]] },
    ]);
  });

  it('D2: a batch failure above the tolerance fails the job with HKube message', async () => {
    emulator.registerAlgorithm(
      'evalerror',
      fromInput(([n]) => {
        if ((n as number) > 10) throw new Error('eval error, dont know what to do');
        return 100;
      }),
    );
    const result = await emulator.run({
      name: 'evalerror',
      nodes: [{ nodeName: 'evalerror', algorithmName: 'evalerror', input: ['#@flowInput.nums'] }],
      flowInput: { nums: [1, 24, 3, 4, 5] },
      options: { batchTolerance: 20 },
    });
    expect(result).toMatchObject({ status: 'failed', error: '1/5 (20%) failed tasks, batch tolerance is 20%, error: eval error, dont know what to do' });
  });

  it('D5: a single task that throws fails the job; its child never runs', async () => {
    let childRuns = 0;
    emulator.registerAlgorithm('boom', fromInput(() => Promise.reject(new Error('boom'))));
    emulator.registerAlgorithm('child', fromInput(() => (childRuns += 1)));
    const result = await emulator.run({ name: 'd5', nodes: [{ nodeName: 'A', algorithmName: 'boom', input: [] }, { nodeName: 'B', algorithmName: 'child', input: ['@A'] }] });
    expect(result).toMatchObject({ status: 'failed', error: 'boom', nodeName: 'A' });
    expect(result).not.toHaveProperty('data');
    expect(childRuns).toBe(0);
  });
});
