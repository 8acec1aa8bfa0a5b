import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmulator, PipelineValidationError, type Emulator, type JobResult } from '../../src/index.js';
import { createEmulatorLogger } from '../../src/logger.js';

// pipeline-semantics §5.2 and §7.2 G2–G4: the tuner runs its stored objective pipeline once per trial
// with flowInput.hyperParams, minimises the first result and returns the best params.
let emulator: Emulator;
let calls: unknown[];

beforeEach(async () => {
  emulator = await createEmulator({ logger: createEmulatorLogger('silent') });
  calls = [];
  emulator.registerAlgorithm('square-distance', {
    start: ({ input: [x] }) => {
      calls.push(x);
      return ((x as number) - 2) ** 2;
    },
  });
  emulator.storePipeline({ name: 'objective', nodes: [{ nodeName: 'score', algorithmName: 'square-distance', input: ['@flowInput.hyperParams.x'] }] });
});

afterEach(async () => {
  await emulator.close();
});

function tuner(spec: Record<string, unknown>): Record<string, unknown> {
  return { name: 'tuning', nodes: [{ nodeName: 'tuner', kind: 'hyperparamsTuner', spec: { objectivePipeline: 'objective', ...spec } }] };
}

function tunerResult(result: JobResult): unknown {
  if (result.status !== 'completed') throw new Error(`job ${result.status}: ${result.status === 'failed' ? result.error : result.reason}`);
  expect(result.data).toHaveLength(1);
  expect(result.data[0]).toMatchObject({ nodeName: 'tuner', algorithmName: 'tuning-hyperparamstuner' });
  return result.data[0]!.result;
}

function failure(result: JobResult): string {
  if (result.status !== 'failed') throw new Error(`expected a failed job, got ${result.status}`);
  return result.error;
}

describe('hyperparamsTuner', () => {
  it('G2: Grid runs every point once, stops when exhausted, and returns the best params', async () => {
    const result = await emulator.run(tuner({ numberOfTrials: 10, sampler: { name: 'Grid', search_space: { x: [1, 2, 3] } } }));
    expect(tunerResult(result)).toEqual({ x: 2 });
    expect(calls).toEqual([1, 2, 3]);
  });

  it('Grid visits the cartesian product in order and honours a smaller numberOfTrials', async () => {
    emulator.registerAlgorithm('pair', { start: ({ input: [x, y] }) => (calls.push([x, y]), (x as number) * 10 + (y as number)) });
    emulator.storePipeline({ name: 'pairs', nodes: [{ nodeName: 'p', algorithmName: 'pair', input: ['@flowInput.hyperParams.x', '@flowInput.hyperParams.y'] }] });
    const spec = { objectivePipeline: 'pairs', numberOfTrials: 3, sampler: { name: 'Grid', search_space: { x: [2, 1], y: [5, 4] } } };
    expect(tunerResult(await emulator.run(tuner(spec)))).toEqual({ x: 1, y: 5 });
    expect(calls).toEqual([[2, 5], [2, 4], [1, 5]]);
  });

  it('G3: a seeded Random sampler over an int finds x = 2, the same way every run', async () => {
    const spec = { numberOfTrials: 20, hyperParams: [{ name: 'x', suggest: 'int', low: 0, high: 4 }], sampler: { name: 'Random', seed: 42 } };
    expect(tunerResult(await emulator.run(tuner(spec)))).toEqual({ x: 2 });
    const first = [...calls];
    expect(first).toHaveLength(20);
    expect(first.every((x) => Number.isInteger(x) && (x as number) >= 0 && (x as number) <= 4)).toBe(true);
    calls = [];
    await emulator.run(tuner(spec));
    expect(calls).toEqual(first);
  });

  it('Random draws uniform, loguniform and categorical params within their ranges', async () => {
    emulator.registerAlgorithm('record', { start: ({ input: [params] }) => (calls.push(params), 0) });
    emulator.storePipeline({ name: 'recorder', nodes: [{ nodeName: 'r', algorithmName: 'record', input: ['@flowInput.hyperParams'] }] });
    const hyperParams = [
      { name: 'u', suggest: 'uniform', low: -1, high: 1 },
      { name: 'l', suggest: 'loguniform', low: 0.001, high: 10 },
      { name: 'c', suggest: 'categorical', choices: ['a', 'b'] },
    ];
    const best = tunerResult(await emulator.run(tuner({ objectivePipeline: 'recorder', numberOfTrials: 30, hyperParams, sampler: { name: 'Random', seed: 7 } })));
    expect(best).toEqual(calls[0]);
    for (const params of calls as { u: number; l: number; c: string }[]) {
      expect(params.u).toBeGreaterThanOrEqual(-1);
      expect(params.u).toBeLessThan(1);
      expect(params.l).toBeGreaterThanOrEqual(0.001);
      expect(params.l).toBeLessThanOrEqual(10);
      expect(['a', 'b']).toContain(params.c);
    }
  });

  it('G4: a list result counts by its first element', async () => {
    emulator.registerAlgorithm('listed', { start: ({ input: [x] }) => [x === 3 ? 1 : 5, -100 * (x as number)] });
    emulator.storePipeline({ name: 'lists', nodes: [{ nodeName: 'l', algorithmName: 'listed', input: ['@flowInput.hyperParams.x'] }] });
    const spec = { objectivePipeline: 'lists', numberOfTrials: 3, sampler: { name: 'Grid', search_space: { x: [1, 2, 3] } } };
    expect(tunerResult(await emulator.run(tuner(spec)))).toEqual({ x: 3 });
  });

  it('deep-merges hyperParams over the stored flowInput of the objective pipeline', async () => {
    emulator.registerAlgorithm('offset', { start: ({ input: [x, offset] }) => Math.abs((x as number) + (offset as number)) });
    emulator.storePipeline({
      name: 'merged',
      nodes: [{ nodeName: 'o', algorithmName: 'offset', input: ['@flowInput.hyperParams.x', '@flowInput.hyperParams.offset'] }],
      flowInput: { hyperParams: { x: 0, offset: -3 } },
    });
    const spec = { objectivePipeline: 'merged', numberOfTrials: 5, sampler: { name: 'Grid', search_space: { x: [1, 2, 3, 4] } } };
    expect(tunerResult(await emulator.run(tuner(spec)))).toEqual({ x: 3 });
  });

  it('checks the spec when the pipeline is run (HKube\'s messages)', () => {
    expect(() => emulator.runPipeline(tuner({ sampler: { name: 'Grid', search_space: { x: [1] } } }))).toThrow(PipelineValidationError);
    expect(() => emulator.runPipeline(tuner({ sampler: { name: 'Grid', search_space: { x: [1] } } }))).toThrow("data should have required property 'numberOfTrials'");
    expect(() => emulator.runPipeline(tuner({ numberOfTrials: 3 }))).toThrow('spec must include hyperParams');
  });

  it('fails the node for hyper-parameters it cannot draw', async () => {
    const error = failure(await emulator.run(tuner({ numberOfTrials: 3, hyperParams: [{ name: 'x', suggest: 'int', low: 4, high: 1 }] })));
    expect(error).toBe('hyperparamsTuner node "tuner": hyper parameter "x": int needs numbers low <= high');
    const discrete = failure(await emulator.run(tuner({ numberOfTrials: 3, hyperParams: [{ name: 'x', suggest: 'discrete_uniform', low: 0, high: 1 }] })));
    expect(discrete).toContain('discrete_uniform');
    expect(calls).toEqual([]);
  });

  it('fails the node when the objective pipeline is not stored, fails, or has no number', async () => {
    const missing = tuner({ objectivePipeline: 'nope', numberOfTrials: 3, sampler: { name: 'Grid', search_space: { x: [1] } } });
    expect(failure(await emulator.run(missing))).toBe('pipeline nope Not Found');
    emulator.registerAlgorithm('boom', { start: () => Promise.reject(new Error('objective exploded')) });
    emulator.storePipeline({ name: 'exploding', nodes: [{ nodeName: 'b', algorithmName: 'boom', input: [] }] });
    expect(failure(await emulator.run(tuner({ objectivePipeline: 'exploding', numberOfTrials: 3, sampler: { name: 'Grid', search_space: { x: [1] } } })))).toBe('objective exploded');
    emulator.registerAlgorithm('words', { start: () => 'not a number' });
    emulator.storePipeline({ name: 'wordy', nodes: [{ nodeName: 'w', algorithmName: 'words', input: [] }] });
    expect(failure(await emulator.run(tuner({ objectivePipeline: 'wordy', numberOfTrials: 3, sampler: { name: 'Grid', search_space: { x: [1] } } })))).toBe(
      'objective pipeline wordy returned "not a number", not a number',
    );
  });

  it('feeds the best params to the tuner\'s children', async () => {
    emulator.registerAlgorithm('echo', { start: ({ input }) => input[0] });
    const pipeline = tuner({ numberOfTrials: 3, sampler: { name: 'Grid', search_space: { x: [3, 2, 1] } } });
    const nodes = [...(pipeline['nodes'] as unknown[]), { nodeName: 'use', algorithmName: 'echo', input: ['@tuner.x'] }];
    const result = await emulator.run({ ...pipeline, nodes });
    expect(result).toMatchObject({ status: 'completed', data: [{ nodeName: 'use', result: 2 }] });
  });
});
