/**
 * Reading a `hyperparamsTuner` node's spec (pipeline-semantics §5.2) into what the tuner runs. The
 * engine's validation already checked `numberOfTrials`, `objectivePipeline` and the sampler name; this
 * checks the rest, which HKube only finds out when Optuna runs.
 */
import { isPlainObject } from '../../engine/copy.js';
import { TunerSpecError } from './errors.js';

/** One `hyperParams` entry the Random sampler draws. */
export type HyperParam =
  | { readonly name: string; readonly suggest: 'uniform' | 'loguniform' | 'int'; readonly low: number; readonly high: number }
  | { readonly name: string; readonly suggest: 'categorical'; readonly choices: readonly unknown[] };

/** The sampler of a tuner. */
export type TunerSampler =
  /** Grid: the cartesian product of the `search_space` lists, in key and list order. */
  | { readonly name: 'Grid'; readonly searchSpace: readonly (readonly [string, readonly unknown[]])[] }
  /** Random: uniform draws; `seed` is the emulator's `spec.sampler.seed`, `requested` the name the spec gave. */
  | { readonly name: 'Random'; readonly seed: number | undefined; readonly requested: string | undefined };

/** A checked tuner spec. */
export interface TunerSpec {
  readonly numberOfTrials: number;
  readonly objectivePipeline: string;
  readonly hyperParams: readonly HyperParam[];
  readonly sampler: TunerSampler;
}

/** Samplers the emulator replaces with Random (Optuna's default, TPE, starts with random trials too). */
const RANDOM_LIKE = new Set<string | undefined>([undefined, 'Random', 'TPE', 'CmaEs']);

/**
 * Checks a tuner node's spec.
 *
 * @throws {TunerSpecError} for a spec the emulator cannot run.
 */
export function parseTunerSpec(nodeName: string, spec: Readonly<Record<string, unknown>> | undefined): TunerSpec {
  const fail = (message: string): never => {
    throw new TunerSpecError(nodeName, message);
  };
  if (spec === undefined) return fail('Hyper params tuner node must have spec attribute');
  const { numberOfTrials, objectivePipeline } = spec;
  if (typeof numberOfTrials !== 'number' || !Number.isInteger(numberOfTrials) || numberOfTrials < 1) return fail('numberOfTrials must be a positive integer');
  if (typeof objectivePipeline !== 'string' || objectivePipeline === '') return fail('objectivePipeline must name a stored pipeline');
  const sampler = isPlainObject(spec['sampler']) ? spec['sampler'] : {};
  const samplerName = typeof sampler['name'] === 'string' ? sampler['name'] : undefined;
  if (samplerName === 'Grid') return { numberOfTrials, objectivePipeline, hyperParams: [], sampler: { name: 'Grid', searchSpace: parseSearchSpace(sampler['search_space'], fail) } };
  if (!RANDOM_LIKE.has(samplerName)) return fail(`sampler "${String(samplerName)}" is not supported by the emulator (HKube's tuner builds it without its required base_sampler)`);
  const seed = sampler['seed'];
  if (seed !== undefined && (typeof seed !== 'number' || !Number.isInteger(seed))) return fail('sampler.seed must be an integer');
  const raw = spec['hyperParams'];
  if (!Array.isArray(raw) || raw.length === 0) return fail('spec must include hyperParams');
  const hyperParams = raw.map((entry: unknown, index) => parseHyperParam(entry, index, fail));
  return { numberOfTrials, objectivePipeline, hyperParams, sampler: { name: 'Random', seed, requested: samplerName } };
}

function parseSearchSpace(value: unknown, fail: (message: string) => never): readonly (readonly [string, readonly unknown[]])[] {
  if (!isPlainObject(value) || Object.keys(value).length === 0) return fail('a Grid sampler needs a non-empty sampler.search_space object');
  return Object.entries(value).map(([name, choices]) => {
    if (!Array.isArray(choices) || choices.length === 0) return fail(`search_space.${name} must be a non-empty list`);
    return [name, choices as readonly unknown[]] as const;
  });
}

function parseHyperParam(entry: unknown, index: number, fail: (message: string) => never): HyperParam {
  if (!isPlainObject(entry)) return fail(`hyperParams[${index}] must be an object`);
  const { name, suggest, low, high, choices } = entry;
  if (typeof name !== 'string' || name === '') return fail(`hyperParams[${index}] must have a name`);
  const where = `hyper parameter "${name}"`;
  if (suggest === 'categorical') {
    if (!Array.isArray(choices) || choices.length === 0) return fail(`${where}: categorical needs a non-empty choices list`);
    return { name, suggest, choices: choices as readonly unknown[] };
  }
  if (suggest === 'discrete_uniform') return fail(`${where}: suggest "discrete_uniform" is not supported (HKube's tuner calls it without the required step q)`);
  if (suggest !== 'uniform' && suggest !== 'loguniform' && suggest !== 'int') return fail(`${where}: unknown suggest ${JSON.stringify(suggest)}`);
  if (typeof low !== 'number' || typeof high !== 'number' || !Number.isFinite(low) || !Number.isFinite(high) || low > high) {
    return fail(`${where}: ${suggest} needs numbers low <= high`);
  }
  if (suggest === 'int' && (!Number.isInteger(low) || !Number.isInteger(high))) return fail(`${where}: int needs integer low and high`);
  if (suggest === 'loguniform' && low <= 0) return fail(`${where}: loguniform needs low > 0`);
  return { name, suggest, low, high };
}
