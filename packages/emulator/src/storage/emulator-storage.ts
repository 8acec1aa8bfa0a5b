/**
 * The storage the emulator shares with its algorithms: a `Map` in memory, or a directory with HKube's
 * fs layout (`<dir>/<cluster>-hkube/<jobId>/<taskId>`, …) that external processes read and write too.
 */
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { getCodec, type Codec, type EncodingName } from '@hkube-ts/protocol';
import { FsStorageAdapter, MemoryStorageAdapter, type StorageAdapter } from '@hkube-ts/wrapper-node';

/** Storage as the emulator's workers use it. */
export interface EmulatorStorage {
  /** The back end. */
  readonly adapter: StorageAdapter;
  /** `STORAGE_ENCODING`: the codec of stored payloads. */
  readonly codec: Codec;
  /** `CLUSTER_NAME`: paths start with `<clusterName>-hkube…`. */
  readonly clusterName: string;
  /** The fs root (`BASE_FS_ADAPTER_DIRECTORY`) when the storage is on disk; `undefined` in memory. */
  readonly directory: string | undefined;
  /** Releases the back end (a memory store forgets everything; a directory is kept). */
  close(): Promise<void>;
}

/** Common settings of both kinds of storage. */
export interface StorageSettings {
  /** `CLUSTER_NAME`. */
  readonly clusterName: string;
  /** `STORAGE_ENCODING`. */
  readonly encoding: EncodingName;
}

/** Storage in memory: only in-process algorithms can use it. */
export function createMemoryStorage(settings: StorageSettings): EmulatorStorage {
  const adapter = new MemoryStorageAdapter();
  return { adapter, codec: getCodec(settings.encoding), clusterName: settings.clusterName, directory: undefined, close: () => adapter.close() };
}

/** Storage in `directory` (created if missing), laid out as HKube's fs adapter lays it out. */
export async function createDirectoryStorage(directory: string, settings: StorageSettings): Promise<EmulatorStorage> {
  const root = resolve(directory);
  await mkdir(root, { recursive: true });
  const adapter = new FsStorageAdapter({ baseDirectory: root });
  return { adapter, codec: getCodec(settings.encoding), clusterName: settings.clusterName, directory: root, close: () => adapter.close() };
}

/**
 * The same back end, with a `close()` that does nothing: what each in-process wrapper gets, so that a
 * wrapper ending (which closes its data plane) never empties the store the others still use.
 */
export function sharedAdapter(adapter: StorageAdapter): StorageAdapter {
  return {
    put: (path, data, signal) => adapter.put(path, data, signal),
    get: (path, signal) => adapter.get(path, signal),
    exists: (path, signal) => adapter.exists(path, signal),
    delete: (path, signal) => adapter.delete(path, signal),
    list: (prefix, signal) => adapter.list(prefix, signal),
    close: () => Promise.resolve(),
  };
}
