/**
 * Environment variables an HKube algorithm wrapper reads (worker-protocol §9): their names, the
 * Node wrapper's defaults, and validating readers for the settings this SDK needs at start-up.
 *
 * @module
 */

import { ENCODING_NAMES, type EncodingName } from './codecs/types.js';
import { InvalidEnvironmentError } from './errors/index.js';

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

/** The trimmed value, or `undefined` when unset or blank (`FOO=` in a shell means "not set" here). */
function read(env: EnvSource, name: EnvName): string | undefined {
  const value = env[ENV[name]];
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function readChoice<T extends string>(env: EnvSource, name: EnvName, allowed: readonly T[], fallback: T): T {
  const value = read(env, name);
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw new InvalidEnvironmentError(ENV[name], value, `one of ${allowed.join(', ')}`);
  return value as T;
}

function readPort(env: EnvSource, name: EnvName, fallback: number): number {
  const value = read(env, name);
  if (value === undefined) return fallback;
  const port = /^\d{1,5}$/.test(value) ? Number(value) : Number.NaN;
  if (!(port >= 1 && port <= 65535)) throw new InvalidEnvironmentError(ENV[name], value, 'a port number 1-65535');
  return port;
}

function readPositive(env: EnvSource, name: EnvName, fallback: number, integer: boolean): number {
  const value = read(env, name);
  if (value === undefined) return fallback;
  const number = Number(value);
  const valid = Number.isFinite(number) && number > 0 && (!integer || Number.isSafeInteger(number));
  if (!valid) throw new InvalidEnvironmentError(ENV[name], value, integer ? 'a positive integer' : 'a positive number');
  return number;
}

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

/** Stream producer and listener settings, from {@link readStreamingEnv}. */
export interface StreamingEnv {
  /** `STREAMING_DISCOVERY_PORT`: the port the producer binds (the worker advertises it). */
  readonly discoveryPort: number;
  /** `DISCOVERY_ENCODING`: codec of stream payloads and of the flow/ack frames. */
  readonly encoding: EncodingName;
  /** `STREAMING_MAX_BUFFER_MB`: producer queue memory cap in MB. */
  readonly maxBufferMb: number;
  /** `STREAMING_STATISTICS_INTERVAL`: `streamingStatistics` period in ms. */
  readonly statisticsIntervalMs: number;
  /** `STREAMING_PREFETCH`: READY signals kept outstanding per parent. */
  readonly prefetch: number;
}

/**
 * Reads the streaming settings (data-plane §4), applying the Node wrapper's defaults (port 9022,
 * `bson`, 1500 MB, 2000 ms, prefetch 1). Blank values count as unset.
 *
 * @throws {InvalidEnvironmentError} a port not 1–65535, an unknown encoding, a non-positive buffer or
 *   interval, or a prefetch that is not a positive integer.
 *
 * @example
 * ```ts
 * const { discoveryPort, maxBufferMb } = readStreamingEnv(process.env);
 * ```
 */
export function readStreamingEnv(env: EnvSource): StreamingEnv {
  return {
    discoveryPort: readPort(env, 'STREAMING_DISCOVERY_PORT', ENV_DEFAULTS.STREAMING_DISCOVERY_PORT),
    encoding: readChoice(env, 'DISCOVERY_ENCODING', ENCODING_NAMES, ENV_DEFAULTS.DISCOVERY_ENCODING),
    maxBufferMb: readPositive(env, 'STREAMING_MAX_BUFFER_MB', ENV_DEFAULTS.STREAMING_MAX_BUFFER_MB, false),
    statisticsIntervalMs: readPositive(env, 'STREAMING_STATISTICS_INTERVAL', ENV_DEFAULTS.STREAMING_STATISTICS_INTERVAL, false),
    prefetch: readPositive(env, 'STREAMING_PREFETCH', ENV_DEFAULTS.STREAMING_PREFETCH, true),
  };
}

/** How to reach S3 (`DEFAULT_STORAGE=s3`), from {@link readS3Env}. */
export interface S3Env {
  /** `S3_ENDPOINT_URL`: an `http://` or `https://` URL. */
  readonly endpoint: string;
  /** `AWS_REGION`, else `S3_REGION` (default `us-east-1`). */
  readonly region: string;
  /**
   * `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` (HKube's `s3-secret`); `undefined` when both are unset, in
   * which case the AWS SDK's default credential chain applies (instance role, profile, …).
   */
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string } | undefined;
  /** `S3_VERIFY_SSL` (default `true`): `false` accepts self-signed certificates of an `https` endpoint. */
  readonly verifySsl: boolean;
}

/** The peer data server's settings (data-plane spec §2.4, §3), from {@link readDiscoveryEnv}. */
export interface DiscoveryEnv {
  /** `DISCOVERY_ENABLE`: run a data server and advertise outputs in `storing`. */
  readonly enabled: boolean;
  /** `POD_IP`: the host advertised in `storing.discovery`. */
  readonly podIp: string;
  /** `DISCOVERY_PORT`: the data port; the ping port is this + 1. */
  readonly port: number;
  /** `DISCOVERY_ENCODING`: codec of requests and of error payloads. */
  readonly encoding: EncodingName;
  /** `DISCOVERY_TIMEOUT`: how long a request may take, in ms. */
  readonly timeoutMs: number;
  /** `DISCOVERY_NETWORK_TIMEOUT`: how long the ping may take, in ms. */
  readonly networkTimeoutMs: number;
  /** `DISCOVERY_MAX_CACHE_SIZE`: the server's cache in MB. */
  readonly maxCacheSizeMb: number;
  /** `DISCOVERY_SERVING_REPORT_INTERVAL`: the `servingStatus` period, in ms. */
  readonly servingReportIntervalMs: number;
  /** `DISCOVERY_CONCURRENCY`: peer requests in flight at most. */
  readonly concurrency: number;
}

const TRUE_WORDS: readonly string[] = ['true', '1', 'yes', 'on'];
const FALSE_WORDS: readonly string[] = ['false', '0', 'no', 'off'];

function readBoolean(env: EnvSource, name: EnvName, fallback: boolean): boolean {
  const value = read(env, name);
  if (value === undefined) return fallback;
  const word = value.toLowerCase();
  if (TRUE_WORDS.includes(word)) return true;
  if (FALSE_WORDS.includes(word)) return false;
  throw new InvalidEnvironmentError(ENV[name], value, 'true or false');
}

/**
 * Reads the S3 settings of `DEFAULT_STORAGE=s3` (data-plane §2.2, §2.4). Blank values count as unset.
 * Secret values never appear in error messages.
 *
 * Meant for start-up, so it throws instead of returning a result.
 *
 * @throws {InvalidEnvironmentError} an `S3_ENDPOINT_URL` that is not an `http(s)://` URL, only one of
 *   `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` set, or an `S3_VERIFY_SSL` that is not a boolean.
 *
 * @example
 * ```ts
 * const { endpoint, region, credentials } = readS3Env(process.env);
 * ```
 */
export function readS3Env(env: EnvSource): S3Env {
  const endpoint = read(env, 'S3_ENDPOINT_URL') ?? ENV_DEFAULTS.S3_ENDPOINT_URL;
  let scheme: string;
  try {
    scheme = new URL(endpoint).protocol;
  } catch {
    scheme = '';
  }
  if (scheme !== 'http:' && scheme !== 'https:') throw new InvalidEnvironmentError(ENV.S3_ENDPOINT_URL, endpoint, 'an http:// or https:// URL');
  const accessKeyId = read(env, 'AWS_ACCESS_KEY_ID');
  const secretAccessKey = read(env, 'AWS_SECRET_ACCESS_KEY');
  if (accessKeyId !== undefined && secretAccessKey === undefined) {
    throw new InvalidEnvironmentError(ENV.AWS_SECRET_ACCESS_KEY, '', `set, since ${ENV.AWS_ACCESS_KEY_ID} is`);
  }
  if (accessKeyId === undefined && secretAccessKey !== undefined) {
    throw new InvalidEnvironmentError(ENV.AWS_ACCESS_KEY_ID, '', `set, since ${ENV.AWS_SECRET_ACCESS_KEY} is`);
  }
  return {
    endpoint,
    region: read(env, 'AWS_REGION') ?? read(env, 'S3_REGION') ?? ENV_DEFAULTS.AWS_REGION,
    credentials: accessKeyId === undefined || secretAccessKey === undefined ? undefined : { accessKeyId, secretAccessKey },
    verifySsl: readBoolean(env, 'S3_VERIFY_SSL', ENV_DEFAULTS.S3_VERIFY_SSL),
  };
}

/**
 * Reads the peer data server's settings, applying the Node wrapper's defaults (enabled, `127.0.0.1`,
 * port 9020, `bson`, 10 000 / 1000 ms, 500 MB, 5000 ms, 50). Blank values count as unset. The port
 * must leave room for the ping port (`port + 1 ≤ 65535`).
 *
 * @throws {InvalidEnvironmentError} for a value that is present but unusable.
 *
 * @example
 * ```ts
 * const discovery = readDiscoveryEnv(process.env);
 * if (discovery.enabled) console.log(`serving on ${discovery.podIp}:${discovery.port}`);
 * ```
 */
export function readDiscoveryEnv(env: EnvSource): DiscoveryEnv {
  const port = readPort(env, 'DISCOVERY_PORT', ENV_DEFAULTS.DISCOVERY_PORT);
  if (port === 65535) throw new InvalidEnvironmentError(ENV.DISCOVERY_PORT, String(port), 'a port below 65535 (the ping port is port + 1)');
  return {
    enabled: readBoolean(env, 'DISCOVERY_ENABLE', ENV_DEFAULTS.DISCOVERY_ENABLE),
    podIp: read(env, 'POD_IP') ?? ENV_DEFAULTS.POD_IP,
    port,
    encoding: readChoice(env, 'DISCOVERY_ENCODING', ENCODING_NAMES, ENV_DEFAULTS.DISCOVERY_ENCODING),
    timeoutMs: readPositive(env, 'DISCOVERY_TIMEOUT', ENV_DEFAULTS.DISCOVERY_TIMEOUT, false),
    networkTimeoutMs: readPositive(env, 'DISCOVERY_NETWORK_TIMEOUT', ENV_DEFAULTS.DISCOVERY_NETWORK_TIMEOUT, false),
    maxCacheSizeMb: readPositive(env, 'DISCOVERY_MAX_CACHE_SIZE', ENV_DEFAULTS.DISCOVERY_MAX_CACHE_SIZE, false),
    servingReportIntervalMs: readPositive(env, 'DISCOVERY_SERVING_REPORT_INTERVAL', ENV_DEFAULTS.DISCOVERY_SERVING_REPORT_INTERVAL, false),
    concurrency: readPositive(env, 'DISCOVERY_CONCURRENCY', ENV_DEFAULTS.DISCOVERY_CONCURRENCY, true),
  };
}
