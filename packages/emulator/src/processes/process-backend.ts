/**
 * An algorithm run as an external process (any language's wrapper), serving its virtual worker over a
 * real WebSocket: the emulator listens on 127.0.0.1 (port 0), starts the command with the environment
 * of an algorithm container pointing at that port, accepts its first connection (and no other, as a
 * worker must) and speaks the protocol in the `encoding`/`storage` the process asked for.
 */
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { ensureError } from '@hkube-ts/protocol';
import { freePortPair } from '@hkube-ts/wrapper-node';
import { AlgorithmProcessError, ProcessConnectTimeoutError, type ProcessFailureDetails } from '../errors.js';
import type { StreamEndpoint, WorkerBackend, WorkerConnection } from '../worker/backend.js';
import type { PodStorage } from '../storage/emulator-storage.js';
import { AlgorithmProcess } from './algorithm-process.js';
import { podEnvironment } from './process-env.js';
import { socketPeer } from './socket-peer.js';
import { readWorkerQuery } from './worker-query.js';

/** Options of {@link createProcessBackend}. */
export interface ProcessBackendOptions {
  /** The algorithm the process serves. */
  readonly algorithmName: string;
  /** The command and its arguments, e.g. `['python3', 'main.py']`. */
  readonly command: readonly string[];
  /** Its working directory. */
  readonly cwd: string;
  /** Its own environment variables (they win over the pod's). */
  readonly env?: Readonly<Record<string, string>>;
  /** `CLUSTER_NAME`. */
  readonly clusterName: string;
  /** The storage shared with the emulator (a directory or an S3 endpoint). */
  readonly storage: PodStorage;
  /** `STORAGE_ENCODING`. */
  readonly storageEncoding: string;
  /** `ALGO_METRICS_DIR`. */
  readonly metricsDirectory: string;
  /** How long the process has to connect. */
  readonly connectTimeoutMs: number;
  /** Give the process a peer data server on a free port pair of 127.0.0.1 (default false). */
  readonly peerData?: boolean;
  /** Receives the process's output. */
  readonly onOutput?: (stream: 'stdout' | 'stderr', text: string) => void;
  /** Stream jobs: opens the producer endpoint of this process (a free TCP port, in its environment). */
  readonly stream?: () => Promise<StreamEndpoint>;
}

/** The worker's `maxPayload` default (worker-protocol §1.1). */
const MAX_PAYLOAD = 1e8;

function listen(): Promise<WebSocketServer> {
  return new Promise((resolve, reject) => {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false, maxPayload: MAX_PAYLOAD });
    server.once('listening', () => resolve(server));
    server.once('error', reject);
  });
}

/** A {@link WorkerBackend} running the algorithm as a child process. */
export function createProcessBackend(options: ProcessBackendOptions): WorkerBackend {
  let server: WebSocketServer | undefined;
  let child: AlgorithmProcess | undefined;
  let disposed: Promise<void> | undefined;
  let stream: StreamEndpoint | undefined;

  const details = (): ProcessFailureDetails => ({
    algorithmName: options.algorithmName,
    command: options.command,
    exitCode: child?.exit?.code,
    signal: child?.exit?.signal,
    output: child?.output() ?? '',
  });
  const closeServer = (): void => {
    server?.close();
  };

  const waitForConnection = (process: AlgorithmProcess, listening: WebSocketServer, signal: AbortSignal): Promise<WorkerConnection> =>
    new Promise<WorkerConnection>((resolve, reject) => {
      let settled = false;
      const settle = (outcome: { connection: WorkerConnection } | { error: unknown }): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        closeServer();
        if ('connection' in outcome) resolve(outcome.connection);
        else reject(ensureError(outcome.error));
      };
      const onAbort = (): void => settle({ error: signal.reason });
      const onConnection = (socket: WebSocket, request: { url?: string }): void => {
        if (settled) {
          // A worker serves one connection (worker-protocol §1.5).
          socket.close(1013, 'another client is already connected');
          return;
        }
        try {
          const query = readWorkerQuery(options.algorithmName, request.url);
          settle({ connection: { peer: socketPeer(socket), ...query } });
        } catch (error) {
          socket.close(1008, ensureError(error).message.slice(0, 120));
          settle({ error });
        }
      };
      const timer = setTimeout(() => settle({ error: new ProcessConnectTimeoutError(options.algorithmName, options.command, options.connectTimeoutMs, process.output()) }), options.connectTimeoutMs);
      signal.addEventListener('abort', onAbort, { once: true });
      listening.on('connection', onConnection);
      void process.exited.then((exit) => {
        const when = 'before connecting to its worker';
        settle({ error: new AlgorithmProcessError(details(), when, exit.error === undefined ? {} : { cause: exit.error }) });
      });
    });

  return {
    description: `process of algorithm "${options.algorithmName}"`,
    get streamAddress() {
      return stream?.address;
    },
    async connect(signal: AbortSignal): Promise<WorkerConnection> {
      signal.throwIfAborted();
      stream ??= await options.stream?.();
      const listening = await listen();
      server = listening;
      if (disposed !== undefined || signal.aborted) {
        closeServer();
        throw ensureError(signal.reason ?? new Error('the worker has ended'));
      }
      const port = (listening.address() as AddressInfo).port;
      const discoveryPort = options.peerData === true ? await freePortPair() : undefined;
      child = AlgorithmProcess.start({
        command: options.command,
        cwd: options.cwd,
        env: podEnvironment({
          algorithmName: options.algorithmName,
          port,
          clusterName: options.clusterName,
          storage: options.storage,
          storageEncoding: options.storageEncoding,
          metricsDirectory: options.metricsDirectory,
          discoveryPort,
          ...(options.env === undefined && stream === undefined ? {} : { env: { ...options.env, ...stream?.env } }),
        }),
        ...(options.onOutput === undefined ? {} : { onOutput: options.onOutput }),
      });
      return waitForConnection(child, listening, signal);
    },
    async whenEnded(ms: number, when: string): Promise<Error | undefined> {
      if (child === undefined || !(await child.waitForExit(ms))) return undefined;
      return new AlgorithmProcessError(details(), when);
    },
    dispose(graceMs: number): Promise<void> {
      disposed ??= (async () => {
        closeServer();
        await child?.terminate(graceMs);
      })();
      return disposed;
    },
  };
}
