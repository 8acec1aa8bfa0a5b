/**
 * The tuner's samplers: Grid (every point of the search space, in order, then exhausted) and Random
 * (uniform draws per hyper-parameter, from a seedable generator).
 */
import type { HyperParam, TunerSampler } from './spec.js';

/** The params of one trial, `name → value`. */
export type TrialParams = Readonly<Record<string, unknown>>;

/** Draws the params of the next trial; `undefined` once the sampler is exhausted (Grid). */
export type Sampler = () => TrialParams | undefined;

/** Creates the sampler a tuner spec asks for. */
export function createSampler(sampler: TunerSampler, hyperParams: readonly HyperParam[]): Sampler {
  if (sampler.name === 'Grid') return gridSampler(sampler.searchSpace);
  const random = seededRandom(sampler.seed ?? Math.floor(Math.random() * 2 ** 32));
  return () => Object.fromEntries(hyperParams.map((param) => [param.name, draw(param, random)]));
}

/** The cartesian product of the lists, the first key varying slowest (like `itertools.product`). */
function gridSampler(searchSpace: readonly (readonly [string, readonly unknown[]])[]): Sampler {
  const total = searchSpace.reduce((count, [, choices]) => count * choices.length, 1);
  let next = 0;
  return () => {
    if (next >= total) return undefined;
    let rest = next++;
    const values: unknown[] = [];
    for (let index = searchSpace.length - 1; index >= 0; index--) {
      const choices = searchSpace[index]![1];
      values[index] = choices[rest % choices.length];
      rest = Math.floor(rest / choices.length);
    }
    return Object.fromEntries(searchSpace.map(([name], index) => [name, values[index]]));
  };
}

/** One draw: uniform in [low, high), int in [low, high], loguniform on a log scale, one of the choices. */
function draw(param: HyperParam, random: () => number): unknown {
  switch (param.suggest) {
    case 'categorical':
      return param.choices[Math.floor(random() * param.choices.length)];
    case 'int':
      return param.low + Math.floor(random() * (param.high - param.low + 1));
    case 'uniform':
      return param.low + random() * (param.high - param.low);
    case 'loguniform':
      return Math.exp(Math.log(param.low) + random() * (Math.log(param.high) - Math.log(param.low)));
  }
}

/** mulberry32: a small deterministic generator of floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}
