/**
 * Environment variables an HKube algorithm wrapper reads (worker-protocol §9): their names, the
 * Node wrapper's defaults, and the shapes the readers of this folder return.
 *
 * @module
 */

import type { EncodingName } from '../codecs/types.js';

/**
 * Names of the environment variables a wrapper reads, keyed by themselves so a typo is a compile error:
 * `env[ENV.WORKER_SOCKET_PORT]`. Most are injected into the `algorunner` container by the task-executor;
 * `WORKER_SOCKET_*` and `STORAGE_PROTOCOL` are not (the defaults apply in a cluster).
 *
 * @example
 * ```ts
 * const podIp = process.env[ENV.POD_IP] ?? ENV_DEFAULTS.POD_IP;
 * ```
 */
export const ENV = Object.freeze({
  /** Worker host (default `localhost`). */
  WORKER_SOCKET_HOST: 'WORKER_SOCKET_HOST',
  /** Worker port (default 3000). */
  WORKER_SOCKET_PORT: 'WORKER_SOCKET_PORT',
  /** URL scheme, `ws` or `wss` (default `ws`). */
  WORKER_SOCKET_PROTOCOL: 'WORKER_SOCKET_PROTOCOL',
  /** A full worker URL (debugging); replaces protocol/host/port. */
  WORKER_SOCKET_URL: 'WORKER_SOCKET_URL',
  /** Largest frame in bytes (the worker's `maxPayload`, default 1e8). */
  WORKER_SOCKET_MAX_PAYLOAD_BYTES: 'WORKER_SOCKET_MAX_PAYLOAD_BYTES',
  /** Socket codec, the `encoding` query parameter (default `bson`). */
  WORKER_ALGORITHM_ENCODING: 'WORKER_ALGORITHM_ENCODING',
  /** Storage mode, the `storage` query parameter (default `v3`, `v1` with `WORKER_SOCKET_URL`). */
  STORAGE_PROTOCOL: 'STORAGE_PROTOCOL',
  /** Storage path prefix: `<CLUSTER_NAME>-hkube/…` (default `local`). */
  CLUSTER_NAME: 'CLUSTER_NAME',
  /** Storage back end, `fs` or `s3` (default `fs`). */
  DEFAULT_STORAGE: 'DEFAULT_STORAGE',
  /** Codec of stored payloads; must match the cluster (default `bson`). */
  STORAGE_ENCODING: 'STORAGE_ENCODING',
  /** Input cache size in MB (default 500). */
  STORAGE_MAX_CACHE_SIZE: 'STORAGE_MAX_CACHE_SIZE',
  /** Root directory of the `fs` back end (default `/var/tmp/fs/storage`). */
  BASE_FS_ADAPTER_DIRECTORY: 'BASE_FS_ADAPTER_DIRECTORY',
  /** S3 access key. */
  AWS_ACCESS_KEY_ID: 'AWS_ACCESS_KEY_ID',
  /** S3 secret key. */
  AWS_SECRET_ACCESS_KEY: 'AWS_SECRET_ACCESS_KEY',
  /** S3 endpoint (default `http://127.0.0.1:9000`). */
  S3_ENDPOINT_URL: 'S3_ENDPOINT_URL',
  /** S3 region (Python wrapper's name; this SDK reads `AWS_REGION` first). */
  S3_REGION: 'S3_REGION',
  /** S3 region, the AWS SDK's own variable (default `us-east-1`). */
  AWS_REGION: 'AWS_REGION',
  /** S3 bucket name override. */
  S3_BUCKET_NAME: 'S3_BUCKET_NAME',
  /** Whether to verify the S3 endpoint's TLS certificate. */
  S3_VERIFY_SSL: 'S3_VERIFY_SSL',
  /** This pod's IP, advertised in `storing.discovery` and for streaming (default `127.0.0.1`). */
  POD_IP: 'POD_IP',
  /** Data-server (peer) port (default 9020). */
  DISCOVERY_PORT: 'DISCOVERY_PORT',
  /** Peer and stream codec (default `bson`). */
  DISCOVERY_ENCODING: 'DISCOVERY_ENCODING',
  /** Whether to run the data server (default true). */
  DISCOVERY_ENABLE: 'DISCOVERY_ENABLE',
  /** Peer request timeout in ms (default 10000). */
  DISCOVERY_TIMEOUT: 'DISCOVERY_TIMEOUT',
  /** Peer connect timeout in ms (default 1000). */
  DISCOVERY_NETWORK_TIMEOUT: 'DISCOVERY_NETWORK_TIMEOUT',
  /** Data-server cache in MB (default 500). */
  DISCOVERY_MAX_CACHE_SIZE: 'DISCOVERY_MAX_CACHE_SIZE',
  /** `servingStatus` period in ms (default 5000). */
  DISCOVERY_SERVING_REPORT_INTERVAL: 'DISCOVERY_SERVING_REPORT_INTERVAL',
  /** Parallel peer requests (default 50). */
  DISCOVERY_CONCURRENCY: 'DISCOVERY_CONCURRENCY',
  /** Port the stream producer binds (default 9022). */
  STREAMING_DISCOVERY_PORT: 'STREAMING_DISCOVERY_PORT',
  /** Producer queue memory in MB (default 1500). */
  STREAMING_MAX_BUFFER_MB: 'STREAMING_MAX_BUFFER_MB',
  /** `streamingStatistics` period in ms (default 2000). */
  STREAMING_STATISTICS_INTERVAL: 'STREAMING_STATISTICS_INTERVAL',
  /** READY signals a stream listener keeps outstanding per parent (hkube-ts only; default 1 = HKube's behaviour). */
  STREAMING_PREFETCH: 'STREAMING_PREFETCH',
  /** Folder of the user code (default `algorithm_unique_folder`). */
  ALGORITHM_PATH: 'ALGORITHM_PATH',
  /** User entry point inside `ALGORITHM_PATH` (default `index.js`). */
  ALGORITHM_ENTRY_POINT: 'ALGORITHM_ENTRY_POINT',
  /** Send output as `logData` (meaningful towards the debug relay only). */
  REDIRECT_LOGS: 'REDIRECT_LOGS',
  /** Wrapper log level (unset by default). */
  HKUBE_LOG_LEVEL: 'HKUBE_LOG_LEVEL',
  /** Directory for tensorboard files the worker uploads after success (injected as `/var/metrics`). */
  ALGO_METRICS_DIR: 'ALGO_METRICS_DIR',
  /** Algorithm name (Node's tracer service name). */
  ALGORITHM_NAME: 'ALGORITHM_NAME',
  /** Algorithm type, set by the task-executor (Python's tracer service name). */
  ALGORITHM_TYPE: 'ALGORITHM_TYPE',
  /** Tracing agent host (default `localhost`). */
  JAEGER_AGENT_SERVICE_HOST: 'JAEGER_AGENT_SERVICE_HOST',
  /** Tracing agent binary-protocol port (Node default 6832). */
  JAEGER_AGENT_SERVICE_PORT_AGENT_BINARY: 'JAEGER_AGENT_SERVICE_PORT_AGENT_BINARY',
  /** Tracing agent compact-protocol port (Python default 6831). */
  JAEGER_AGENT_SERVICE_PORT_JAEGER_COMPACT: 'JAEGER_AGENT_SERVICE_PORT_JAEGER_COMPACT',
} as const satisfies Readonly<Record<string, string>>);

/** The name of an environment variable listed in {@link ENV}. */
export type EnvName = keyof typeof ENV;

/**
 * The Node wrapper's defaults (§9), for variables that have one. Variables without a default (credentials,
 * `WORKER_SOCKET_URL`, `HKUBE_LOG_LEVEL`, …) are absent. Numbers are in the unit of the variable.
 *
 * @example
 * ```ts
 * ENV_DEFAULTS.WORKER_SOCKET_PORT; // 3000
 * ```
 */
export const ENV_DEFAULTS = Object.freeze({
  WORKER_SOCKET_HOST: 'localhost',
  WORKER_SOCKET_PORT: 3000,
  WORKER_SOCKET_PROTOCOL: 'ws',
  WORKER_SOCKET_MAX_PAYLOAD_BYTES: 1e8,
  WORKER_ALGORITHM_ENCODING: 'bson',
  STORAGE_PROTOCOL: 'v3',
  CLUSTER_NAME: 'local',
  DEFAULT_STORAGE: 'fs',
  STORAGE_ENCODING: 'bson',
  STORAGE_MAX_CACHE_SIZE: 500,
  BASE_FS_ADAPTER_DIRECTORY: '/var/tmp/fs/storage',
  S3_ENDPOINT_URL: 'http://127.0.0.1:9000',
  AWS_REGION: 'us-east-1',
  S3_VERIFY_SSL: true,
  POD_IP: '127.0.0.1',
  DISCOVERY_PORT: 9020,
  DISCOVERY_ENCODING: 'bson',
  DISCOVERY_ENABLE: true,
  DISCOVERY_TIMEOUT: 10_000,
  DISCOVERY_NETWORK_TIMEOUT: 1000,
  DISCOVERY_MAX_CACHE_SIZE: 500,
  DISCOVERY_SERVING_REPORT_INTERVAL: 5000,
  DISCOVERY_CONCURRENCY: 50,
  STREAMING_DISCOVERY_PORT: 9022,
  STREAMING_MAX_BUFFER_MB: 1500,
  STREAMING_STATISTICS_INTERVAL: 2000,
  STREAMING_PREFETCH: 1,
  ALGORITHM_PATH: 'algorithm_unique_folder',
  ALGORITHM_ENTRY_POINT: 'index.js',
  JAEGER_AGENT_SERVICE_HOST: 'localhost',
  JAEGER_AGENT_SERVICE_PORT_AGENT_BINARY: 6832,
} as const satisfies { readonly [N in EnvName]?: string | number | boolean });

/** Storage modes of the worker protocol (§4.3). The wrapper uses `v1` (debug) and `v3`; `v2` is accepted. */
export type StorageProtocol = 'v1' | 'v2' | 'v3';

/** Every {@link StorageProtocol}. */
export const STORAGE_PROTOCOLS: readonly StorageProtocol[] = ['v1', 'v2', 'v3'];

/** Storage back ends (`DEFAULT_STORAGE`). */
export type StorageBackend = 'fs' | 's3';

/** Every {@link StorageBackend}. */
export const STORAGE_BACKENDS: readonly StorageBackend[] = ['fs', 's3'];

/** The URL schemes of the worker socket (`WORKER_SOCKET_PROTOCOL`). */
export type SocketProtocol = 'ws' | 'wss';

/** Where environment values come from: `process.env` or any plain map (tests). */
export type EnvSource = Readonly<Record<string, string | undefined>>;

/** How to reach the worker, from {@link readWorkerConnectionEnv}. */
export interface WorkerConnectionEnv {
  /** `WORKER_SOCKET_URL`, when set: dial it instead of protocol/host/port. */
  readonly url?: string;
  /** `WORKER_SOCKET_HOST`. */
  readonly host: string;
  /** `WORKER_SOCKET_PORT`. */
  readonly port: number;
  /** `WORKER_SOCKET_PROTOCOL`. */
  readonly protocol: SocketProtocol;
  /** `WORKER_ALGORITHM_ENCODING`: the socket codec. */
  readonly encoding: EncodingName;
  /** `STORAGE_PROTOCOL`; when unset, `v1` with a `url` (debug relay) and `v3` otherwise. */
  readonly storageProtocol: StorageProtocol;
  /** `WORKER_SOCKET_MAX_PAYLOAD_BYTES`: largest frame in bytes. */
  readonly maxPayload: number;
}

/** Where and how results and inputs are stored, from {@link readStorageEnv}. */
export interface StorageEnv {
  /** `CLUSTER_NAME`: storage paths are `<clusterName>-hkube/<jobId>/<taskId>`. */
  readonly clusterName: string;
  /** `DEFAULT_STORAGE`. */
  readonly defaultStorage: StorageBackend;
  /** `STORAGE_ENCODING`: codec of stored payloads. */
  readonly storageEncoding: EncodingName;
  /** `BASE_FS_ADAPTER_DIRECTORY`: root of the `fs` back end. */
  readonly baseFsDirectory: string;
  /** `STORAGE_MAX_CACHE_SIZE`: input cache size in MB. */
  readonly maxCacheSizeMb: number;
}
