/**
 * Readers of the worker connection and storage settings (worker-protocol §1.2–§1.3, §9; data-plane §2.4).
 *
 * @module
 */

import { ENCODING_NAMES } from '../codecs/types.js';
import { InvalidEnvironmentError } from '../errors/index.js';
import { ENV, ENV_DEFAULTS, STORAGE_BACKENDS, STORAGE_PROTOCOLS, type EnvSource, type SocketProtocol, type StorageEnv, type WorkerConnectionEnv } from './names.js';
import { read, readChoice, readPort, readPositive } from './read.js';

function readUrl(env: EnvSource): string | undefined {
  const value = read(env, 'WORKER_SOCKET_URL');
  if (value === undefined) return undefined;
  let scheme: string;
  try {
    scheme = new URL(value).protocol;
  } catch {
    scheme = '';
  }
  if (scheme !== 'ws:' && scheme !== 'wss:') throw new InvalidEnvironmentError(ENV.WORKER_SOCKET_URL, value, 'a ws:// or wss:// URL');
  return value;
}

/**
 * Reads how to connect to the worker, applying the Node wrapper's defaults
 * (`ws://localhost:3000`, `bson`, `v3`, 1e8 bytes). Blank values count as unset.
 *
 * When `STORAGE_PROTOCOL` is unset, a `WORKER_SOCKET_URL` selects `v1` (the Node wrapper's debug
 * behaviour: the relay resolves inputs itself); an explicit `STORAGE_PROTOCOL` always wins.
 *
 * Meant for start-up, so it throws instead of returning a result.
 *
 * @throws {InvalidEnvironmentError} a value that is present but unusable (port not 1–65535, unknown
 *   encoding or storage protocol, protocol other than `ws`/`wss`, URL not `ws://`/`wss://`, non-positive
 *   payload limit).
 *
 * @example
 * ```ts
 * const { url, host, port, protocol, encoding, storageProtocol } = readWorkerConnectionEnv(process.env);
 * ```
 */
export function readWorkerConnectionEnv(env: EnvSource): WorkerConnectionEnv {
  const url = readUrl(env);
  const connection: WorkerConnectionEnv = {
    host: read(env, 'WORKER_SOCKET_HOST') ?? ENV_DEFAULTS.WORKER_SOCKET_HOST,
    port: readPort(env, 'WORKER_SOCKET_PORT', ENV_DEFAULTS.WORKER_SOCKET_PORT),
    protocol: readChoice<SocketProtocol>(env, 'WORKER_SOCKET_PROTOCOL', ['ws', 'wss'], ENV_DEFAULTS.WORKER_SOCKET_PROTOCOL),
    encoding: readChoice(env, 'WORKER_ALGORITHM_ENCODING', ENCODING_NAMES, ENV_DEFAULTS.WORKER_ALGORITHM_ENCODING),
    storageProtocol: readChoice(env, 'STORAGE_PROTOCOL', STORAGE_PROTOCOLS, url === undefined ? ENV_DEFAULTS.STORAGE_PROTOCOL : 'v1'),
    maxPayload: readPositive(env, 'WORKER_SOCKET_MAX_PAYLOAD_BYTES', ENV_DEFAULTS.WORKER_SOCKET_MAX_PAYLOAD_BYTES, true),
  };
  return url === undefined ? connection : { url, ...connection };
}

/**
 * Reads the storage settings, applying the Node wrapper's defaults (`local`, `fs`, `bson`,
 * `/var/tmp/fs/storage`, 500 MB). Blank values count as unset. `STORAGE_ENCODING` must match the rest of
 * the cluster: readers decode with their own codec, whatever the stored header says (§2.4).
 *
 * Meant for start-up, so it throws instead of returning a result.
 *
 * @throws {InvalidEnvironmentError} an unknown `DEFAULT_STORAGE` or `STORAGE_ENCODING`, or a
 *   `STORAGE_MAX_CACHE_SIZE` that is not a positive number.
 *
 * @example
 * ```ts
 * const storage = readStorageEnv(process.env);
 * const path = `${storage.clusterName}-hkube/${jobId}/${taskId}`;
 * ```
 */
export function readStorageEnv(env: EnvSource): StorageEnv {
  return {
    clusterName: read(env, 'CLUSTER_NAME') ?? ENV_DEFAULTS.CLUSTER_NAME,
    defaultStorage: readChoice(env, 'DEFAULT_STORAGE', STORAGE_BACKENDS, ENV_DEFAULTS.DEFAULT_STORAGE),
    storageEncoding: readChoice(env, 'STORAGE_ENCODING', ENCODING_NAMES, ENV_DEFAULTS.STORAGE_ENCODING),
    baseFsDirectory: read(env, 'BASE_FS_ADAPTER_DIRECTORY') ?? ENV_DEFAULTS.BASE_FS_ADAPTER_DIRECTORY,
    maxCacheSizeMb: readPositive(env, 'STORAGE_MAX_CACHE_SIZE', ENV_DEFAULTS.STORAGE_MAX_CACHE_SIZE, false),
  };
}
