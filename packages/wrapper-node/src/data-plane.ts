import { getCodec, type InitializePayload, type StorageEnv } from '@hkube-ts/protocol';
import type { CodeApiData } from '@hkube-ts/codeapi';
import {
  FsStorageAdapter, InputCache, readStoredValue, resolveInput, writeCodeApiInput, writeOutput, type StorageAdapter,
} from './data/index.js';
import type { PeerPlane } from './data/peer/index.js';
import type { TaskDataPlane } from './lifecycle/types.js';

/** A {@link TaskDataPlane} that can be closed (its storage adapter). */
export interface ClosableDataPlane extends TaskDataPlane {
  close(): Promise<void>;
}

const MIB = 1024 * 1024;

/**
 * The data plane of storage mode v3 over a storage adapter: inputs resolved through a shared
 * bounded cache, results written at `<CLUSTER_NAME>-hkube/<jobId>/<taskId>` with the `HK` header.
 * With a {@link PeerPlane}, inputs are read from producers' data servers first and outputs are
 * served to peers and advertised in `storing` (data-plane §3).
 */
export function createTaskDataPlane(env: StorageEnv, storageOverride?: StorageAdapter, peer?: PeerPlane): ClosableDataPlane {
  if (storageOverride === undefined && env.defaultStorage !== 'fs') {
    throw new TypeError(`DEFAULT_STORAGE=${env.defaultStorage} is not supported yet: use fs, or pass a storage adapter`);
  }
  const storage = storageOverride ?? new FsStorageAdapter({ baseDirectory: env.baseFsDirectory });
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
