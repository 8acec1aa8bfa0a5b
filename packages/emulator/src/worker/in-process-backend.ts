/**
 * An algorithm run in the emulator's own process by `@hkube-ts/wrapper-node`'s `run()`, connected to
 * its virtual worker by an in-memory pipe. The wrapper does not know it is emulated: it negotiates,
 * encodes, resolves inputs and stores outputs exactly as in a pod.
 */
import { createSocketCodec, ensureError, type EncodingName } from '@hkube-ts/protocol';
import { createMemoryPipe, run, type Algorithm, type Logger } from '@hkube-ts/wrapper-node';
import { AlgorithmDisconnectedError } from '../errors.js';
import { sharedAdapter, type EmulatorStorage } from '../storage/emulator-storage.js';
import type { StreamEndpoint, WorkerBackend, WorkerConnection } from './backend.js';

/** Options of {@link createInProcessBackend}. */
export interface InProcessBackendOptions {
  /** The algorithm's name (`ALGORITHM_NAME`). */
  readonly algorithmName: string;
  /** Loads the algorithm (once per emulator; shared by its workers). */
  readonly load: () => Promise<Algorithm>;
  /** Storage shared with the emulator. */
  readonly storage: EmulatorStorage;
  /** The socket encoding the wrapper uses on the pipe (default `msgpack`). */
  readonly encoding?: EncodingName;
  /** The storage mode the wrapper asks for (default `v3`). */
  readonly storageMode?: 'v1' | 'v3';
  /** The wrapper's diagnostics. */
  readonly logger: Logger;
  /** Extra environment of the wrapper (`ALGO_METRICS_DIR`, …). */
  readonly env?: Readonly<Record<string, string>>;
  /** Stream jobs: opens the producer endpoint of this instance (its port, env and transport). */
  readonly stream?: () => Promise<StreamEndpoint>;
}

/** How long a wrapper may take to answer `stop` before it reports `stopped` anyway. */
const WRAPPER_STOP_TIMEOUT_MS = 3000;

/** A {@link WorkerBackend} running the algorithm in-process. */
export function createInProcessBackend(options: InProcessBackendOptions): WorkerBackend {
  const encoding = options.encoding ?? 'msgpack';
  const storageMode = options.storageMode ?? 'v3';
  const pipe = createMemoryPipe({ description: `memory://worker/${options.algorithmName}` });
  let serving: Promise<void> | undefined;
  let ended: Error | undefined;
  let disposed: Promise<void> | undefined;
  let stream: StreamEndpoint | undefined;

  const serve = async (algorithm: Algorithm): Promise<void> => {
    try {
      await run(algorithm, {
        ...(stream?.transport === undefined ? {} : { streamTransport: stream.transport }),
        transport: pipe.transport,
        storage: sharedAdapter(options.storage.adapter),
        storageMode,
        exitProcess: false,
        logger: options.logger,
        stopTimeoutMs: WRAPPER_STOP_TIMEOUT_MS,
        env: {
          WORKER_ALGORITHM_ENCODING: encoding,
          STORAGE_PROTOCOL: storageMode,
          CLUSTER_NAME: options.storage.clusterName,
          STORAGE_ENCODING: options.storage.codec.name,
          DEFAULT_STORAGE: 'fs',
          // Inputs are written under fresh keys: the wrapper's input cache would never hit.
          STORAGE_MAX_CACHE_SIZE: '16',
          DISCOVERY_ENABLE: 'false',
          // The same encoding as process nodes get, so mixed stream jobs read each other's frames.
          DISCOVERY_ENCODING: options.storage.codec.name,
          ALGORITHM_NAME: options.algorithmName,
          ...options.env,
          ...stream?.env,
        },
      });
      ended = new AlgorithmDisconnectedError(options.algorithmName, 1000, 'after it stopped serving');
    } catch (error) {
      ended = ensureError(error);
    }
  };

  return {
    description: `in-process algorithm "${options.algorithmName}"`,
    get streamAddress() {
      return stream?.address;
    },
    async connect(signal: AbortSignal): Promise<WorkerConnection> {
      signal.throwIfAborted();
      const algorithm = await options.load();
      stream ??= await options.stream?.();
      signal.throwIfAborted();
      serving = serve(algorithm);
      return { peer: pipe.peer, codec: createSocketCodec(encoding), storageMode };
    },
    async whenEnded(ms: number): Promise<Error | undefined> {
      if (serving === undefined || ended !== undefined) return ended;
      await Promise.race([serving, new Promise((resolve) => setTimeout(resolve, ms).unref())]);
      return ended;
    },
    dispose(graceMs: number): Promise<void> {
      disposed ??= (async () => {
        if (serving !== undefined && graceMs > 0) {
          let timer: NodeJS.Timeout | undefined;
          await Promise.race([serving, new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
          clearTimeout(timer);
        }
        // A wrapper still running (its `exit` hook hung, or it was never told to exit) loses its
        // connection; code it is still running cannot be killed in-process.
        pipe.peer.close(1001, 'worker disposed');
      })();
      return disposed;
    },
  };
}
