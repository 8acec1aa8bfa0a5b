import { randomUUID } from 'node:crypto';
import { EncodeError, encodeStored, taskOutputPath, type Codec, type HeaderedPayload } from '@hkube-ts/protocol';
import { OutputEncodeError } from './errors.js';
import { createLimiter } from './limit.js';
import { getPath } from './object-path.js';
import type { StorageAdapter } from './storage/types.js';
import type { MetadataEntry, StoringDescriptor } from './types.js';

/** The task fields {@link writeOutput} needs. */
export interface OutputTask {
  /** What the algorithm's `start` returned. */
  readonly result: unknown;
  /** The job id. */
  readonly jobId: string;
  /** This task's id. */
  readonly taskId: string;
  /** This node's name; `savePaths` start with it. */
  readonly nodeName: string;
  /** `info.savePaths`: `"<nodeName>.<path>"` strings children reference. */
  readonly savePaths?: readonly string[] | null | undefined;
  /** `CLUSTER_NAME`. */
  readonly clusterName: string;
}

/** Dependencies of the writers. */
export interface WriteOptions {
  /** The storage back end. */
  readonly storage: StorageAdapter;
  /** `STORAGE_ENCODING`. */
  readonly codec: Codec;
  /** Cancels the write. */
  readonly signal?: AbortSignal | undefined;
}

/** An encoded output, ready to be written (and offered to a peer data server). */
export interface PreparedOutput extends HeaderedPayload {
  /** The storage path, `<cluster>-hkube/<jobId>/<taskId>`. */
  readonly path: string;
  /** What to report in `storing` once the object is written. */
  readonly descriptor: StoringDescriptor;
}

/**
 * The `metadata` of a `storing` message: for each save path found in `{ [nodeName]: result }`,
 * `{type:'array', size}` for an array and `{type: typeof value}` otherwise (so `null` is `'object'`).
 * A path that is missing (or holds `undefined`) gets no entry, as in HKube's Node wrapper.
 *
 * @example
 * ```ts
 * buildMetadata('green', { data: [1, 2] }, ['green', 'green.data']);
 * // { green: { type: 'object' }, 'green.data': { type: 'array', size: 2 } }
 * ```
 */
export function buildMetadata(nodeName: string, result: unknown, savePaths: readonly string[] | null | undefined): Record<string, MetadataEntry> {
  const metadata: Record<string, MetadataEntry> = {};
  if (savePaths === undefined || savePaths === null) return metadata;
  const root = { [nodeName]: result };
  for (const savePath of savePaths) {
    if (typeof savePath !== 'string') continue;
    const value = getPath(root, savePath);
    if (value === undefined) continue;
    const entry: MetadataEntry = Array.isArray(value) ? { type: 'array', size: value.length } : { type: typeof value };
    Object.defineProperty(metadata, savePath, { value: entry, enumerable: true, writable: true, configurable: true });
  }
  return metadata;
}

function encode(value: unknown, codec: Codec, jobId: string, taskId: string): HeaderedPayload {
  try {
    return encodeStored(value, codec);
  } catch (error) {
    if (error instanceof EncodeError) throw new OutputEncodeError(jobId, taskId, { cause: error });
    throw error;
  }
}

/**
 * Encodes a task's result for storage without writing it: header + payload (a `Buffer`/`Uint8Array`
 * result is stored raw and not copied), the path, and the descriptor to report. Use it to offer the
 * output to a data server before writing; otherwise use {@link writeOutput}.
 *
 * Throws `OutputEncodeError` when the codec cannot carry the result, `StorageIdError` for bad ids.
 */
export function prepareOutput(task: OutputTask, codec: Codec): PreparedOutput {
  const path = taskOutputPath(task.clusterName, task.jobId, task.taskId);
  const { header, payload } = encode(task.result, codec, task.jobId, task.taskId);
  const descriptor: StoringDescriptor = {
    storageInfo: { path, size: payload.length },
    metadata: buildMetadata(task.nodeName, task.result, task.savePaths),
  };
  return { path, header, payload, descriptor };
}

/**
 * Writes a task's result (storage modes v2/v3, spec §2.3): encodes it with the header, puts it at
 * `<cluster>-hkube/<jobId>/<taskId>` (replacing any earlier write) and returns the `storing`
 * descriptor `{ storageInfo: { path, size: payload.length }, metadata }`.
 *
 * Rejects with `OutputEncodeError`, `StorageIdError` or the adapter's storage errors.
 *
 * @example
 * ```ts
 * const descriptor = await writeOutput(
 *   { result, jobId, taskId, nodeName, savePaths: info.savePaths, clusterName: 'local' },
 *   { storage, codec: getCodec('bson') },
 * );
 * ```
 */
export async function writeOutput(task: OutputTask, options: WriteOptions): Promise<StoringDescriptor> {
  const prepared = prepareOutput(task, options.codec);
  await options.storage.put(prepared.path, prepared, options.signal);
  return prepared.descriptor;
}

/** What {@link writeCodeApiInput} returns, ready for `startAlgorithmExecution`. */
export interface CodeApiStoredInput {
  /** `["$$<key>", …]`, one per input item, in order. */
  readonly storageInput: string[];
  /** `key → { storageInfo: { path, size }, metadata: {} }`. */
  readonly storage: Record<string, { readonly storageInfo: { readonly path: string; readonly size: number }; readonly metadata: Record<string, never> }>;
}

/** Options of {@link writeCodeApiInput}. */
export interface WriteCodeApiInputOptions extends WriteOptions {
  /** Generates storage keys (default `crypto.randomUUID`). */
  readonly newKey?: (() => string) | undefined;
  /** Items written at the same time (default 8). */
  readonly concurrency?: number | undefined;
}

/**
 * Stores the input of a Code-API algorithm execution (spec §2.8): each item is encoded with the header
 * and written to `<cluster>-hkube/<jobId>/<key>` under a fresh key, and the result carries the
 * `storageInput` references and the `storage` map the worker passes to the child.
 *
 * Rejects with `OutputEncodeError` (naming the key as task id), `StorageIdError` or storage errors.
 *
 * @example
 * ```ts
 * const { storageInput, storage } = await writeCodeApiInput({ input: [1, { a: 2 }], jobId, clusterName }, { storage: adapter, codec });
 * ```
 */
export async function writeCodeApiInput(
  task: { readonly input: readonly unknown[]; readonly jobId: string; readonly clusterName: string },
  options: WriteCodeApiInputOptions,
): Promise<CodeApiStoredInput> {
  const newKey = options.newKey ?? randomUUID;
  const limiter = createLimiter(options.concurrency ?? 8);
  const prepared = task.input.map((item) => {
    const key = newKey();
    const path = taskOutputPath(task.clusterName, task.jobId, key);
    return { key, path, ...encode(item, options.codec, task.jobId, key) };
  });
  await Promise.all(prepared.map((item) => limiter.run(() => options.storage.put(item.path, item, options.signal), options.signal)));
  const storage: CodeApiStoredInput['storage'] = {};
  for (const item of prepared) {
    const entry = { storageInfo: { path: item.path, size: item.payload.length }, metadata: {} };
    Object.defineProperty(storage, item.key, { value: entry, enumerable: true, writable: true, configurable: true });
  }
  return { storageInput: prepared.map((item) => `$$${item.key}`), storage };
}
