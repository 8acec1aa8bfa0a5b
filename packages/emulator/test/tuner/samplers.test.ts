import { describe, expect, it } from 'vitest';
import { createSampler, seededRandom } from '../../src/nodes/tuner/samplers.js';
import { TunerSpecError } from '../../src/nodes/tuner/errors.js';
import { parseTunerSpec } from '../../src/nodes/tuner/spec.js';

describe('tuner samplers', () => {
  it('Grid: the cartesian product, first key slowest, then exhausted', () => {
    const next = createSampler({ name: 'Grid', searchSpace: [['a', [1, 2]], ['b', ['x', 'y', 'z']]] }, []);
    const points = [];
    for (let point = next(); point !== undefined; point = next()) points.push(point);
    expect(points).toEqual([
      { a: 1, b: 'x' }, { a: 1, b: 'y' }, { a: 1, b: 'z' },
      { a: 2, b: 'x' }, { a: 2, b: 'y' }, { a: 2, b: 'z' },
    ]);
  });

  it('Random: the same seed gives the same draws; int covers both ends', () => {
    const spec = parseTunerSpec('T', { objectivePipeline: 'o', numberOfTrials: 1, hyperParams: [{ name: 'n', suggest: 'int', low: 1, high: 3 }], sampler: { name: 'Random', seed: 3 } });
    const draws = (): unknown[] => {
      const next = createSampler(spec.sampler, spec.hyperParams);
      return Array.from({ length: 200 }, () => next()?.['n']);
    };
    const first = draws();
    expect(draws()).toEqual(first);
    expect(new Set(first)).toEqual(new Set([1, 2, 3]));
    const random = seededRandom(9);
    expect(Array.from({ length: 1000 }, random).every((value) => value >= 0 && value < 1)).toBe(true);
  });

  it('reads the spec: Grid ignores hyperParams; TPE and no sampler fall back to Random; PartialFixed is refused', () => {
    expect(parseTunerSpec('T', { objectivePipeline: 'o', numberOfTrials: 2, sampler: { name: 'Grid', search_space: { x: [1] } } }).sampler).toEqual({ name: 'Grid', searchSpace: [['x', [1]]] });
    const hyperParams = [{ name: 'x', suggest: 'uniform', low: 0, high: 1 }];
    expect(parseTunerSpec('T', { objectivePipeline: 'o', numberOfTrials: 2, hyperParams }).sampler).toEqual({ name: 'Random', seed: undefined, requested: undefined });
    expect(parseTunerSpec('T', { objectivePipeline: 'o', numberOfTrials: 2, hyperParams, sampler: { name: 'TPE' } }).sampler.name).toBe('Random');
    const partial = (): unknown => parseTunerSpec('T', { objectivePipeline: 'o', numberOfTrials: 2, hyperParams, sampler: { name: 'PartialFixed' } });
    expect(partial).toThrow(TunerSpecError);
    expect(() => parseTunerSpec('T', { objectivePipeline: 'o', numberOfTrials: 2, sampler: { name: 'Grid', search_space: { x: [] } } })).toThrow('search_space.x must be a non-empty list');
    expect(() => parseTunerSpec('T', { objectivePipeline: 'o', numberOfTrials: 2, hyperParams, sampler: { name: 'Random', seed: 1.5 } })).toThrow('sampler.seed must be an integer');
  });
});
