/**
 * The environment an algorithm container gets in an HKube pod (task-executor's worker template),
 * pointed at the emulator: the worker socket on 127.0.0.1, fs storage in the shared directory, and a
 * peer data server on 127.0.0.1 at `discoveryPort` (none without one). The caller's own variables are kept (PATH, HOME, …) except HKube's, which the
 * emulator decides; the command's configured `env` comes last and wins.
 */
import { ENV } from '@hkube-ts/protocol';

/** What the environment describes. */
export interface PodEnvironment {
  readonly algorithmName: string;
  readonly port: number;
  readonly clusterName: string;
  readonly storageDirectory: string;
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
    [ENV.DEFAULT_STORAGE]: 'fs',
    [ENV.BASE_FS_ADAPTER_DIRECTORY]: pod.storageDirectory,
    [ENV.STORAGE_ENCODING]: pod.storageEncoding,
    ...(pod.discoveryPort === undefined
      ? { [ENV.DISCOVERY_ENABLE]: 'false' }
      : {
          [ENV.DISCOVERY_ENABLE]: 'true',
          [ENV.POD_IP]: '127.0.0.1',
          [ENV.DISCOVERY_PORT]: String(pod.discoveryPort),
          // HKube clusters must use one encoding for storage and discovery (data-plane §3.6).
          [ENV.DISCOVERY_ENCODING]: pod.storageEncoding,
        }),
    [ENV.ALGO_METRICS_DIR]: pod.metricsDirectory,
    [ENV.ALGORITHM_NAME]: pod.algorithmName,
  });
  return Object.assign(env, pod.env);
}
