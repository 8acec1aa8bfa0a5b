/**
 * Reader of the streaming settings (data-plane §4).
 *
 * @module
 */

import { ENCODING_NAMES, type EncodingName } from '../codecs/types.js';
import { ENV_DEFAULTS, type EnvSource } from './names.js';
import { readChoice, readPort, readPositive } from './read.js';

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
