import { getCodec, readS3Env, type EnvSource, type InitializePayload, type StorageEnv } from '@hkube-ts/protocol';
import type { CodeApiData } from '@hkube-ts/codeapi';
import {
  createS3StorageAdapter, FsStorageAdapter, InputCache, StorageConfigError, readStoredValue, resolveInput, writeCodeApiInput, writeOutput, type StorageAdapter,
} from './data/index.js';
import type { PeerPlane } from './data/peer/index.js';
import type { TaskDataPlane } from './lifecycle/types.js';

/** A {@link TaskDataPlane} that can be closed (its storage adapter). */
export interface ClosableDataPlane extends TaskDataPlane {
  close(): Promise<void>;
}

const MIB = 1024 * 1024;

/**
 * The storage adapter `DEFAULT_STORAGE` names: fs under `BASE_FS_ADAPTER_DIRECTORY`, or S3 from
 * `S3_ENDPOINT_URL`, `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_REGION` (the SDK is loaded on
 * first use). On S3 the wrapper creates the `<CLUSTER_NAME>-hkube` bucket if a write finds it missing
 * (HKube creates it at install; this makes a fresh MinIO work) and no other bucket.
 *
 * @throws {InvalidEnvironmentError} for unusable S3 variables.
 * @throws {StorageConfigError} for a back end this wrapper does not know.
 */
export function createStorageFromEnv(env: StorageEnv, source: EnvSource): StorageAdapter {
  switch (env.defaultStorage) {
    case 'fs':
      return new FsStorageAdapter({ baseDirectory: env.baseFsDirectory });
    case 's3': {
      const s3 = readS3Env(source);
      return createS3StorageAdapter({
        endpoint: s3.endpoint,
        region: s3.region,
        credentials: s3.credentials,
        verifySsl: s3.verifySsl,
        createBuckets: [`${env.clusterName}-hkube`],
      });
    }
    default: {
      const unknown: never = env.defaultStorage;
      throw new StorageConfigError(`DEFAULT_STORAGE=${String(unknown)} is not supported: use fs or s3`);
    }
  }
}

/** Options of {@link createTaskDataPlane}. */
export interface TaskDataPlaneOptions {
  /** Use this adapter instead of the one `DEFAULT_STORAGE` names. */
  readonly storage?: StorageAdapter | undefined;
  /** The raw environment, for the S3 variables (default `process.env`). */
  readonly source?: EnvSource | undefined;
  /** Peer data server and client (data-plane §3); without it inputs come from storage only. */
  readonly peer?: PeerPlane | undefined;
}

/**
 * The data plane of storage mode v3 over a storage adapter: inputs resolved through a shared
 * bounded cache, results written at `<CLUSTER_NAME>-hkube/<jobId>/<taskId>` with the `HK` header.
 * With a {@link PeerPlane}, inputs are read from producers' data servers first and outputs are
 * served to peers and advertised in `storing` (data-plane §3).
 *
 * @example
 * ```ts
 * const plane = createTaskDataPlane(readStorageEnv(process.env), { peer: new PeerPlane({ env: readDiscoveryEnv(process.env) }) });
 * ```
 */
export function createTaskDataPlane(env: StorageEnv, options: TaskDataPlaneOptions = {}): ClosableDataPlane {
  const { peer } = options;
  const storage = options.storage ?? createStorageFromEnv(env, options.source ?? process.env);
  const codec = getCodec(env.storageEncoding);
  const cache = new InputCache({ maxBytes: env.maxCacheSizeMb * MIB });
  const { clusterName } = env;
  return {
    resolveInput: (payload: InitializePayload, signal: AbortSignal) =>
      resolveInput(
        { input: payload.input, flatInput: payload.flatInput, storage: payload.storage, jobId: payload.jobId, clusterName },
        { storage, codec, cache, signal, peer: peer?.client },
      ),
    writeOutput: (payload: InitializePayload, result: unknown, signal: AbortSignal) => {
      const task = { result, jobId: payload.jobId, taskId: payload.taskId, nodeName: payload.nodeName, savePaths: payload.info?.savePaths, clusterName };
      return peer === undefined ? writeOutput(task, { storage, codec, signal }) : peer.writeOutput(payload, task, { storage, codec, signal });
    },
    ...(peer === undefined ? {} : { onServing: (report: () => void) => peer.onServing(report) }),
    codeApiData: (payload: InitializePayload): CodeApiData => ({
      storageProtocol: 'v3',
      writeInput: (input, signal) => writeCodeApiInput({ input, jobId: payload.jobId, clusterName }, { storage, codec, signal }),
      readStored: (path, signal) => readStoredValue(path, { storage, codec, signal }),
    }),
    close: async () => {
      await peer?.close();
      await storage.close();
    },
  };
}
