import { createSocketCodec, ENV, readDiscoveryEnv, readStorageEnv, readStreamingEnv, readWorkerConnectionEnv, workerSocketUrl } from '@hkube-ts/protocol';
import type { Algorithm } from './algorithm/types.js';
import { toAlgorithm } from './algorithm/loader.js';
import { createTaskDataPlane } from './data-plane.js';
import { PeerPlane } from './data/peer/index.js';
import type { StorageAdapter } from './data/index.js';
import { createTaskApiFactory } from './lifecycle/code-api.js';
import { AlgorithmRunner } from './lifecycle/runner.js';
import type { ServeOutcome } from './lifecycle/types.js';
import { createConsoleLogger, parseLogLevel, type Logger } from './logging/logger.js';
import { createDefaultStreamTransport } from './streaming/session/default-transport.js';
import type { StreamTransport } from './streaming/types.js';
import { createWebSocketTransport } from './transport/ws-transport.js';
import type { Transport } from './transport/types.js';

/** Environment variables, as `process.env` holds them. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** Options of {@link run}. Everything has a default taken from the environment of an HKube pod. */
export interface RunOptions {
  /** Where settings are read from (default `process.env`). */
  readonly env?: Environment;
  /** How to reach the worker (default: a WebSocket to the URL the environment describes). */
  readonly transport?: Transport;
  /** Storage for inputs and outputs in mode v3 (default: from `DEFAULT_STORAGE`, fs). */
  readonly storage?: StorageAdapter;
  /** Storage mode (default `STORAGE_PROTOCOL`, else `v1` when `WORKER_SOCKET_URL` is set, else `v3`). */
  readonly storageMode?: 'v1' | 'v3';
  /** Wrapper diagnostics (default: stderr at `HKUBE_LOG_LEVEL`). */
  readonly logger?: Logger;
  /** Exit the process with the worker's exit code when it says `exit`, and on SIGTERM (default true). */
  readonly exitProcess?: boolean;
  /** Give up connecting after this long (default: keep trying, as in a pod). */
  readonly connectTimeoutMs?: number;
  /** How long `stop` waits for `start` to settle (default 3000 ms). */
  readonly stopTimeoutMs?: number;
  /** Send `alive` heartbeats at this interval while a task runs (default off). */
  readonly heartbeatIntervalMs?: number;
  /** Stops connecting or serving. */
  readonly signal?: AbortSignal;
  /** Called with the runner once connected (log forwarding, tests). */
  readonly onRunner?: (runner: AlgorithmRunner) => void;
  /**
   * Moves stream messages between nodes for `kind: 'stream'` tasks (default: ZeroMQ, created on the
   * first stream task; the emulator passes an in-memory one). Closed on `exit`.
   */
  readonly streamTransport?: StreamTransport;
  /**
   * Attached to a debug relay: tunnel stream inputs and `sendMessage` over the socket
   * (`streamingInMessage`/`streamingOutMessage`, worker-protocol §7.6). Set by `debug()`.
   */
  readonly debugRelay?: boolean;
}


/**
 * Runs an algorithm under an HKube worker: connects to the worker's WebSocket (retrying until it is
 * up), serves its tasks, and when the worker says `exit` runs the algorithm's `exit` hook and ends
 * the process with the worker's exit code. SIGTERM and SIGINT end it gracefully.
 *
 * Resolves with how serving ended when `exitProcess` is false; rejects with `ConnectError`,
 * `ConnectionLostError`, `DebuggerAlreadyConnectedError` or `InvalidEnvironmentError`.
 *
 * @example
 * ```ts
 * import { run } from '@hkube-ts/wrapper-node';
 *
 * await run({
 *   async start({ input }) {
 *     return input.length;
 *   },
 * });
 * ```
 */
export async function run(algorithm: Algorithm, options: RunOptions = {}): Promise<ServeOutcome> {
  const env = options.env ?? process.env;
  const logger = options.logger ?? createConsoleLogger(parseLogLevel(env[ENV.HKUBE_LOG_LEVEL]));
  const exitProcess = options.exitProcess ?? true;
  try {
    const outcome = await serve(toAlgorithm(algorithm), env, logger, options);
    if (exitProcess) process.exit(outcome.exitCode);
    return outcome;
  } catch (error) {
    if (!exitProcess) throw error;
    logger.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}

async function serve(algorithm: Algorithm, env: Environment, logger: Logger, options: RunOptions): Promise<ServeOutcome> {
  const connection = readWorkerConnectionEnv(env);
  // v2 behaves as v3 on the wrapper's side: the wrapper writes results itself.
  const storageMode = options.storageMode ?? (connection.storageProtocol === 'v1' ? 'v1' : 'v3');
  const codec = createSocketCodec(connection.encoding);
  const transport =
    options.transport ??
    createWebSocketTransport({
      url: workerSocketUrl({ url: connection.url, host: connection.host, port: connection.port, protocol: connection.protocol, encoding: connection.encoding, storage: storageMode }),
      maxPayload: connection.maxPayload,
      ...(options.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: options.connectTimeoutMs }),
      onRetry: (attempt, error) => {
        if (attempt === 1 || attempt % 50 === 0) logger.info(`waiting for the worker (${error.message})`);
      },
    });
  const dataPlane = storageMode === 'v3'
    ? createTaskDataPlane(readStorageEnv(env), { storage: options.storage, source: env, peer: new PeerPlane({ env: readDiscoveryEnv(env), logger }) })
    : undefined;
  const runner = new AlgorithmRunner({
    algorithm,
    codec,
    storageMode,
    ...(dataPlane ? { dataPlane } : {}),
    createApi: createTaskApiFactory({ storageMode, metricsDir: env[ENV.ALGO_METRICS_DIR], logger }),
    logger,
    ...(options.stopTimeoutMs === undefined ? {} : { stopTimeoutMs: options.stopTimeoutMs }),
    ...(options.heartbeatIntervalMs === undefined ? {} : { heartbeatIntervalMs: options.heartbeatIntervalMs }),
    streaming: {
      settings: readStreamingEnv(env),
      transport: options.streamTransport ?? (() => createDefaultStreamTransport(logger)),
      debugTunnel: options.debugRelay ?? false,
    },
  });
  options.onRunner?.(runner);
  options.signal?.addEventListener('abort', () => void runner.shutdown(0), { once: true });
  const exitProcess = options.exitProcess ?? true;
  const onSignal = (name: string) => () => {
    logger.info(`${name} received: shutting down`);
    void runner.shutdown(0);
  };
  const onTerm = onSignal('SIGTERM');
  const onInt = onSignal('SIGINT');
  if (exitProcess) {
    process.once('SIGTERM', onTerm);
    process.once('SIGINT', onInt);
  }
  try {
    return await runner.serve(transport, options.signal);
  } finally {
    process.removeListener('SIGTERM', onTerm);
    process.removeListener('SIGINT', onInt);
    await dataPlane?.close();
  }
}
