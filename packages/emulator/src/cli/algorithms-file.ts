/**
 * `algorithms.json`: how to run each algorithm.
 *
 * ```json
 * {
 *   "double": { "path": "./double.mjs" },
 *   "sum": { "command": ["python3", "main.py"], "cwd": "./sum", "env": { "X": "1" }, "maxWorkers": 2 }
 * }
 * ```
 *
 * `path` is a JavaScript module run in-process; `command` a process running any HKube wrapper. Paths
 * and `cwd` are relative to the file. Modules are imported here, so a module without `start` is an
 * input error, not a failed job.
 */
import { basename, dirname, resolve } from 'node:path';
import { loadAlgorithm } from '@hkube-ts/wrapper-node';
import { isPlainObject } from '../engine/copy.js';
import type { AlgorithmOptions, AlgorithmSource } from '../api/registry.js';
import { CliInputError } from './errors.js';

/** One algorithm to register. */
export interface AlgorithmDefinition {
  readonly name: string;
  readonly source: AlgorithmSource;
  readonly options: AlgorithmOptions;
}

const MODULE_KEYS = new Set(['path', 'maxWorkers', 'stateType']);
const COMMAND_KEYS = new Set(['command', 'cwd', 'env', 'maxWorkers', 'connectTimeoutMs', 'stateType']);

function positiveInteger(file: string, name: string, key: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) throw new CliInputError(file, `"${name}": "${key}" must be a positive integer`);
  return value;
}

function definition(file: string, name: string, entry: unknown): AlgorithmDefinition {
  const expected = 'expected { "path": "./algorithm.mjs" } or { "command": ["program", "arg", …] }';
  if (name === '') throw new CliInputError(file, 'an algorithm name is empty');
  if (!isPlainObject(entry)) throw new CliInputError(file, `"${name}": ${expected}`);
  const base = dirname(resolve(file));
  const hasPath = 'path' in entry;
  const hasCommand = 'command' in entry;
  if (hasPath === hasCommand) throw new CliInputError(file, `"${name}": ${hasPath ? 'give either "path" or "command", not both' : expected}`);
  const allowed = hasPath ? MODULE_KEYS : COMMAND_KEYS;
  const unknown = Object.keys(entry).find((key) => !allowed.has(key));
  if (unknown !== undefined) throw new CliInputError(file, `"${name}": unknown key "${unknown}" (allowed: ${[...allowed].join(', ')})`);
  const maxWorkers = positiveInteger(file, name, 'maxWorkers', entry['maxWorkers']);
  const stateType = entry['stateType'];
  if (stateType !== undefined && stateType !== 'stateful' && stateType !== 'stateless') throw new CliInputError(file, `"${name}": "stateType" must be "stateful" or "stateless"`);
  const options: AlgorithmOptions = { ...(maxWorkers === undefined ? {} : { maxWorkers }), ...(stateType === undefined ? {} : { stateType }) };
  if (hasPath) {
    const path = entry['path'];
    if (typeof path !== 'string' || path === '') throw new CliInputError(file, `"${name}": "path" must be a non-empty string`);
    return { name, source: { path: resolve(base, path) }, options };
  }
  const { command, cwd, env } = entry;
  if (!Array.isArray(command) || command.length === 0 || !command.every((part) => typeof part === 'string' && part !== '')) {
    throw new CliInputError(file, `"${name}": "command" must be a non-empty array of strings, e.g. ["python3", "main.py"]`);
  }
  if (cwd !== undefined && (typeof cwd !== 'string' || cwd === '')) throw new CliInputError(file, `"${name}": "cwd" must be a non-empty string`);
  if (env !== undefined && (!isPlainObject(env) || !Object.values(env).every((value) => typeof value === 'string'))) {
    throw new CliInputError(file, `"${name}": "env" must be an object whose values are strings`);
  }
  const connectTimeoutMs = positiveInteger(file, name, 'connectTimeoutMs', entry['connectTimeoutMs']);
  return {
    name,
    source: { command: command as string[], cwd: resolve(base, cwd ?? '.'), ...(env === undefined ? {} : { env: env as Record<string, string> }) },
    options: { ...options, ...(connectTimeoutMs === undefined ? {} : { connectTimeoutMs }) },
  };
}

/**
 * Checks the content of an algorithms file and imports its modules.
 *
 * @throws {CliInputError} for a bad shape, or a module that is missing or has no `start`.
 */
export async function readAlgorithmDefinitions(file: string, content: unknown): Promise<AlgorithmDefinition[]> {
  if (!isPlainObject(content)) throw new CliInputError(file, 'must be a JSON object mapping algorithm names to { "path" } or { "command" }');
  const definitions = Object.entries(content).map(([name, entry]) => definition(file, name, entry));
  const loaded: AlgorithmDefinition[] = [];
  for (const entry of definitions) {
    const { source } = entry;
    if (!('path' in source) || typeof source.path !== 'string') {
      loaded.push(entry);
      continue;
    }
    try {
      loaded.push({ ...entry, source: await loadAlgorithm({ algorithmPath: dirname(source.path), entryPoint: basename(source.path) }) });
    } catch (error) {
      throw new CliInputError(file, `"${entry.name}": ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return loaded;
}
