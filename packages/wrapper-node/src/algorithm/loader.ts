import { stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AlgorithmLoadError, InvalidAlgorithmError } from '../errors.js';
import type { Algorithm } from './types.js';

const HOOKS = ['init', 'start', 'stop', 'exit'] as const;

function pickHooks(candidate: unknown): Partial<Record<(typeof HOOKS)[number], unknown>> | undefined {
  if ((typeof candidate !== 'object' && typeof candidate !== 'function') || candidate === null) return undefined;
  const source = candidate as Record<string, unknown>;
  return typeof source.start === 'function' ? source : undefined;
}

/**
 * Checks that `candidate` is an algorithm: an object (or module namespace) with a `start` function
 * and, optionally, `init`, `stop` and `exit` functions. Accepts named exports, a default export
 * holding the hooks, or a CommonJS `module.exports`. Throws `InvalidAlgorithmError`.
 */
export function toAlgorithm(candidate: unknown, name = '<object>'): Algorithm {
  const namespace = candidate as { default?: unknown; algorithm?: unknown } | null | undefined;
  const hooks =
    pickHooks(candidate) ??
    pickHooks(namespace?.default) ??
    pickHooks((namespace?.default as { default?: unknown } | undefined)?.default) ??
    pickHooks(namespace?.algorithm);
  if (hooks === undefined) {
    throw new InvalidAlgorithmError(name, 'does not export a start function (export `start`, or a default object with `start`)');
  }
  for (const hook of HOOKS) {
    const value = hooks[hook];
    if (value !== undefined && typeof value !== 'function') {
      throw new InvalidAlgorithmError(name, `exports '${hook}' that is not a function`);
    }
  }
  const bind = (hook: (typeof HOOKS)[number]) => {
    const fn = hooks[hook] as ((...args: unknown[]) => unknown) | undefined;
    return fn === undefined ? undefined : fn.bind(hooks);
  };
  const algorithm: Algorithm = { start: bind('start') as Algorithm['start'] };
  const init = bind('init');
  const stop = bind('stop');
  const exit = bind('exit');
  if (init) algorithm.init = init as NonNullable<Algorithm['init']>;
  if (stop) algorithm.stop = stop as NonNullable<Algorithm['stop']>;
  if (exit) algorithm.exit = exit as NonNullable<Algorithm['exit']>;
  return algorithm;
}

/** Where to find an algorithm module: HKube's `ALGORITHM_PATH` and `ALGORITHM_ENTRY_POINT`. */
export interface AlgorithmLocation {
  /** Folder of the user code, relative to `cwd` (default `algorithm_unique_folder`). */
  readonly algorithmPath: string;
  /** Entry file inside it (default `index.js`); a folder or a file without extension is resolved too. */
  readonly entryPoint: string;
  /** Base for a relative `algorithmPath` (default `process.cwd()`). */
  readonly cwd?: string;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function resolveEntry(location: AlgorithmLocation): Promise<string> {
  const base = resolve(location.cwd ?? process.cwd(), location.algorithmPath);
  const entry = isAbsolute(location.entryPoint) ? location.entryPoint : join(base, location.entryPoint);
  const candidates = [entry, `${entry}.js`, `${entry}.mjs`, `${entry}.cjs`, join(entry, 'index.js'), join(entry, 'index.mjs'), join(entry, 'index.cjs')];
  for (const candidate of candidates) if (await isFile(candidate)) return candidate;
  throw new AlgorithmLoadError(entry, { cause: new Error('no such file') });
}

/**
 * Imports an algorithm module (ESM or CommonJS, named or default exports) and checks its shape.
 * Throws `AlgorithmLoadError` when it cannot be found or imported, `InvalidAlgorithmError` when it
 * has no `start`.
 *
 * @example
 * ```ts
 * const algorithm = await loadAlgorithm({ algorithmPath: 'algorithm_unique_folder', entryPoint: 'index.js' });
 * ```
 */
export async function loadAlgorithm(location: AlgorithmLocation): Promise<Algorithm> {
  const file = await resolveEntry(location);
  let namespace: unknown;
  try {
    namespace = await import(pathToFileURL(file).href);
  } catch (cause) {
    throw new AlgorithmLoadError(file, { cause });
  }
  return toAlgorithm(namespace, file);
}
