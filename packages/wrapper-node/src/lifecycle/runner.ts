import { CODE_API_REPLY_COMMANDS, type CodeApiReply, type HkubeApi, type StreamingBackend, type WorkerChannel } from '@hkube-ts/codeapi';
import {
  EncodeError, ensureError, type AlgorithmMessage, type InitializePayload, type RawFrame, type SocketCodec, type WorkerMessage,
  type WorkerMessageOf,
} from '@hkube-ts/protocol';
import type { Algorithm, StartArgs } from '../algorithm/types.js';
import { ConnectionLostError, DebuggerAlreadyConnectedError } from '../errors.js';
import type { Logger } from '../logging/logger.js';
import type { CloseInfo, Transport, TransportConnection } from '../transport/types.js';
import { Outbox } from './outbox.js';
import { RunnerStreaming, type StreamingRunnerOptions } from './streaming-task.js';
import { Task } from './task.js';
import { callHook, settlesWithin } from './timeouts.js';
import type { ServeOutcome, TaskDataPlane } from './types.js';

/** The Code API of one task, and how to end it when the task ends. */
export interface TaskApi {
  readonly api: HkubeApi;
  close(reason: string): void;
}

/** Builds the Code API object for a task (`streaming`: the task's streaming methods, when it streams). */
export type TaskApiFactory = (
  payload: InitializePayload, channel: WorkerChannel, dataPlane: TaskDataPlane | undefined, streaming?: StreamingBackend,
) => TaskApi;

/** Options of {@link AlgorithmRunner}. */
export interface RunnerOptions {
  /** The user's algorithm. */
  readonly algorithm: Algorithm;
  /** The socket codec negotiated in the URL. */
  readonly codec: SocketCodec;
  /** `v3`: the wrapper resolves inputs and stores results; `v1`: the worker does. */
  readonly storageMode: 'v1' | 'v3';
  /** Required for `v3`. */
  readonly dataPlane?: TaskDataPlane;
  /** Builds each task's Code API. */
  readonly createApi: TaskApiFactory;
  /** Where the wrapper's own diagnostics go. */
  readonly logger: Logger;
  /** How long `stop` waits for `start` to settle before answering `stopped` (default 3000 ms, the worker allows 10 s). */
  readonly stopTimeoutMs?: number;
  /** How long `exit` waits for the user's `exit` hook (default 5000 ms). */
  readonly exitTimeoutMs?: number;
  /** Send `alive` every this many ms while a task runs (default 0: off; keep it well under 10 s). */
  readonly heartbeatIntervalMs?: number;
  /** Stream tasks and the debug relay's stream tunnel (without it, a `kind: 'stream'` task fails). */
  readonly streaming?: StreamingRunnerOptions;
}

/** Where `start()`'s arguments keep their task, for the shared `signal` getter (not enumerable). */
const ARGS_TASK = Symbol('task');

function argsSignal(this: { readonly [ARGS_TASK]: Task }): AbortSignal {
  return this[ARGS_TASK].signal;
}

/**
 * `start()`'s arguments. `signal` is a getter, because Node creates an AbortController's signal on
 * first read (about 2 µs and garbage per task) and most algorithms never read it. The getter is one
 * shared function and the object is built by `Object.assign`, so that every task's arguments share
 * one hidden class: a per-task closure, or an accessor defined on a spread (`{...payload}`) copy,
 * makes V8 create a new hidden class per task in old space, which drags each task's objects out of
 * the young generation and makes every scavenge slow.
 */
function startArgs(task: Task, input: StartArgs['input']): StartArgs {
  const args: Omit<StartArgs, 'signal'> = Object.assign({}, task.payload, { input });
  Object.defineProperty(args, ARGS_TASK, { value: task });
  return Object.defineProperty(args, 'signal', { get: argsSignal, enumerable: true, configurable: true }) as StartArgs;
}

type Settle = { resolve: (outcome: ServeOutcome) => void; reject: (error: Error) => void };

/**
 * Drives one algorithm through the worker protocol on one connection (worker-protocol §5): exactly one
 * `initialized` or `errorMessage` per `initialize`; `started` → result for `start`; `stopped` (and
 * never a `done`) for `stop`; the user's `exit` then close for `exit`. Malformed or unknown frames are
 * logged and ignored; nothing the worker sends can crash it.
 */
export class AlgorithmRunner {
  readonly #options: RunnerOptions;
  readonly #outbox: Outbox;
  readonly #replyListeners = new Set<(reply: CodeApiReply) => void>();
  #connection: TransportConnection | undefined;
  #task: Task | undefined;
  #taskApi: TaskApi | undefined;
  #stopping = false;
  #exiting = false;
  #debuggerHost: string | undefined;
  #settle: Settle | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  readonly #streaming: RunnerStreaming;
  #stopServingReports: (() => void) | undefined;

  constructor(options: RunnerOptions) {
    if (options.storageMode === 'v3' && options.dataPlane === undefined) {
      throw new TypeError('storage mode v3 needs a data plane');
    }
    this.#options = options;
    this.#outbox = new Outbox(options.codec, options.logger);
    this.#streaming = new RunnerStreaming(options.streaming, options.logger, (message) => this.#outbox.send(message));
  }

  /** The task being worked on, if any (for diagnostics and log forwarding). */
  get currentTask(): InitializePayload | undefined {
    return this.#task?.payload;
  }

  /** Whether messages may be sent to the worker (after its first `initialize`). */
  get canSend(): boolean {
    return this.#outbox.isOpen;
  }

  /**
   * Connects through `transport` and serves until the worker says `exit` (resolves with its exit
   * code) or the connection is lost (rejects with `ConnectionLostError` or
   * `DebuggerAlreadyConnectedError`).
   */
  async serve(transport: Transport, signal?: AbortSignal): Promise<ServeOutcome> {
    const done = new Promise<ServeOutcome>((resolve, reject) => {
      this.#settle = { resolve, reject };
    });
    this.#connection = await transport.connect(
      { onFrame: (frame) => this.#onFrame(frame), onClose: (info) => this.#onClose(info) },
      signal,
    );
    this.#outbox.attach(this.#connection);
    this.#stopServingReports = this.#options.dataPlane?.onServing?.(() => this.#sendServingStatus());
    this.#options.logger.info(`connected to the worker at ${transport.description}`);
    return done;
  }

  /** Sends `logData` lines (only meaningful to the debug relay). Dropped before the first `initialize`. */
  async sendLogs(lines: string[]): Promise<void> {
    if (!this.#outbox.isOpen || lines.length === 0) return;
    await this.#outbox.send({ command: 'logData', data: lines }).catch(() => undefined);
  }

  /**
   * Ends serving from this side (SIGTERM, tests): stops a running task as if forced, runs the user's
   * `exit`, closes the connection and resolves `serve()` with `exitCode`.
   */
  async shutdown(exitCode = 0): Promise<void> {
    await this.#exit(exitCode, 'shutdown');
  }

  // ------------------------------------------------------------------ incoming

  #onFrame(frame: RawFrame): void {
    const read = this.#options.codec.readWorkerMessage(frame);
    if (!read.ok) {
      const level = read.error.code === 'UNKNOWN_COMMAND' ? 'debug' : 'warn';
      this.#options.logger[level](`ignoring a frame from the worker: ${read.error.message}`);
      return;
    }
    this.#dispatch(read.value);
  }

  #dispatch(message: WorkerMessage): void {
    const logger = this.#options.logger;
    const report = (what: string) => (error: unknown) => logger.error(`${what} failed: ${ensureError(error).message}`);
    switch (message.command) {
      case 'initialize':
        this.#onInitialize(message.data).catch(report('initialize'));
        return;
      case 'start':
        this.#onStart().catch(report('start'));
        return;
      case 'stop':
        this.#onStop(message.data.forceStop).catch(report('stop'));
        return;
      case 'exit':
        this.#exit(message.data.exitCode, 'exit').catch(report('exit'));
        return;
      case 'alreadyConnectedError':
        this.#onAlreadyConnected(message);
        return;
      case 'subPipelineStarted':
      case 'subPipelineDone':
      case 'subPipelineError':
      case 'subPipelineStopped':
      case 'algorithmExecutionDone':
      case 'algorithmExecutionError':
      case 'dataSourceResponse':
        this.#onReply(message);
        return;
      case 'serviceDiscoveryUpdate':
        this.#streaming.onDiscovery(message.data);
        return;
      case 'streamingInMessage':
        this.#streaming.onDebugInput(message.data);
        return;
      default: {
        const unreachable: never = message;
        logger.debug(`ignoring ${JSON.stringify(unreachable)}`);
      }
    }
  }

  #onReply(reply: CodeApiReply): void {
    if (!CODE_API_REPLY_COMMANDS.has(reply.command)) return;
    for (const listener of this.#replyListeners) listener(reply);
  }

  #onAlreadyConnected(message: WorkerMessageOf<'alreadyConnectedError'>): void {
    this.#debuggerHost = message.data.hostname;
    this.#options.logger.error(new DebuggerAlreadyConnectedError(this.#debuggerHost).message);
    void this.#connection?.close(1000, 'debugger already connected');
  }

  #onClose(info: CloseInfo): void {
    this.#stopHeartbeat();
    this.#stopServingReports?.();
    const task = this.#task;
    if (task && !task.final) task.requestStop(true);
    task?.closeStreaming('the connection to the worker closed');
    this.#taskApi?.close('the connection to the worker closed');
    if (this.#exiting) return;
    const alreadyConnected = info.code === 4001 || info.code === 1013 || this.#debuggerHost !== undefined;
    const error = alreadyConnected ? new DebuggerAlreadyConnectedError(this.#debuggerHost) : new ConnectionLostError(info.code, info.reason);
    this.#settle?.reject(error);
  }

  // ------------------------------------------------------------------ lifecycle

  async #onInitialize(payload: InitializePayload): Promise<void> {
    this.#outbox.open();
    const current = this.#task;
    if (current && !current.final && current.phase !== 'initialized') {
      // The debug relay repeats initialize/start when a job was queued before we connected; answering
      // twice would break a real worker, so the first one wins.
      this.#options.logger.warn(`ignoring initialize for task ${payload.taskId}: task ${current.taskId} is ${current.phase}`);
      return;
    }
    if (current && !current.final) this.#endTask(current, 'replaced by a new initialize');
    const task = new Task(payload);
    this.#task = task;
    this.#taskApi = undefined;
    const { algorithm } = this.#options;
    try {
      task.attachStreaming(await this.#streaming.open(payload, this.#options.storageMode));
      this.#taskApi = this.#options.createApi(payload, this.#channel(task), this.#options.dataPlane, task.streaming?.api);
      if (algorithm.init) await callHook(() => algorithm.init?.({ ...payload, signal: task.signal }));
    } catch (error) {
      if (task.stopRequested) return task.settleInit(false);
      task.settleInit(false);
      await this.#fail(task, error);
      return;
    }
    if (task.stopRequested) {
      // The worker left state `init`; an `initialized` now would be an invalid transition. `stop` answers.
      task.settleInit(false);
      return;
    }
    await this.#send(task, { command: 'initialized' });
    task.settleInit(true);
    this.#startHeartbeat(task);
  }

  async #onStart(): Promise<void> {
    const task = this.#task;
    if (!task || task.final) {
      this.#options.logger.warn('ignoring start: no task was initialized');
      return;
    }
    if (task.phase === 'running') {
      this.#options.logger.warn(`ignoring a repeated start for task ${task.taskId}`);
      return;
    }
    task.phase = 'running';
    task.work = this.#runTask(task).catch((error: unknown) =>
      this.#options.logger.error(`task ${task.taskId} could not report its outcome: ${ensureError(error).message}`),
    );
    await task.work;
  }

  async #runTask(task: Task): Promise<void> {
    if (!(await task.initialized) || task.stopRequested) return;
    // `started` is informational (the worker only logs it) and precedes everything else the task
    // sends. The WebSocket transport writes the frames of one event-loop turn together, so a task
    // quicker than that costs the worker one wake-up for `started` and the result.
    this.#send(task, { command: 'started' }).catch(() => undefined); // a failed write closes the socket
    const { algorithm, storageMode, dataPlane } = this.#options;
    try {
      const input = storageMode === 'v3' && dataPlane ? await dataPlane.resolveInput(task.payload, task.signal) : task.payload.input;
      if (task.stopRequested) return;
      const api = this.#taskApi?.api;
      if (api === undefined) throw new Error('the Code API is not available');
      const userStart = (args: StartArgs, taskApi: HkubeApi): unknown => algorithm.start(args, taskApi);
      const start = task.streaming?.wrapStart(userStart) ?? userStart;
      const result = await callHook(() => start(startArgs(task, input), api));
      if (task.stopRequested) return;
      if (task.streaming) {
        await task.streaming.finish(task.signal); // a stateful stream ends: flush the queue first (§7.4)
        if (task.stopRequested) return;
      }
      if (storageMode === 'v3' && dataPlane) {
        const descriptor = await dataPlane.writeOutput(task.payload, result, task.signal);
        if (task.stopRequested) return;
        await this.#send(task, { command: 'storing', data: descriptor });
        if (task.stopRequested) return;
        await this.#finish(task, { command: 'done' });
      } else {
        await this.#finish(task, { command: 'done', data: result });
      }
    } catch (error) {
      if (task.stopRequested) return;
      await this.#fail(task, error);
    }
  }

  async #onStop(forceStop: boolean): Promise<void> {
    if (this.#stopping) {
      this.#options.logger.debug('ignoring a repeated stop');
      return;
    }
    this.#stopping = true;
    const { logger, algorithm, stopTimeoutMs = 3000 } = this.#options;
    try {
      this.#outbox.open();
      const task = this.#task;
      const active = task !== undefined && !task.final;
      if (active) {
        this.#stopHeartbeat();
        task.requestStop(forceStop);
        task.streaming?.stopInputs();
        // Pending Code API calls reject now, so that a start() awaiting one can settle before `stopped`.
        this.#taskApi?.close('the task was stopped');
        if (algorithm.stop) {
          const userStop = callHook(() => algorithm.stop?.({ forceStop })).catch((error: unknown) =>
            logger.warn(`the algorithm's stop() threw: ${ensureError(error).message}`),
          );
          await settlesWithin(userStop, stopTimeoutMs);
        }
        if (!(await settlesWithin(Promise.all([task.work, task.initialized]), stopTimeoutMs))) {
          logger.warn(`task ${task.taskId}: start() did not end within ${stopTimeoutMs} ms of stop; answering stopped anyway`);
        }
        await task.streaming?.stop(forceStop, () => void this.#outbox.send({ command: 'stopping' }).catch(() => undefined));
        this.#endTask(task, 'the task was stopped');
      }
      if (this.#exiting) return;
      // Answer every stop: the worker's stop timer is cleared only by `stopped` (worker-protocol §5.3).
      await this.#outbox.send({ command: 'stopped' }).catch((error: unknown) => logger.warn(`could not send stopped: ${ensureError(error).message}`));
      if (task) task.final = true;
    } finally {
      this.#stopping = false;
    }
  }

  async #exit(exitCode: number, reason: ServeOutcome['reason']): Promise<void> {
    if (this.#exiting) return;
    this.#exiting = true;
    this.#stopHeartbeat();
    this.#stopServingReports?.();
    const { logger, algorithm, exitTimeoutMs = 5000 } = this.#options;
    const task = this.#task;
    if (task && !task.final) {
      task.requestStop(true);
      this.#endTask(task, 'the algorithm is exiting');
    }
    await this.#streaming.close().catch((error: unknown) => logger.warn(`closing the stream transport failed: ${ensureError(error).message}`));
    if (algorithm.exit) {
      const userExit = callHook(() => algorithm.exit?.({ exitCode })).catch((error: unknown) =>
        logger.warn(`the algorithm's exit() threw: ${ensureError(error).message}`),
      );
      if (!(await settlesWithin(userExit, exitTimeoutMs))) logger.warn(`exit() did not return within ${exitTimeoutMs} ms`);
    }
    await this.#connection?.close(1000, 'exit');
    this.#settle?.resolve({ reason, exitCode });
  }

  // ------------------------------------------------------------------ outgoing

  #channel(task: Task): WorkerChannel {
    return {
      send: (request) => {
        if (task.final || task.stopRequested) return Promise.reject(new Error(`task ${task.taskId} has ended`));
        return this.#outbox.send(request);
      },
      onReply: (listener) => {
        this.#replyListeners.add(listener);
        return () => this.#replyListeners.delete(listener);
      },
    };
  }

  /** Sends a non-final message of a task, unless the task has been stopped. */
  #send(task: Task, message: AlgorithmMessage): Promise<void> {
    return task.stopRequested || task.final ? Promise.resolve() : this.#outbox.send(message);
  }

  /** Sends the task's last message (`done` or `errorMessage`), exactly once, never after a stop. */
  async #finish(task: Task, message: AlgorithmMessage): Promise<void> {
    if (task.stopRequested || task.final) return;
    task.final = true;
    this.#stopHeartbeat();
    this.#endTask(task, 'the task finished');
    try {
      await this.#outbox.send(message);
    } catch (error) {
      // A result the socket encoding cannot carry (v1) must still end the task, as an error.
      if (!(error instanceof EncodeError) || message.command !== 'done') throw error;
      this.#options.logger.error(`task ${task.taskId}: the result cannot be sent: ${error.message}`);
      await this.#outbox.send({ command: 'errorMessage', error: { code: 'Failed', message: `the algorithm's result cannot be sent: ${error.message}` } });
    }
  }

  async #fail(task: Task, thrown: unknown): Promise<void> {
    const error = ensureError(thrown);
    this.#options.logger.error(`task ${task.taskId} failed: ${error.message}`);
    await this.#finish(task, {
      command: 'errorMessage',
      error: { code: 'Failed', message: error.message, ...(error.stack ? { details: error.stack } : {}) },
    });
  }

  #endTask(task: Task, reason: string): void {
    task.phase = 'finished';
    task.closeStreaming(reason);
    if (this.#task === task) this.#taskApi?.close(reason);
  }

  #startHeartbeat(task: Task): void {
    const interval = this.#options.heartbeatIntervalMs ?? 0;
    if (interval <= 0) return;
    this.#stopHeartbeat();
    this.#heartbeat = setInterval(() => {
      if (task.final || task.stopRequested || this.#task !== task) return this.#stopHeartbeat();
      this.#outbox.send({ command: 'alive' }).catch(() => this.#stopHeartbeat());
    }, interval);
    this.#heartbeat.unref();
  }

  /** `servingStatus` (worker-protocol §3.2): only once the worker bootstrapped, never while exiting. */
  #sendServingStatus(): void {
    if (!this.#outbox.isOpen || this.#exiting) return;
    this.#outbox.send({ command: 'servingStatus', data: true }).catch(() => undefined);
  }

  #stopHeartbeat(): void {
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
  }
}
