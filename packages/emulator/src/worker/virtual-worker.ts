/**
 * The worker side of the protocol for one algorithm instance (worker-protocol §3–§5): it waits for the
 * wrapper to connect, then serves tasks one after the other on that connection.
 *
 * States (HKube's `stateManager`): `bootstrap` (not connected) → `ready` → `init` (initialize sent)
 * → `working` (start sent) → back to `ready` on `done`/`errorMessage`; `stop` while waiting for
 * `stopped` (10 s timer, re-armed by `stopping`); `exit` once told to end; `dead` after a disconnect or
 * a violation that would make HKube's worker exit.
 */
import {
  EncodeError, ensureError, type AlgorithmMessage, type DiscoveryAddress, type InitializePayload, type RawFrame, type ServiceDiscoveryChange, type StreamingStatisticsEntry, type WorkerMessage,
} from '@hkube-ts/protocol';
import { TaskScaledDownError, type TaskOutcome } from '../engine/index.js';
import {
  AlgorithmDisconnectedError, AlgorithmHeartbeatTimeoutError, AlgorithmStopTimeoutError, WorkerProtocolError,
} from '../errors.js';
import type { Logger } from '../logger.js';
import type { EmulatorStorage } from '../storage/emulator-storage.js';
import { readTaskResult, writeWorkerResult } from '../storage/task-results.js';
import type { PeerCloseInfo, WorkerBackend, WorkerConnection } from './backend.js';
import type { TaskServices } from '../services/types.js';
import { codeApiReply } from './code-api-replies.js';

/** A worker's state. */
export type WorkerState = 'bootstrap' | 'ready' | 'init' | 'working' | 'stop' | 'exit' | 'dead';

/** Timers of a worker, in milliseconds. */
export interface WorkerTimeouts {
  /** How long to wait for `stopped` after `stop` (HKube: 10 s). */
  readonly stopMs: number;
  /** How long `stopping` messages may keep extending a stop (HKube production: 600 s). */
  readonly stoppingMaxMs: number;
  /** Longest gap between `alive` heartbeats once a task sent one (HKube: 10 s). */
  readonly aliveMs: number;
  /** How long an algorithm may take to end by itself after `exit` before it is killed. */
  readonly exitGraceMs: number;
}

/** HKube's timers (worker-protocol §5.6), with a 5 s exit grace. */
export const DEFAULT_WORKER_TIMEOUTS: WorkerTimeouts = { stopMs: 10_000, stoppingMaxMs: 600_000, aliveMs: 10_000, exitGraceMs: 5000 };

/** Options of {@link VirtualWorker}. */
export interface VirtualWorkerOptions {
  /** The algorithm it serves (for messages). */
  readonly algorithmName: string;
  /** What runs the algorithm. */
  readonly backend: WorkerBackend;
  /** Where v1 results are written and v3 results read. */
  readonly storage: EmulatorStorage;
  /** Timers. */
  readonly timeouts: WorkerTimeouts;
  /** Diagnostics. */
  readonly logger: Logger;
}

/** One task as the worker sees it. */
export interface WorkerTask {
  readonly jobId: string;
  readonly taskId: string;
  readonly nodeName: string;
  /** Builds the `initialize` payload for the storage mode the wrapper asked for. */
  payload(storageMode: 'v1' | 'v3', signal: AbortSignal): Promise<InitializePayload>;
  /** Called when the worker sends `start` (the algorithm initialized and runs the task). */
  onStart?(): void;
  /** Called with the storage descriptor of a succeeded task's result (v3 `storing`, or what v1 wrote). */
  onStored?(descriptor: unknown): void;
  /** Serves the task's Code API requests; without it they are refused. */
  readonly services?: TaskServices;
  /** Set on stream tasks: discovery towards the wrapper, statistics from it. */
  readonly stream?: StreamTaskLink;
}

/** How a stream task and its job talk while the task works (worker-protocol §7). */
export interface StreamTaskLink {
  /**
   * The task works (`start` was sent): `send` delivers `serviceDiscoveryUpdate`s until it ends;
   * `address` is where its stream producer serves.
   */
  onWorking(send: (changes: readonly ServiceDiscoveryChange[]) => void, address: DiscoveryAddress | undefined): void;
  /** A `streamingStatistics` report of the task. */
  onStatistics(entries: readonly StreamingStatisticsEntry[]): void;
  /** The task no longer works (it ended, or is stopping). */
  onEnded(): void;
}

/** The task in progress. */
interface CurrentTask {
  readonly task: WorkerTask;
  readonly signal: AbortSignal;
  readonly resolve: (outcome: TaskOutcome) => void;
  readonly onAbort: () => void;
  storing?: unknown;
  stopTimer?: NodeJS.Timeout;
  stopSince?: number;
  aliveTimer?: NodeJS.Timeout;
}

function failed(error: unknown): TaskOutcome {
  return { status: 'failed', error: ensureError(error).message };
}

function stoppedOutcome(signal: AbortSignal): TaskOutcome {
  return failed(signal.reason ?? 'stopped');
}

/** A virtual HKube worker for one algorithm instance. Create it through a `WorkerPool`. */
export class VirtualWorker {
  readonly #options: VirtualWorkerOptions;
  #state: WorkerState = 'bootstrap';
  #connection: WorkerConnection | undefined;
  #current: CurrentTask | undefined;
  readonly #lifetime = new AbortController();
  #exiting: Promise<void> | undefined;

  constructor(options: VirtualWorkerOptions) {
    this.#options = options;
  }

  /** True while it can take a task (not ended). */
  get usable(): boolean {
    return this.#state === 'bootstrap' || this.#state === 'ready';
  }

  /** What runs the algorithm, for messages. */
  get description(): string {
    return this.#options.backend.description;
  }

  /**
   * Runs one task to its end and resolves with its outcome (never rejects). When `signal` aborts,
   * the wrapper is sent `stop {forceStop: true}`; the promise resolves once it answered `stopped` (or
   * the stop timer disposed the worker).
   */
  async runTask(task: WorkerTask, signal: AbortSignal): Promise<TaskOutcome> {
    if (!this.usable) return failed(`the worker of algorithm "${this.#options.algorithmName}" has ended`);
    if (signal.aborted) return stoppedOutcome(signal);
    if (this.#connection === undefined) {
      try {
        await this.#connect(signal);
      } catch (error) {
        this.#die();
        return signal.aborted ? stoppedOutcome(signal) : failed(error);
      }
    }
    const connection = this.#connection;
    if (connection === undefined || this.#state !== 'ready') return failed(`the worker of algorithm "${this.#options.algorithmName}" has ended`);
    let frame: string | Buffer;
    try {
      const payload = await task.payload(connection.storageMode, signal);
      frame = connection.codec.encode({ command: 'initialize', data: payload });
    } catch (error) {
      if (signal.aborted) return stoppedOutcome(signal);
      const why = error instanceof EncodeError ? `cannot be sent in encoding ${connection.codec.encoding}` : 'cannot be prepared';
      return failed(`the input of task ${task.taskId} ${why}: ${ensureError(error).message}`);
    }
    if (this.#state !== 'ready') return failed(`the worker of algorithm "${this.#options.algorithmName}" has ended`);
    if (signal.aborted) return stoppedOutcome(signal);
    return new Promise<TaskOutcome>((resolve) => {
      const current: CurrentTask = { task, signal, resolve, onAbort: () => this.#onAbort(current) };
      this.#current = current;
      this.#state = 'init';
      signal.addEventListener('abort', current.onAbort, { once: true });
      connection.peer.send(frame);
    });
  }

  /**
   * Ends the worker: sends `exit {exitCode: 0}` when connected, lets the algorithm end by itself for
   * the exit grace, then forces it. Idempotent; resolves once the algorithm is gone.
   */
  exit(): Promise<void> {
    this.#exiting ??= this.#exit();
    return this.#exiting;
  }

  /** Same as {@link VirtualWorker.exit}. */
  close(): Promise<void> {
    return this.exit();
  }

  async #exit(): Promise<void> {
    const previous = this.#state;
    this.#state = 'exit';
    this.#lifetime.abort(new Error('the worker is exiting'));
    const current = this.#current;
    if (current !== undefined) this.#finish(current, failed('the worker is exiting'), 'exit');
    const connection = this.#connection;
    const connected = connection !== undefined && previous !== 'dead';
    if (connected) this.#send({ command: 'exit', data: { exitCode: 0 } });
    await this.#options.backend.dispose(connected ? this.#options.timeouts.exitGraceMs : 0);
    connection?.peer.close(1000, 'exit');
  }

  async #connect(signal: AbortSignal): Promise<void> {
    const connection = await this.#options.backend.connect(AbortSignal.any([signal, this.#lifetime.signal]));
    if (this.#state !== 'bootstrap') {
      connection.peer.close(1000, 'the worker has ended');
      throw new Error(`the worker of algorithm "${this.#options.algorithmName}" has ended`);
    }
    this.#connection = connection;
    connection.peer.onFrame((frame) => this.#onFrame(frame));
    connection.peer.onClose((info) => void this.#onClose(info));
    this.#state = 'ready';
  }

  /** Ends the worker after a failure: the algorithm is disposed at once. */
  #die(): void {
    if (this.#state === 'dead' || this.#state === 'exit') return;
    this.#state = 'dead';
    this.#lifetime.abort(new Error('the worker has ended'));
    this.#connection?.peer.close(1011, 'worker ended');
    this.#options.backend.dispose(0).catch((error: unknown) => this.#options.logger.warn(`could not dispose ${this.description}: ${ensureError(error).message}`));
  }

  #send(message: WorkerMessage): void {
    const connection = this.#connection;
    if (connection === undefined) return;
    try {
      connection.peer.send(connection.codec.encode(message));
    } catch (error) {
      this.#options.logger.error(`could not send '${message.command}' to algorithm "${this.#options.algorithmName}": ${ensureError(error).message}`);
    }
  }

  /** Detaches the current task (timers, abort listener) and moves to `next`. */
  #detach(current: CurrentTask, next: WorkerState): boolean {
    if (this.#current !== current) return false;
    this.#current = undefined;
    if (current.stopTimer !== undefined) clearTimeout(current.stopTimer);
    if (current.aliveTimer !== undefined) clearTimeout(current.aliveTimer);
    current.signal.removeEventListener('abort', current.onAbort);
    if (this.#state !== 'dead' && this.#state !== 'exit') this.#state = next;
    current.task.stream?.onEnded();
    return true;
  }

  /** Settles the current task and moves to `next`. */
  #finish(current: CurrentTask, outcome: TaskOutcome, next: WorkerState): void {
    if (this.#detach(current, next)) current.resolve(outcome);
  }

  #violation(problem: string): void {
    const error = new WorkerProtocolError(this.#options.algorithmName, problem);
    this.#options.logger.warn(error.message);
    const current = this.#current;
    if (current !== undefined) this.#finish(current, failed(error), 'dead');
    this.#die();
  }

  // ------------------------------------------------------------------ stop and timers

  #onAbort(current: CurrentTask): void {
    if (this.#current !== current || (this.#state !== 'init' && this.#state !== 'working')) return;
    this.#state = 'stop';
    current.stopSince = Date.now();
    if (current.aliveTimer !== undefined) clearTimeout(current.aliveTimer);
    // A scaled-down stream replica drains its queue first (worker-protocol §7.4); every other stop is forced.
    this.#send({ command: 'stop', data: { forceStop: !(current.signal.reason instanceof TaskScaledDownError) } });
    this.#armStopTimer(current);
  }

  #armStopTimer(current: CurrentTask): void {
    if (current.stopTimer !== undefined) clearTimeout(current.stopTimer);
    const { stopMs } = this.#options.timeouts;
    current.stopTimer = setTimeout(() => {
      const error = new AlgorithmStopTimeoutError(this.#options.algorithmName, current.task.taskId, stopMs);
      this.#options.logger.warn(error.message);
      this.#finish(current, failed(error), 'dead');
      this.#die();
    }, stopMs);
  }

  #armAliveTimer(current: CurrentTask): void {
    if (current.aliveTimer !== undefined) clearTimeout(current.aliveTimer);
    const { aliveMs } = this.#options.timeouts;
    current.aliveTimer = setTimeout(() => {
      // HKube's worker would sit in state `error` forever; the emulator fails the task instead.
      this.#finish(current, failed(new AlgorithmHeartbeatTimeoutError(this.#options.algorithmName, aliveMs)), 'dead');
      this.#die();
    }, aliveMs);
  }

  // ------------------------------------------------------------------ incoming

  #onFrame(frame: RawFrame): void {
    const connection = this.#connection;
    if (connection === undefined || this.#state === 'dead' || this.#state === 'exit') return;
    const read = connection.codec.readAlgorithmMessage(frame);
    if (read.ok) {
      this.#onMessage(read.value);
      return;
    }
    if (read.error.code === 'UNKNOWN_COMMAND') {
      this.#options.logger.debug(`algorithm "${this.#options.algorithmName}": ${read.error.message} (ignored, as HKube's worker does)`);
    } else if (read.error.code === 'INVALID_MESSAGE') {
      this.#options.logger.warn(`algorithm "${this.#options.algorithmName}" sent an invalid message (ignored): ${read.error.message}`);
    } else {
      this.#violation(`a frame the worker cannot decode (${read.error.message})`);
    }
  }

  #onMessage(message: AlgorithmMessage): void {
    const current = this.#current;
    const state = this.#state;
    const active = current !== undefined && (state === 'init' || state === 'working');
    switch (message.command) {
      case 'initialized':
        if (current !== undefined && state === 'init') {
          this.#state = 'working';
          this.#send({ command: 'start', data: { spanId: null } });
          current.task.onStart?.();
          current.task.stream?.onWorking((changes) => {
            if (this.#current === current && this.#state === 'working') this.#send({ command: 'serviceDiscoveryUpdate', data: changes });
          }, this.#options.backend.streamAddress);
        } else if (state !== 'stop') {
          this.#violation(`'initialized' in state ${state}`);
        }
        return;
      case 'storing':
        if (active) current.storing = message.data;
        else this.#unexpected(message.command, state);
        return;
      case 'done':
        if (active) void this.#onDone(current, message.data);
        else this.#unexpected(message.command, state);
        return;
      case 'errorMessage':
        if (active) this.#finish(current, failed(message.error.message || 'the algorithm failed'), 'ready');
        else this.#unexpected(message.command, state);
        return;
      case 'stopping':
        if (current !== undefined && state === 'stop') {
          if (Date.now() - (current.stopSince ?? 0) <= this.#options.timeouts.stoppingMaxMs) this.#armStopTimer(current);
        } else {
          this.#unexpected(message.command, state);
        }
        return;
      case 'stopped':
        if (current !== undefined && state === 'stop') this.#finish(current, stoppedOutcome(current.signal), 'ready');
        else if (active) this.#finish(current, failed(`the algorithm answered 'stopped' without being asked to stop`), 'ready');
        else this.#unexpected(message.command, state);
        return;
      case 'alive':
        if (active) this.#armAliveTimer(current);
        else this.#unexpected(message.command, state);
        return;
      case 'logData':
        for (const line of message.data) this.#options.logger.info(`[${this.#options.algorithmName}] ${String(line)}`);
        return;
      case 'streamingStatistics':
        if (active) current.task.stream?.onStatistics(message.data);
        return;
      case 'started':
      case 'progress':
      case 'servingStatus':
      case 'startSpan':
      case 'finishSpan':
      case 'streamingOutMessage':
      case 'streamingInMessageDone':
        return;
      case 'startAlgorithmExecution':
      case 'stopAlgorithmExecution':
      case 'startRawSubPipeline':
      case 'startStoredSubPipeline':
      case 'stopSubPipeline':
      case 'dataSourceRequest': {
        const services = current?.task.services;
        const connection = this.#connection;
        if (current !== undefined && state === 'working' && services !== undefined && connection !== undefined) {
          // Replies are sent only while the calling task still works (HKube: state `working`).
          const reply = (answer: WorkerMessage): void => {
            if (this.#current === current && this.#state === 'working') this.#send(answer);
          };
          services.handle(message, { storageMode: connection.storageMode, reply });
          return;
        }
        const reply = codeApiReply(message);
        if (reply !== undefined) this.#send(reply);
        return;
      }
      default: {
        const unreachable: never = message;
        this.#options.logger.debug(`ignoring ${JSON.stringify(unreachable)}`);
      }
    }
  }

  /**
   * A message HKube's worker would ignore (or exit on) outside a task: logged, the task goes on. A
   * `storing`/`done` that crossed our `stop` on the wire is normal (the wrapper sent it before it read
   * the stop), so it is only a debug line.
   */
  #unexpected(command: string, state: WorkerState): void {
    const crossedStop = state === 'stop' && (command === 'storing' || command === 'done');
    this.#options.logger[crossedStop ? 'debug' : 'warn'](`algorithm "${this.#options.algorithmName}" sent '${command}' in state ${state} (ignored)`);
  }

  async #onDone(current: CurrentTask, data: unknown): Promise<void> {
    const connection = this.#connection;
    // The wrapper is free again at once; the outcome is settled once the result is stored or read.
    if (connection === undefined || !this.#detach(current, 'ready')) return;
    const { storing, task } = current;
    const storage = this.#options.storage;
    try {
      if (connection.storageMode === 'v1') {
        task.onStored?.(await writeWorkerResult(storage, task.jobId, task.taskId, data));
        current.resolve({ status: 'succeed', result: data });
      } else if (storing === undefined) {
        // HKube: a v2/v3 `done` without a prior `storing` leaves the task result undefined.
        current.resolve({ status: 'succeed', result: undefined });
      } else {
        const result = await readTaskResult(storage, task.taskId, storing);
        task.onStored?.(storing);
        current.resolve({ status: 'succeed', result });
      }
    } catch (error) {
      current.resolve(failed(error));
    }
  }

  async #onClose(info: PeerCloseInfo): Promise<void> {
    const state = this.#state;
    if (state === 'exit' || state === 'dead') return;
    this.#state = 'dead';
    this.#lifetime.abort(new Error('the algorithm disconnected'));
    const current = this.#current;
    if (current !== undefined) {
      const when = `during task ${current.task.taskId} of node "${current.task.nodeName}"`;
      const explained = await this.#options.backend.whenEnded(1000, when);
      const error = explained ?? new AlgorithmDisconnectedError(this.#options.algorithmName, info.code, when);
      this.#finish(current, failed(error), 'dead');
    }
    this.#options.backend.dispose(0).catch((error: unknown) => this.#options.logger.warn(`could not dispose ${this.description}: ${ensureError(error).message}`));
  }
}
