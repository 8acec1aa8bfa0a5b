import { StorageIdError, taskOutputPath, type Codec } from '@hkube-ts/protocol';
import type { InputCache } from './cache.js';
import {
  InputFetchError,
  InputPathError,
  InvalidStorageLinkError,
  PeerFetchError,
  StorageKeyMissingError,
} from './errors.js';
import { createLimiter } from './limit.js';
import { assertWritablePath, copyOnWrite, flatten, getPath } from './object-path.js';
import type { PeerClient, PeerFetchResult } from './peer.js';
import { readStoredObject } from './read.js';
import type { StorageAdapter } from './storage/types.js';
import type { DiscoveryInfo, StorageLinks } from './types.js';

/** Default number of objects fetched at the same time by {@link resolveInput}. */
export const DEFAULT_RESOLVE_CONCURRENCY = 8;

/** The parts of the `initialize` payload {@link resolveInput} reads. */
export interface ResolveInputTask {
  /** The node's input, with `"$$<key>"` strings where references were. Never modified. */
  readonly input: readonly unknown[];
  /**
   * Dotted path → leaf map of `input` (`flat(input)`). `null` or `{}` (storage v1, or no references)
   * returns `input` unchanged; absent (`undefined`) computes it from `input`.
   */
  readonly flatInput?: Readonly<Record<string, unknown>> | null | undefined;
  /** Reference key → link or array of links. */
  readonly storage?: StorageLinks | null | undefined;
  /** The job id, for the storage path of grouped-peer tasks. */
  readonly jobId: string;
  /** `CLUSTER_NAME`, for the storage path of grouped-peer tasks. */
  readonly clusterName: string;
}

/** Dependencies of {@link resolveInput}. */
export interface ResolveInputOptions {
  /** The storage back end. */
  readonly storage: StorageAdapter;
  /** `STORAGE_ENCODING`: decodes headerless objects and headers that name no codec. */
  readonly codec: Codec;
  /** The decoded-input cache, shared across tasks; without it nothing is cached. */
  readonly cache?: InputCache | undefined;
  /** A peer data-server client; without it every value is read from storage. */
  readonly peer?: PeerClient | undefined;
  /** Cancels the resolution (pending reads are aborted; rejects with the abort reason). */
  readonly signal?: AbortSignal | undefined;
  /** Objects fetched at the same time (default {@link DEFAULT_RESOLVE_CONCURRENCY}); a peer request counts as one. */
  readonly concurrency?: number | undefined;
}

/** One object to obtain, keyed by its cache key (the storage path when it has one). */
interface Unit {
  readonly cacheKey: string;
  readonly storagePath: string | undefined;
  peer: { readonly discovery: DiscoveryInfo; readonly taskId: string } | undefined;
  /** The first reference key that needed it (for error messages). */
  readonly key: string;
}

/** One value of a reference: the object and the dotted path inside it. */
interface Part {
  readonly unit: Unit;
  readonly path: string;
}

/** A `"$$<key>"` leaf of the input and how to build its value. */
interface Reference {
  readonly inputPath: string;
  readonly key: string;
  readonly isArray: boolean;
  readonly parts: readonly Part[];
}

type Dict = Readonly<Record<string, unknown>>;

function isDict(value: unknown): value is Dict {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasOwn(value: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(value, key);
}

function peerName(discovery: DiscoveryInfo): string {
  return `${discovery.host}:${Number(discovery.port)}`;
}

/** Builds the units and parts of references; validates link shapes before any I/O. */
class Planner {
  readonly units = new Map<string, Unit>();

  constructor(
    private readonly task: ResolveInputTask,
    private readonly hasPeerClient: boolean,
  ) {}

  plan(key: string, link: unknown, index: number | undefined): Part[] {
    if (!isDict(link)) throw new InvalidStorageLinkError(key, index, 'not an object');
    const path = this.linkPath(key, link, index);
    const discovery = this.discovery(key, link, index);
    if (link.tasks !== undefined && link.tasks !== null) {
      if (index === undefined) throw new InvalidStorageLinkError(key, index, 'a grouped-peer link (with tasks) outside an array');
      return this.planGroup(key, link.tasks, discovery, path, index);
    }
    let storagePath: string | undefined;
    if (link.storageInfo !== undefined && link.storageInfo !== null) {
      if (!isDict(link.storageInfo) || typeof link.storageInfo.path !== 'string' || link.storageInfo.path === '') {
        throw new InvalidStorageLinkError(key, index, 'storageInfo.path is not a non-empty string');
      }
      storagePath = link.storageInfo.path;
    }
    let taskId: string | undefined;
    if (link.taskId !== undefined && link.taskId !== null) {
      if (typeof link.taskId !== 'string' || link.taskId === '') throw new InvalidStorageLinkError(key, index, 'taskId is not a non-empty string');
      taskId = link.taskId;
    }
    const peer = discovery !== undefined && taskId !== undefined ? { discovery, taskId } : undefined;
    if (storagePath === undefined && peer === undefined) {
      throw new InvalidStorageLinkError(key, index, 'has neither storageInfo.path nor discovery + taskId');
    }
    if (storagePath === undefined && !this.hasPeerClient) {
      throw new InputFetchError(key, { taskId }, { cause: new Error('the link has no storageInfo and no peer client is configured') });
    }
    // A peer-only object is cached under a key no storage path can take (storage paths are relative).
    const cacheKey = storagePath ?? (peer === undefined ? '' : `/peer/${peerName(peer.discovery)}/${peer.taskId}`);
    return [{ unit: this.unit(cacheKey, storagePath, peer, key), path }];
  }

  private planGroup(key: string, tasks: unknown, discovery: DiscoveryInfo | undefined, path: string, index: number): Part[] {
    if (discovery === undefined) throw new InvalidStorageLinkError(key, index, 'a grouped-peer link without discovery');
    if (!Array.isArray(tasks)) throw new InvalidStorageLinkError(key, index, 'tasks is not an array');
    return tasks.map((taskId: unknown) => {
      if (typeof taskId !== 'string') throw new InvalidStorageLinkError(key, index, 'tasks holds a value that is not a string');
      let storagePath: string;
      try {
        storagePath = taskOutputPath(this.task.clusterName, this.task.jobId, taskId);
      } catch (error) {
        if (error instanceof StorageIdError) throw new InvalidStorageLinkError(key, index, error.message);
        throw error;
      }
      return { unit: this.unit(storagePath, storagePath, { discovery, taskId }, key), path };
    });
  }

  private linkPath(key: string, link: Dict, index: number | undefined): string {
    const path = link.path;
    if (path === undefined || path === null) return '';
    if (typeof path !== 'string') throw new InvalidStorageLinkError(key, index, 'path is not a string');
    return path;
  }

  private discovery(key: string, link: Dict, index: number | undefined): DiscoveryInfo | undefined {
    const discovery = link.discovery;
    if (discovery === undefined || discovery === null) return undefined;
    const port = isDict(discovery) ? Number(discovery.port) : Number.NaN;
    if (!isDict(discovery) || typeof discovery.host !== 'string' || !Number.isInteger(port) || port <= 0) {
      throw new InvalidStorageLinkError(key, index, 'discovery is not {host, port}');
    }
    return { host: discovery.host, port };
  }

  private unit(cacheKey: string, storagePath: string | undefined, peer: Unit['peer'], key: string): Unit {
    const existing = this.units.get(cacheKey);
    if (existing !== undefined) {
      existing.peer ??= peer;
      return existing;
    }
    const unit: Unit = { cacheKey, storagePath, peer, key };
    this.units.set(cacheKey, unit);
    return unit;
  }
}

/** Fetches the units missing from the cache: peer first (one request per peer), storage as fallback. */
async function fetchUnits(units: readonly Unit[], options: ResolveInputOptions): Promise<Map<Unit, unknown>> {
  const controller = new AbortController();
  const signal = options.signal === undefined ? controller.signal : AbortSignal.any([options.signal, controller.signal]);
  const limiter = createLimiter(options.concurrency ?? DEFAULT_RESOLVE_CONCURRENCY);
  const { cache, peer } = options;

  const fromStorage = (unit: Unit, peerError: Error | undefined): Promise<unknown> =>
    limiter.run(async () => {
      if (unit.storagePath === undefined) {
        throw new InputFetchError(unit.key, { taskId: unit.peer?.taskId }, { cause: peerError });
      }
      try {
        const { value, size } = await readStoredObject(unit.storagePath, { storage: options.storage, codec: options.codec, signal });
        cache?.set(unit.cacheKey, value, size);
        return value;
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        throw new InputFetchError(unit.key, { storagePath: unit.storagePath, taskId: unit.peer?.taskId }, { cause: error });
      }
    }, signal);

  const fromPeer = async (client: PeerClient, group: readonly Unit[], discovery: DiscoveryInfo): Promise<readonly PeerFetchResult[]> => {
    const taskIds = group.map((unit) => unit.peer?.taskId ?? '');
    const failAll = (cause: unknown, why?: string): PeerFetchResult[] =>
      taskIds.map((taskId) => ({ ok: false, error: new PeerFetchError(peerName(discovery), taskId, why, { cause }) }));
    try {
      const results = await client.fetch(discovery, taskIds, signal);
      if (results.length !== taskIds.length) {
        return failAll(new Error(`the peer returned ${results.length} results for ${taskIds.length} tasks`));
      }
      return results;
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      return failAll(error);
    }
  };

  const pending: [Unit, Promise<unknown>][] = [];
  const groups = new Map<string, { readonly discovery: DiscoveryInfo; readonly units: Unit[] }>();
  for (const unit of units) {
    if (peer !== undefined && unit.peer !== undefined) {
      const name = peerName(unit.peer.discovery);
      const group = groups.get(name);
      if (group === undefined) groups.set(name, { discovery: unit.peer.discovery, units: [unit] });
      else group.units.push(unit);
    } else {
      pending.push([unit, fromStorage(unit, undefined)]);
    }
  }
  if (peer !== undefined) {
    for (const { discovery, units: group } of groups.values()) {
      const reply = limiter.run(() => fromPeer(peer, group, discovery), signal);
      group.forEach((unit, i) => {
        const value = reply.then((results) => {
          const result = results[i] as PeerFetchResult;
          if (!result.ok) return fromStorage(unit, result.error);
          cache?.set(unit.cacheKey, result.value, Number.isFinite(result.size) && result.size >= 0 ? result.size : 0);
          return result.value;
        });
        pending.push([unit, value]);
      });
    }
  }

  try {
    const values = await Promise.all(pending.map(([, value]) => value));
    return new Map(pending.map(([unit], i) => [unit, values[i]]));
  } catch (error) {
    controller.abort(error);
    throw error;
  }
}

/**
 * Replaces every `"$$<key>"` reference of a task's input by its value (data-plane spec §2.6),
 * returning a new input; the caller's `input` is not modified, and only the containers along the
 * reference paths are copied (values such as large Buffers are shared, not cloned).
 *
 * For each `flatInput` entry whose value is a string starting with `$$`, `storage[key]` is:
 * - a single link: the value is read from the cache, else the peer (`discovery` + `taskId`, when a
 *   {@link PeerClient} is given), else storage (`storageInfo.path`); then its `path` is applied;
 * - an array of links: the array of their values, **in link order**; a grouped-peer link
 *   `{discovery, tasks, path}` contributes one value per task, read from the peer or else from
 *   `<cluster>-hkube/<jobId>/<taskId>`.
 *
 * `path` is applied on cache hits as well (HKube's array branch returns whole cached objects). Each
 * distinct object is fetched once per call, however often it is referenced, with at most
 * `concurrency` fetches in flight. Headered and headerless objects are both decoded. A dotted `path`
 * that is missing in the value yields `undefined`, as in HKube.
 *
 * Errors (all `InputResolutionError`s): `StorageKeyMissingError` for a missing `storage[key]`;
 * `InvalidStorageLinkError` for a link with neither `storageInfo` nor a peer (HKube silently yields
 * `undefined`) or with ill-typed fields; `InputFetchError` naming the path when the object can be
 * fetched neither from the peer nor from storage or cannot be decoded; `InputPathError` for a
 * `flatInput` path that cannot be written (e.g. `__proto__`). The first failure aborts the other
 * fetches.
 *
 * @example
 * ```ts
 * const input = await resolveInput(
 *   { input: payload.input, flatInput: payload.flatInput, storage: payload.storage, jobId, clusterName },
 *   { storage: new FsStorageAdapter({ baseDirectory }), codec: getCodec('bson'), cache },
 * );
 * ```
 */
export async function resolveInput(task: ResolveInputTask, options: ResolveInputOptions): Promise<unknown[]> {
  options.signal?.throwIfAborted();
  const flat = task.flatInput === undefined ? flatten(task.input) : task.flatInput;
  if (flat === null || Object.keys(flat).length === 0) return task.input.slice();

  const links = task.storage ?? {};
  const planner = new Planner(task, options.peer !== undefined);
  const references: Reference[] = [];
  for (const [inputPath, leaf] of Object.entries(flat)) {
    if (typeof leaf !== 'string' || !leaf.startsWith('$$')) continue;
    const key = leaf.slice(2);
    const entry: unknown = hasOwn(links, key) ? links[key] : undefined;
    if (entry === undefined || entry === null) throw new StorageKeyMissingError(key, inputPath);
    try {
      assertWritablePath(inputPath);
    } catch (error) {
      throw new InputPathError(key, inputPath, { cause: error });
    }
    const isArray = Array.isArray(entry);
    const parts = isArray ? (entry as readonly unknown[]).flatMap((link, i) => planner.plan(key, link, i)) : planner.plan(key, entry, undefined);
    references.push({ inputPath, key, isArray, parts });
  }
  const tree = copyOnWrite(task.input as unknown[]);
  if (references.length === 0) return tree.root;

  const values = new Map<Unit, unknown>();
  const misses: Unit[] = [];
  for (const unit of planner.units.values()) {
    const hit = options.cache?.get(unit.cacheKey);
    if (hit === undefined) misses.push(unit);
    else values.set(unit, hit.value);
  }
  if (misses.length > 0) {
    for (const [unit, value] of await fetchUnits(misses, options)) values.set(unit, value);
  }

  for (const reference of references) {
    const resolved = reference.parts.map((part) => getPath(values.get(part.unit), part.path));
    try {
      tree.set(reference.inputPath, reference.isArray ? resolved : resolved[0]);
    } catch (error) {
      throw new InputPathError(reference.key, reference.inputPath, { cause: error });
    }
  }
  return tree.root;
}
