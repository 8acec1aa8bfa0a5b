import { CODE_API_REPLY_COMMANDS, type CodeApiReply, type HkubeApi, type StreamingBackend, type WorkerChannel } from '@hkube-ts/codeapi';
import {
  ensureError, type InitializePayload, type RawFrame, type SocketCodec, type WorkerMessage,
  type WorkerMessageOf,
} from '@hkube-ts/protocol';
import type { Algorithm } from '../algorithm/types.js';
import { ConnectionLostError, DebuggerAlreadyConnectedError } from '../errors.js';
import type { Logger } from '../logging/logger.js';
import type { CloseInfo, Transport, TransportConnection } from '../transport/types.js';
import { Outbox } from './outbox.js';
import { RunnerStreaming, type StreamingRunnerOptions } from './streaming-task.js';
import { Task } from './task.js';
import { TaskChannel } from './task-channel.js';
import { TaskReports } from './task-reports.js';
import { TaskStart } from './task-start.js';
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

/** The work of a task that finished in the turn it started. */
const TASK_DONE: Promise<void> = Promise.resolve();

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
  readonly #reports: TaskReports;
  readonly #start: TaskStart;
  #stopServingReports: (() => void) | undefined;

  constructor(options: RunnerOptions) {
    if (options.storageMode === 'v3' && options.dataPlane === undefined) {
      throw new TypeError('storage mode v3 needs a data plane');
    }
    this.#options = options;
    this.#outbox = new Outbox(options.codec, options.logger);
    this.#streaming = new RunnerStreaming(options.streaming, options.logger, (message) => this.#outbox.send(message));
    this.#reports = new TaskReports(this.#outbox, options.logger, (task) => {
      this.#stopHeartbeat();
      this.#endTask(task, 'the task finished');
    });
    this.#start = new TaskStart({ ...options, reports: this.#reports, api: () => this.#taskApi?.api });
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
        try {
          this.#onInitialize(message.data);
        } catch (error) {
          report('initialize')(error);
        }
        return;
      case 'start':
        try {
          this.#onStart();
        } catch (error) {
          report('start')(error);
        }
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

  /**
   * `initialize`. A task with no `init` hook and no streaming is set up without a promise turn: this
   * is the path of every ordinary task, and each turn and promise here is paid once per task.
   */
  #onInitialize(payload: InitializePayload): void {
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
    if (this.#options.algorithm.init !== undefined || this.#streaming.opensFor(payload)) {
      this.#initializeSlowly(task).catch((error: unknown) => this.#options.logger.error(`initialize failed: ${ensureError(error).message}`));
      return;
    }
    try {
      this.#taskApi = this.#options.createApi(payload, this.#channel(task), this.#options.dataPlane);
    } catch (error) {
      task.settleInit(false);
      this.#reports.fail(task, error).catch((failure: unknown) => this.#options.logger.error(`initialize failed: ${ensureError(failure).message}`));
      return;
    }
    this.#initialized(task);
  }

  /** `initialize` of a task with an `init` hook or streaming to open. */
  async #initializeSlowly(task: Task): Promise<void> {
    const { algorithm } = this.#options;
    const payload = task.payload;
    try {
      task.attachStreaming(await this.#streaming.open(payload, this.#options.storageMode));
      this.#taskApi = this.#options.createApi(payload, this.#channel(task), this.#options.dataPlane, task.streaming?.api);
      if (algorithm.init) await callHook(() => algorithm.init?.({ ...payload, signal: task.signal }));
    } catch (error) {
      if (task.stopRequested) return task.settleInit(false);
      task.settleInit(false);
      await this.#reports.fail(task, error);
      return;
    }
    this.#initialized(task);
  }

  /** The end of a successful `init`: `initialized`, unless the worker stopped the task meanwhile. */
  #initialized(task: Task): void {
    if (task.stopRequested) {
      // The worker left state `init`; an `initialized` now would be an invalid transition. `stop` answers.
      task.settleInit(false);
      return;
    }
    this.#reports.post(task, 'initialized');
    task.settleInit(true);
    this.#startHeartbeat(task);
  }

  #onStart(): void {
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
    const running = this.#start.run(task);
    task.work =
      running === undefined
        ? TASK_DONE
        : running.catch((error: unknown) =>
            this.#options.logger.error(`task ${task.taskId} could not report its outcome: ${ensureError(error).message}`),
          );
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
        await task.streaming?.stop(forceStop, () => void this.#outbox.sendCommand('stopping').catch(() => undefined));
        this.#endTask(task, 'the task was stopped');
      }
      if (this.#exiting) return;
      // Answer every stop: the worker's stop timer is cleared only by `stopped` (worker-protocol §5.3).
      await this.#outbox.sendCommand('stopped').catch((error: unknown) => logger.warn(`could not send stopped: ${ensureError(error).message}`));
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
    return new TaskChannel(task, this.#outbox, this.#replyListeners);
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
      this.#outbox.sendCommand('alive').catch(() => this.#stopHeartbeat());
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
