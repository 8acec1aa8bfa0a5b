/**
 * Reader of the peer data server's settings (data-plane §2.4, §3).
 *
 * @module
 */

import { ENCODING_NAMES, type EncodingName } from '../codecs/types.js';
import { InvalidEnvironmentError } from '../errors/index.js';
import { ENV, ENV_DEFAULTS, type EnvSource } from './names.js';
import { read, readBoolean, readChoice, readPort, readPositive } from './read.js';

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
