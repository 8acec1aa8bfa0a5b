/**
 * The storage the emulator shares with its algorithms: a `Map` in memory, a directory with HKube's
 * fs layout (`<dir>/<cluster>-hkube/<jobId>/<taskId>`, …), or an S3 endpoint with HKube's S3 layout
 * (bucket `<cluster>-hkube`, …); external processes read and write the last two too.
 */
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { getCodec, type Codec, type EncodingName } from '@hkube-ts/protocol';
import { createS3StorageAdapter, FsStorageAdapter, MemoryStorageAdapter, type StorageAdapter } from '@hkube-ts/wrapper-node';

/** An S3 endpoint the emulator and its algorithm processes share (`DEFAULT_STORAGE=s3`). */
export interface S3StorageLocation {
  readonly kind: 's3';
  /** `S3_ENDPOINT_URL`, e.g. `http://127.0.0.1:9000`. */
  readonly endpoint: string;
  /** `AWS_ACCESS_KEY_ID`. */
  readonly accessKeyId: string;
  /** `AWS_SECRET_ACCESS_KEY`. */
  readonly secretAccessKey: string;
  /** `AWS_REGION` (default `us-east-1`). */
  readonly region?: string;
}

/** How an algorithm process reaches the storage: what its pod environment says. */
export type PodStorage = { readonly kind: 'fs'; readonly directory: string } | S3StorageLocation;

/** Storage as the emulator's workers use it. */
export interface EmulatorStorage {
  /** The back end. */
  readonly adapter: StorageAdapter;
  /** `STORAGE_ENCODING`: the codec of stored payloads. */
  readonly codec: Codec;
  /** `CLUSTER_NAME`: paths start with `<clusterName>-hkube…`. */
  readonly clusterName: string;
  /** The fs root (`BASE_FS_ADAPTER_DIRECTORY`) when the storage is on disk; `undefined` otherwise. */
  readonly directory: string | undefined;
  /** How algorithm processes reach this storage; `undefined` in memory (processes cannot). */
  readonly pod: PodStorage | undefined;
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
  return { adapter, codec: getCodec(settings.encoding), clusterName: settings.clusterName, directory: undefined, pod: undefined, close: () => adapter.close() };
}

/** Storage in `directory` (created if missing), laid out as HKube's fs adapter lays it out. */
export async function createDirectoryStorage(directory: string, settings: StorageSettings): Promise<EmulatorStorage> {
  const root = resolve(directory);
  await mkdir(root, { recursive: true });
  const adapter = new FsStorageAdapter({ baseDirectory: root });
  return {
    adapter, codec: getCodec(settings.encoding), clusterName: settings.clusterName, directory: root, pod: { kind: 'fs', directory: root }, close: () => adapter.close(),
  };
}

/**
 * Storage on an S3 endpoint, laid out as HKube's S3 adapter lays it out. Missing buckets are created
 * on first write (`<cluster>-hkube`, `<cluster>-hkube-results`, …), as HKube creates them at install;
 * `close()` keeps the objects.
 *
 * @throws {StorageConfigError} (from `@hkube-ts/wrapper-node`) for an endpoint that is not
 *   `http(s)://` or empty keys.
 */
export function createS3Storage(location: S3StorageLocation, settings: StorageSettings): EmulatorStorage {
  const adapter = createS3StorageAdapter({
    endpoint: location.endpoint,
    credentials: { accessKeyId: location.accessKeyId, secretAccessKey: location.secretAccessKey },
    ...(location.region === undefined ? {} : { region: location.region }),
    createBuckets: true,
  });
  const pod: S3StorageLocation = { kind: 's3', endpoint: location.endpoint, accessKeyId: location.accessKeyId, secretAccessKey: location.secretAccessKey, ...(location.region === undefined ? {} : { region: location.region }) };
  return { adapter, codec: getCodec(settings.encoding), clusterName: settings.clusterName, directory: undefined, pod, close: () => adapter.close() };
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
