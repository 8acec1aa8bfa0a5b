/**
 * How the worker's replies become values: error texts, result fetching from storage, and the
 * big-data entries of sub-pipeline results (worker-protocol §6.2, §6.4, §4.3).
 *
 * @module
 */

import type { PipelineNodeResult } from '@hkube-ts/protocol';

/**
 * One entry of a sub-pipeline's results: `{ nodeName, algorithmName, batchIndex?, result?, error?, info? }`.
 * Entries that arrived as big-data references (`info.isBigData`) have their `result` filled in.
 *
 * @example
 * ```ts
 * const results: PipelineResultEntry[] = await api.startStoredSubpipeline('simple');
 * console.log(results[0]?.result);
 * ```
 */
export type PipelineResultEntry = PipelineNodeResult;

/** Reads a stored value by path (the data plane's `readStored`). @internal */
export type ReadStored = (path: string, signal?: AbortSignal) => Promise<unknown>;

/** A read from storage that failed, with the path it was reading. @internal */
export class StoredReadFailure extends Error {
  constructor(
    readonly path: string,
    readonly original: unknown,
  ) {
    super(`cannot read '${path}'`);
  }
}

/**
 * The error text of an error reply. The worker puts it in `error`; the debug relay puts it in
 * `response` (worker-protocol §8.2 #7). Non-string values are described rather than dropped.
 *
 * @example
 * ```ts
 * errorText({ error: 'boom' });                      // 'boom'
 * errorText({ response: 'relay boom' });             // 'relay boom'
 * errorText({ response: { message: 'as object' } }); // 'as object'
 * ```
 */
export function errorText(data: { readonly error?: unknown; readonly response?: unknown }): string {
  return textOf(data.error) ?? textOf(data.response) ?? 'unknown error (the worker sent no error text)';
}

/** A value as text: strings as they are, `{message}` objects by their message, others as JSON; `undefined` for nothing. */
export function textOf(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && typeof (value as { message?: unknown }).message === 'string') {
    return (value as { message: string }).message;
  }
  try {
    return JSON.stringify(value) ?? `[${typeof value}]`;
  } catch {
    return `[unserializable ${typeof value}]`;
  }
}

/** `response.storageInfo.path` when `response` is a storage descriptor, else `undefined`. */
export function storagePath(response: unknown): string | undefined {
  if (typeof response !== 'object' || response === null || Array.isArray(response)) return undefined;
  const info = (response as { storageInfo?: unknown }).storageInfo;
  if (typeof info !== 'object' || info === null) return undefined;
  const path = (info as { path?: unknown }).path;
  return typeof path === 'string' && path !== '' ? path : undefined;
}

/** How a reply's response is turned into the caller's value. @internal */
export interface ResultContext {
  /** Whether the caller asked for the value (`includeResult`). */
  readonly includeResult: boolean;
  /** The connection's storage mode. */
  readonly storageProtocol: 'v1' | 'v3';
  /** Reads stored values. */
  readonly readStored: ReadStored;
  /** Aborted when the caller no longer needs the value. */
  readonly signal: AbortSignal;
}

/**
 * The value of an `algorithmExecutionDone` reply. Without `includeResult` → `null`. In v3 the worker
 * always sends the child's storage descriptor, which is read from storage; in v1 the worker already
 * sent the value itself (so a value that merely looks like a descriptor is not followed).
 *
 * @throws {@link StoredReadFailure} when the stored value cannot be read.
 */
export async function algorithmResult(response: unknown, context: ResultContext): Promise<unknown> {
  if (!context.includeResult) return null;
  if (context.storageProtocol === 'v1') return response;
  const path = storagePath(response);
  return path === undefined ? response : await read(context, path);
}

/**
 * The value of a `subPipelineDone` reply. Without `includeResult` → `null`. A results array (v1, or
 * the debug relay) is used as is; a descriptor (`{storageInfo: {path: '…/result.json'}}`) is read from
 * storage. Either way, entries whose `info.isBigData` is set and that have no `result` yet get it
 * read from `info.path`, all concurrently.
 *
 * @throws {@link StoredReadFailure} when a stored value cannot be read.
 */
export async function subpipelineResult(response: unknown, context: ResultContext): Promise<unknown> {
  if (!context.includeResult) return null;
  let results = response;
  if (!Array.isArray(results)) {
    const path = storagePath(results);
    if (path === undefined) return results;
    results = await read(context, path);
    if (!Array.isArray(results)) return results;
  }
  return fillBigData(results as readonly unknown[], context);
}

/** The path of a big-data entry that still needs its result, else `undefined`. */
export function bigDataPath(entry: unknown): string | undefined {
  if (typeof entry !== 'object' || entry === null) return undefined;
  const { info, result } = entry as { info?: unknown; result?: unknown };
  if (result !== undefined || typeof info !== 'object' || info === null) return undefined;
  const { isBigData, path } = info as { isBigData?: unknown; path?: unknown };
  return isBigData === true && typeof path === 'string' && path !== '' ? path : undefined;
}

async function fillBigData(results: readonly unknown[], context: ResultContext): Promise<unknown[]> {
  return Promise.all(
    results.map(async (entry) => {
      const path = bigDataPath(entry);
      if (path === undefined) return entry;
      return { ...(entry as Record<string, unknown>), result: await read(context, path) };
    }),
  );
}

async function read(context: ResultContext, path: string): Promise<unknown> {
  try {
    return await context.readStored(path, context.signal);
  } catch (error) {
    throw new StoredReadFailure(path, error);
  }
}
