/**
 * Streaming in the task lifecycle (worker-protocol §7): which tasks stream, how `start` runs for a
 * stateless node, how a stateful `start` returning and a `stop` end the streaming, and where
 * `serviceDiscoveryUpdate` and the debug relay's `streamingInMessage` go. The runner calls in at a few
 * points; everything else lives here.
 *
 * @module
 */

import type { HkubeApi, StreamingBackend } from '@hkube-ts/codeapi';
import {
  ensureError, type AlgorithmMessage, type InitializePayload, type ServiceDiscoveryChange, type StreamingEnv, type StreamingInMessageData,
} from '@hkube-ts/protocol';
import type { Algorithm, StartArgs } from '../algorithm/types.js';
import type { Logger } from '../logging/logger.js';
import { DebugStreamTunnel } from '../streaming/session/debug-tunnel.js';
import { StreamingNeedsStorageV3Error, StreamingNotConfiguredError } from '../streaming/session/errors.js';
import { parentKey, StreamSession } from '../streaming/session/stream-session.js';
import { isThenable } from '../streaming/thenable.js';
import type { StreamTransport } from '../streaming/types.js';
import { callHook } from './timeouts.js';

/** Streaming options of a runner. */
export interface StreamingRunnerOptions {
  /** `STREAMING_*` and `DISCOVERY_ENCODING` (`readStreamingEnv`). */
  readonly settings: StreamingEnv;
  /** The stream transport, or how to create it; called once, on the first stream task. */
  readonly transport: StreamTransport | (() => StreamTransport | Promise<StreamTransport>);
  /**
   * Attached to the debug relay: every task gets a {@link DebugStreamTunnel} (the relay sends
   * `kind: 'batch'` and tunnels the stream as `streamingInMessage`/`streamingOutMessage`).
   */
  readonly debugTunnel?: boolean;
}

/** The user's `start`, as the runner calls it. */
type StartFunction = Algorithm['start'];

/** A stateless call's own copy of `start`'s arguments, filled in before the call. */
type PerInputArgs = { -readonly [K in keyof StartArgs]: StartArgs[K] };

/** One task's streaming, as the runner sees it. */
export interface TaskStreaming {
  /** The streaming methods of the task's Code API. */
  readonly api: StreamingBackend;
  /** Replaces the user's `start` for this task (stateless nodes: once per message). */
  wrapStart(start: StartFunction): StartFunction;
  /** A stop began: no more inputs (stateless serving and `messages()` loops end); sending still works. */
  stopInputs(): void;
  /** A stateful `start` returned: flush the queue (until `signal` aborts), then close. */
  finish(signal: AbortSignal): Promise<void>;
  /** Answering `stop`: graceful drains the queue calling `onStopping` every second; forced drops it. */
  stop(forceStop: boolean, onStopping: () => void): Promise<void>;
  /** Ends everything now (queued messages dropped). Idempotent. */
  close(reason: string): void;
}

/**
 * Calls the user's `start` once per input with `args.streamInput = {message, origin}` and sends each
 * return value (even `undefined`) on the input's flow when the node has children (worker-protocol
 * §7.5). Resolves when the inputs end (a stop); rejects with the first exception, which fails the task.
 */
function statelessStart(session: StreamSession, start: StartFunction): StartFunction {
  return (args: StartArgs, api: HkubeApi) =>
    new Promise<undefined>((resolve, reject) => {
      const fail = (error: unknown): void => reject(ensureError(error));
      // Still inside the input's context (a continuation keeps it): the value goes on the input's flow.
      const forward = (result: unknown): void => {
        try {
          if (session.isProducer) session.sendMessage(result);
        } catch (error) {
          fail(error);
        }
      };
      // Each call gets its own copy of `args` plus `streamInput`, cloned from a plain object that
      // already has the `streamInput` slot: V8 copies such an object in ~50 ns, while spreading `args`
      // (it has a getter) and then adding a property costs several times that on every message.
      const template: PerInputArgs = { ...args, streamInput: undefined };
      session.inputs.onClose(() => resolve(undefined));
      session.registerInputListener((message, origin) => {
        let result: unknown;
        try {
          const perInput = { ...template };
          perInput.streamInput = { message, origin };
          result = start(perInput, api);
        } catch (error) {
          return fail(error);
        }
        // A synchronous start costs no promise per message.
        if (isThenable(result)) return Promise.resolve(result).then(forward, fail);
        forward(result);
      });
      session.startMessageListening();
    });
}

class SessionStreaming implements TaskStreaming {
  readonly #session: StreamSession;
  readonly #stateless: boolean;
  readonly #logger: Logger;

  constructor(session: StreamSession, stateless: boolean, logger: Logger) {
    this.#session = session;
    this.#stateless = stateless;
    this.#logger = logger;
  }

  get api(): StreamingBackend {
    return this.#session;
  }

  wrapStart(start: StartFunction): StartFunction {
    return this.#stateless ? statelessStart(this.#session, start) : start;
  }

  stopInputs(): void {
    this.#session.stopInputs().catch((error: unknown) => this.#logger.warn(`stopping the stream inputs failed: ${ensureError(error).message}`));
  }

  async finish(signal: AbortSignal): Promise<void> {
    await this.#session.stopInputs();
    await this.#session.drain({ signal });
    // Aborted: a stop (which drains or drops by its own rules) or an exit takes over.
    if (!signal.aborted) await this.#session.close('the algorithm returned');
  }

  async stop(forceStop: boolean, onStopping: () => void): Promise<void> {
    await this.#session.stopInputs();
    if (!forceStop) await this.#session.drain({ onTick: onStopping });
    await this.#session.close('the task was stopped', forceStop);
  }

  close(reason: string): void {
    this.#session.close(reason, true).catch((error: unknown) => this.#logger.warn(`closing the stream failed: ${ensureError(error).message}`));
  }
}

class TunnelStreaming implements TaskStreaming {
  readonly api: DebugStreamTunnel;

  constructor(tunnel: DebugStreamTunnel) {
    this.api = tunnel;
  }

  wrapStart(start: StartFunction): StartFunction {
    return start;
  }

  stopInputs(): void {
    this.api.close('the task was stopped');
  }

  finish(): Promise<void> {
    this.api.close('the algorithm returned');
    return Promise.resolve();
  }

  stop(): Promise<void> {
    this.api.close('the task was stopped');
    return Promise.resolve();
  }

  close(reason: string): void {
    this.api.close(reason);
  }
}

/**
 * The streaming side of one runner (one connection): opens each task's streaming, routes discovery
 * changes and relay inputs to it, and owns the stream transport.
 */
export class RunnerStreaming {
  readonly #options: StreamingRunnerOptions | undefined;
  readonly #logger: Logger;
  readonly #send: (message: AlgorithmMessage) => Promise<void>;
  /** Discovery changes that arrived while no stream session was open (the worker may send them before `initialize`). */
  readonly #pending = new Map<string, ServiceDiscoveryChange>();
  #session: StreamSession | undefined;
  #tunnel: DebugStreamTunnel | undefined;
  #transport: Promise<StreamTransport> | undefined;

  constructor(options: StreamingRunnerOptions | undefined, logger: Logger, send: (message: AlgorithmMessage) => Promise<void>) {
    this.#options = options;
    this.#logger = logger;
    this.#send = send;
  }

  /**
   * Opens the streaming of a task: a tunnel under the debug relay, a {@link StreamSession} for
   * `kind: 'stream'`, nothing otherwise. Rejects (the task then fails) for a stream task in storage
   * mode v1, without streaming options, or when the producer cannot bind its port.
   */
  /** Whether {@link open} has anything to open for this task (a stream task, or a debug session). */
  opensFor(payload: InitializePayload): boolean {
    return this.#options?.debugTunnel === true || payload.kind === 'stream';
  }

  async open(payload: InitializePayload, storageMode: 'v1' | 'v3'): Promise<TaskStreaming | undefined> {
    const options = this.#options;
    if (options?.debugTunnel) {
      this.#tunnel?.close('replaced by a new task');
      this.#tunnel = new DebugStreamTunnel({ payload, send: this.#send, logger: this.#logger });
      return new TunnelStreaming(this.#tunnel);
    }
    if (payload.kind !== 'stream') return undefined;
    if (storageMode !== 'v3') throw new StreamingNeedsStorageV3Error(payload.taskId, storageMode);
    if (options === undefined) throw new StreamingNotConfiguredError(payload.taskId);
    // The previous task's producer must have released the port before this one binds it.
    await this.#session?.close('replaced by a new task', true);
    const session = await StreamSession.open({
      payload,
      transport: await this.#getTransport(options),
      settings: options.settings,
      sendStatistics: (data) => this.#send({ command: 'streamingStatistics', data }),
      logger: this.#logger,
    });
    this.#session = session;
    session.updateDiscovery([...this.#pending.values()]);
    this.#pending.clear();
    return new SessionStreaming(session, payload.stateType === 'stateless', this.#logger);
  }

  /** `serviceDiscoveryUpdate`: to the open session, or kept for the next one. */
  onDiscovery(changes: readonly ServiceDiscoveryChange[]): void {
    const session = this.#session;
    if (session !== undefined && !session.closed) {
      session.updateDiscovery(changes);
      return;
    }
    if (session !== undefined) {
      // The task that knew these parents has ended; what follows is for the next one.
      this.#session = undefined;
      this.#pending.clear();
    }
    for (const change of changes) {
      const key = parentKey(change);
      if (change.type === 'Add') this.#pending.set(key, change);
      else this.#pending.delete(key);
    }
  }

  /** `streamingInMessage` from the debug relay. */
  onDebugInput(input: StreamingInMessageData): void {
    if (this.#tunnel) this.#tunnel.onInput(input);
    else this.#logger.debug(`'streamingInMessage' ignored: not attached to a debug relay`);
  }

  /** Closes the stream transport (on `exit`). */
  async close(): Promise<void> {
    this.#tunnel?.close('the algorithm is exiting');
    this.#session?.close('the algorithm is exiting', true).catch(() => undefined);
    const transport = this.#transport;
    this.#transport = undefined;
    if (transport) await (await transport.catch(() => undefined))?.close();
  }

  #getTransport(options: StreamingRunnerOptions): Promise<StreamTransport> {
    const { transport } = options;
    this.#transport ??= typeof transport === 'function' ? callHook(transport) : Promise.resolve(transport);
    const created = this.#transport;
    // A failed creation (zeromq not installed) is retried by the next stream task.
    created.catch(() => {
      if (this.#transport === created) this.#transport = undefined;
    });
    return created;
  }
}
