/**
 * The environment an algorithm container gets in an HKube pod (task-executor's worker template),
 * pointed at the emulator: the worker socket on 127.0.0.1, fs storage in the shared directory or the
 * shared S3 endpoint, and a peer data server on 127.0.0.1 at `discoveryPort` (none without one). The
 * caller's own variables are kept (PATH, HOME, …) except HKube's, which the
 * emulator decides; the command's configured `env` comes last and wins.
 */
import { ENV } from '@hkube-ts/protocol';
import type { PodStorage } from '../storage/emulator-storage.js';

/** What the environment describes. */
export interface PodEnvironment {
  readonly algorithmName: string;
  readonly port: number;
  readonly clusterName: string;
  /** Where the shared storage is. */
  readonly storage: PodStorage;
  readonly storageEncoding: string;
  readonly metricsDirectory: string;
  /** `DISCOVERY_PORT` (and `+ 1`) of the process's peer data server; without it `DISCOVERY_ENABLE=false`. */
  readonly discoveryPort?: number | undefined;
  /** The command's own variables. */
  readonly env?: Readonly<Record<string, string>>;
  /** The variables to start from (default `process.env`). */
  readonly base?: Readonly<Record<string, string | undefined>>;
}

const HKUBE_NAMES: ReadonlySet<string> = new Set(Object.values(ENV));

/** The storage variables of a pod: `DEFAULT_STORAGE` and where the objects are. */
function storageEnvironment(storage: PodStorage): Record<string, string> {
  switch (storage.kind) {
    case 'fs':
      return { [ENV.DEFAULT_STORAGE]: 'fs', [ENV.BASE_FS_ADAPTER_DIRECTORY]: storage.directory };
    case 's3':
      return {
        [ENV.DEFAULT_STORAGE]: 's3',
        [ENV.S3_ENDPOINT_URL]: storage.endpoint,
        [ENV.AWS_ACCESS_KEY_ID]: storage.accessKeyId,
        [ENV.AWS_SECRET_ACCESS_KEY]: storage.secretAccessKey,
        ...(storage.region === undefined ? {} : { [ENV.AWS_REGION]: storage.region, [ENV.S3_REGION]: storage.region }),
      };
    default: {
      const unknown: never = storage;
      throw new TypeError(`unknown pod storage ${JSON.stringify(unknown)}`);
    }
  }
}

/** Builds a process environment for an algorithm command. */
export function podEnvironment(pod: PodEnvironment): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(pod.base ?? process.env)) {
    if (value !== undefined && !HKUBE_NAMES.has(name)) env[name] = value;
  }
  Object.assign(env, {
    [ENV.WORKER_SOCKET_HOST]: '127.0.0.1',
    [ENV.WORKER_SOCKET_PORT]: String(pod.port),
    [ENV.CLUSTER_NAME]: pod.clusterName,
    ...storageEnvironment(pod.storage),
    [ENV.STORAGE_ENCODING]: pod.storageEncoding,
    // HKube clusters must use one encoding for storage, peer data and stream frames (data-plane §3.6):
    // every node of an emulated job, in-process or not, gets the same one.
    [ENV.DISCOVERY_ENCODING]: pod.storageEncoding,
    ...(pod.discoveryPort === undefined
      ? { [ENV.DISCOVERY_ENABLE]: 'false' }
      : {
          [ENV.DISCOVERY_ENABLE]: 'true',
          [ENV.POD_IP]: '127.0.0.1',
          [ENV.DISCOVERY_PORT]: String(pod.discoveryPort),
        }),
    [ENV.ALGO_METRICS_DIR]: pod.metricsDirectory,
    [ENV.ALGORITHM_NAME]: pod.algorithmName,
  });
  return Object.assign(env, pod.env);
}
