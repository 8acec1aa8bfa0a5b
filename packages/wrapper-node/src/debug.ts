import { debugSocketUrl, isEncodingName, workerSocketUrl, type EncodingName } from '@hkube-ts/protocol';
import type { Algorithm } from './algorithm/types.js';
import type { ServeOutcome } from './lifecycle/types.js';
import type { AlgorithmRunner } from './lifecycle/runner.js';
import { forwardOutput } from './logging/forward-output.js';
import type { Logger } from './logging/logger.js';
import { run, type Environment } from './run.js';
import { createWebSocketTransport } from './transport/ws-transport.js';

/** Where to attach: a debug URL as HKube shows it, or the cluster URL and the algorithm's name. */
export type DebugTarget = string | { readonly hkubeUrl: string; readonly algorithmName: string };

/** Options of {@link debug}. */
export interface DebugOptions {
  /** Forward stdout and stderr to the debug pod's log as `logData` (default false). */
  readonly forwardLogs?: boolean;
  /** Socket encoding (default `WORKER_ALGORITHM_ENCODING`, else `bson`). */
  readonly encoding?: EncodingName;
  /** Wrapper diagnostics. */
  readonly logger?: Logger;
  /** Give up connecting after this long (default 30 s). */
  readonly connectTimeoutMs?: number;
  /** Exit the process when the session ends (default false). */
  readonly exitProcess?: boolean;
  /** Ends the session. */
  readonly signal?: AbortSignal;
  /** Where settings are read from (default `process.env`). */
  readonly env?: Environment;
}

/** The WebSocket URL for a debug target, keeping any ingress prefix and `wss`. */
export function resolveDebugUrl(target: DebugTarget): string {
  if (typeof target !== 'string') return debugSocketUrl(target.hkubeUrl, target.algorithmName);
  const url = new URL(target);
  if (url.protocol === 'http:') url.protocol = 'ws:';
  if (url.protocol === 'https:') url.protocol = 'wss:';
  return url.toString();
}

/**
 * Attaches an algorithm running on your machine (started from your IDE, breakpoints and all) to a
 * debug node: the debug relay of a cluster (`ws[s]://<host>[/prefix]/hkube/debug/<algorithmName>`) or
 * the emulator's debug endpoint. Uses storage mode v1, as the relay expects.
 *
 * Stream nodes work too (worker-protocol §7.6): the relay's stream inputs reach the listeners you
 * register (`api.registerInputListener`, `api.messages()`), each acked with `streamingInMessageDone`
 * once handled, and `api.sendMessage` goes back to the relay as `streamingOutMessage`; a stateless node
 * gets one task per message with `args.streamInput`.
 *
 * If another debugger is already attached the promise rejects with `DebuggerAlreadyConnectedError`
 * (naming the other host) instead of reconnecting in a loop.
 *
 * @example
 * ```ts
 * import { debug } from '@hkube-ts/wrapper-node';
 * import { algorithm } from './algorithm.js';
 *
 * await debug({ hkubeUrl: 'https://hkube.example.com', algorithmName: 'green-alg' }, algorithm, { forwardLogs: true });
 * ```
 */
export async function debug(target: DebugTarget, algorithm: Algorithm, options: DebugOptions = {}): Promise<ServeOutcome> {
  const env = options.env ?? process.env;
  const declared = options.encoding ?? env.WORKER_ALGORITHM_ENCODING;
  const encoding: EncodingName = isEncodingName(declared) ? declared : 'bson';
  const url = resolveDebugUrl(target);
  let restore: (() => void) | undefined;
  let runnerRef: AlgorithmRunner | undefined;
  const backlog: string[] = [];
  if (options.forwardLogs) {
    restore = forwardOutput((lines) => {
      const runner = runnerRef;
      if (runner?.canSend) {
        const queued = backlog.splice(0, backlog.length);
        void runner.sendLogs([...queued, ...lines]);
      } else if (backlog.length < 1000) {
        backlog.push(...lines);
      }
    });
  }
  try {
    return await run(algorithm, {
      env: { ...env, WORKER_SOCKET_URL: url, WORKER_ALGORITHM_ENCODING: encoding, STORAGE_PROTOCOL: 'v1' },
      storageMode: 'v1',
      debugRelay: true,
      transport: createWebSocketTransport({ url: workerSocketUrl({ url, encoding, storage: 'v1' }), connectTimeoutMs: options.connectTimeoutMs ?? 30_000 }),
      exitProcess: options.exitProcess ?? false,
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      onRunner: (runner) => {
        runnerRef = runner;
      },
    });
  } finally {
    restore?.();
  }
}
