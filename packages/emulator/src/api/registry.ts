/**
 * The algorithms an emulator knows, by name: an algorithm object or a module run in-process, or a
 * command run as an external process that connects over a WebSocket.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { EncodingName } from '@hkube-ts/protocol';
import { loadAlgorithm, toAlgorithm, type Algorithm } from '@hkube-ts/wrapper-node';
import { isPlainObject } from '../engine/copy.js';
import { InvalidAlgorithmSourceError } from '../errors.js';

/** A JavaScript module exporting an algorithm (`start`, optionally `init`, `stop`, `exit`), run in-process. */
export interface ModuleAlgorithmSource {
  /** The module file; relative paths are resolved against the emulator's `baseDir`. */
  readonly path: string;
}

/** A command that runs an HKube wrapper (any language) as a process; it connects to its worker's WebSocket. */
export interface CommandAlgorithmSource {
  /** The program and its arguments, e.g. `['python3', 'main.py']`. */
  readonly command: readonly string[];
  /** Its working directory (default: the emulator's `baseDir`); relative paths are resolved against `baseDir`. */
  readonly cwd?: string;
  /** Its own environment variables, e.g. `{ ALGORITHM_ENTRY_POINT: 'main.mjs' }`. */
  readonly env?: Readonly<Record<string, string>>;
}

/** What can be registered as an algorithm. */
export type AlgorithmSource = Algorithm | ModuleAlgorithmSource | CommandAlgorithmSource;

/** Per-algorithm settings. */
export interface AlgorithmOptions {
  /** Most workers of this algorithm running at once in a job (default: the emulator's, 64 in-process, 4 for commands). */
  readonly maxWorkers?: number;
  /** In-process only: the storage mode the wrapper asks for (default `v3`). */
  readonly storageMode?: 'v1' | 'v3';
  /** In-process only: the socket encoding on the in-memory pipe (default `msgpack`). */
  readonly encoding?: EncodingName;
  /** Commands only: how long the process has to connect (default: the emulator's, 30 s). */
  readonly connectTimeoutMs?: number;
  /**
   * The algorithm's streaming state type: the default `stateType` of stream nodes running it (HKube's
   * algorithm `streamKind`; without either, a stream node is `stateless`).
   */
  readonly stateType?: 'stateful' | 'stateless';
}

/** A registered in-process algorithm. */
export interface InProcessEntry {
  readonly kind: 'in-process';
  readonly name: string;
  readonly options: AlgorithmOptions;
  /** Loads the algorithm once (a module is imported on first use). */
  readonly load: () => Promise<Algorithm>;
}

/** A registered command. */
export interface ProcessEntry {
  readonly kind: 'process';
  readonly name: string;
  readonly options: AlgorithmOptions;
  readonly command: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
}

/** A registered algorithm. */
export type AlgorithmEntry = InProcessEntry | ProcessEntry;

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => (loading ??= load());
}

function commandEntry(name: string, source: Record<string, unknown>, baseDir: string, options: AlgorithmOptions): ProcessEntry {
  const { command, cwd, env } = source;
  if (!Array.isArray(command) || command.length === 0 || !command.every((part) => typeof part === 'string' && part !== '')) {
    throw new InvalidAlgorithmSourceError(name, '"command" must be a non-empty array of non-empty strings, e.g. ["python3", "main.py"]');
  }
  if (cwd !== undefined && (typeof cwd !== 'string' || cwd === '')) throw new InvalidAlgorithmSourceError(name, '"cwd" must be a non-empty string');
  const directory = resolve(baseDir, cwd ?? '.');
  if (!isDirectory(directory)) throw new InvalidAlgorithmSourceError(name, `the working directory ${directory} does not exist`);
  if (env !== undefined && (!isPlainObject(env) || !Object.values(env).every((value) => typeof value === 'string'))) {
    throw new InvalidAlgorithmSourceError(name, '"env" must be an object of string values');
  }
  return { kind: 'process', name, options, command: [...(command as string[])], cwd: directory, env: { ...(env as Record<string, string> | undefined) } };
}

/**
 * Checks a source and turns it into an entry. Throws {@link InvalidAlgorithmSourceError} for a bad
 * shape or a missing file, and `InvalidAlgorithmError` (from `@hkube-ts/wrapper-node`) for an object
 * without `start`. A module is only checked for existence here; it is imported when first needed.
 */
export function toEntry(name: string, source: unknown, baseDir: string, options: AlgorithmOptions = {}): AlgorithmEntry {
  if (typeof name !== 'string' || name === '') throw new InvalidAlgorithmSourceError(String(name), 'the name must be a non-empty string');
  if (typeof source !== 'object' || source === null) throw new InvalidAlgorithmSourceError(name, 'expected an algorithm object, { path } or { command }');
  const record = source as Record<string, unknown>;
  if (typeof record['start'] !== 'function' && 'command' in record) return commandEntry(name, record, baseDir, options);
  if (typeof record['start'] !== 'function' && 'path' in record) {
    const path = record['path'];
    if (typeof path !== 'string' || path === '') throw new InvalidAlgorithmSourceError(name, '"path" must be a non-empty string');
    const file = resolve(baseDir, path);
    if (!existsSync(file) || !isFile(file)) throw new InvalidAlgorithmSourceError(name, `the module ${file} does not exist`);
    return { kind: 'in-process', name, options, load: once(() => loadAlgorithm({ algorithmPath: dirname(file), entryPoint: basename(file) })) };
  }
  const algorithm = toAlgorithm(source, `<${name}>`);
  return { kind: 'in-process', name, options, load: () => Promise.resolve(algorithm) };
}

/** The algorithms of an emulator. */
export class AlgorithmRegistry {
  readonly #entries = new Map<string, AlgorithmEntry>();

  /** Adds or replaces an algorithm. */
  set(entry: AlgorithmEntry): void {
    this.#entries.set(entry.name, entry);
  }

  /** The algorithm registered under `name`. */
  get(name: string): AlgorithmEntry | undefined {
    return this.#entries.get(name);
  }

  /** Whether `name` is registered. */
  has(name: string): boolean {
    return this.#entries.has(name);
  }
}
