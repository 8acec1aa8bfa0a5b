/**
 * The emulator's stand-in for HKube's `algorithm-debug` relay in a stream job (worker-protocol §1.6,
 * §7.6; pipeline-semantics §5.4): an algorithm the emulator runs in-process as the debug node, so the
 * node is an ordinary stream node (discovery, producer, statistics, stop, ttl, autoscaling), while its
 * work is done by the debugger attached at the emulator's debug URL.
 *
 * - `init` waits for a debugger, as a batch debug node's worker does (`onWaiting`, attach timeout).
 * - A task's `start` sends the debugger `initialize` + `start` with the task's options, `kind` forced
 *   to `batch` and `flatInput` to null (input already resolved), and returns what it answers in `done`.
 * - Stateful: each stream input goes to the debugger as `streamingInMessage`, one at a time (the next
 *   after `streamingInMessageDone`); its `streamingOutMessage`s are sent on, continuing the input's flow
 *   when they carry its id, else on the named or default flow.
 * - Stateless: one task cycle per input, with `streamInput` in the options; its `done` value is sent on.
 * - Unlike HKube's relay, a stop is forwarded (`stop`, answered by `stopped`) and so is `exit`, as the
 *   emulator's batch debug nodes do, so that the developer's `start` sees its signal abort.
 * - The debugger's Code API requests (child executions, sub-pipelines, data sources) are served by the
 *   relayed task's own services, as the virtual worker serves any task's: one code path for every node.
 */
import type { HkubeApi } from '@hkube-ts/codeapi';
import { ensureError, type AlgorithmMessage, type InitializePayload, type StreamingMessageId, type WorkerMessage } from '@hkube-ts/protocol';
import type { Algorithm, Logger, StartArgs } from '@hkube-ts/wrapper-node';
import { AlgorithmDisconnectedError, DebuggerSendError } from '../errors.js';
import type { CodeApiRequestMessage, TaskServices } from '../services/types.js';
import { codeApiReply } from '../worker/code-api-replies.js';
import type { PeerCloseInfo, WorkerBackend, WorkerConnection } from '../worker/backend.js';
import { createDebugBackend, type DebugAttachSettings } from './debug-backend.js';
import { RelayExchange, type RelayedMessage } from './relay-exchange.js';

/** Options of {@link createStreamDebugRelay}. */
export interface StreamDebugRelayOptions {
  /** The debugged algorithm (the debugger attaches as it). */
  readonly algorithmName: string;
  /** The debug node. */
  readonly nodeName: string;
  /** How debuggers are waited for. */
  readonly debug: DebugAttachSettings;
  /** How long the debugger may take to close its connection after `exit`. */
  readonly exitGraceMs: number;
  /** Diagnostics (and the debugger's `logData` lines). */
  readonly logger: Logger;
  /** The Code API services of a task of the node, by task id, while it runs (`undefined`: requests are refused). */
  readonly services: (taskId: string) => TaskServices | undefined;
}

/** An attached debugger. */
interface Attachment {
  readonly backend: WorkerBackend;
  readonly connection: WorkerConnection;
  closed: boolean;
}

/** The task the debugger works on. */
interface RelayedTask {
  readonly taskId: string;
  readonly exchange: RelayExchange;
  readonly api: HkubeApi;
  readonly services: TaskServices | undefined;
  stopSent: boolean;
}

/** The options a debugger receives: the task's, as a batch task with its input resolved. */
function relayedOptions(args: StartArgs): InitializePayload {
  const options: Record<string, unknown> = { ...args, kind: 'batch', flatInput: null };
  delete options['signal'];
  // `args` is the task's payload (input resolved) plus `signal`: without `signal` it is a payload again.
  return options as InitializePayload;
}

class StreamDebugRelay {
  readonly #options: StreamDebugRelayOptions;
  #attachment: Attachment | undefined;
  #task: RelayedTask | undefined;
  readonly #inputs = new Map<StreamingMessageId, RelayExchange>();
  #nextInputId = 0;
  /** Inputs go to the debugger one at a time. */
  #inputChain: Promise<unknown> = Promise.resolve();

  constructor(options: StreamDebugRelayOptions) {
    this.#options = options;
  }

  /** Waits for a debugger unless one is attached. */
  async attach(signal: AbortSignal): Promise<void> {
    if (this.#attachment !== undefined && !this.#attachment.closed) return;
    const { algorithmName, nodeName, debug } = this.#options;
    const backend = createDebugBackend(algorithmName, nodeName, debug);
    const connection = await backend.connect(signal);
    const attachment: Attachment = { backend, connection, closed: false };
    this.#attachment = attachment;
    connection.peer.onFrame((frame) => {
      const read = connection.codec.readAlgorithmMessage(frame);
      if (read.ok) this.#onMessage(read.value);
      else this.#options.logger.warn(`the debugger of node "${nodeName}" sent a frame that was ignored: ${read.error.message}`);
    });
    connection.peer.onClose((info) => this.#onClose(attachment, info));
  }

  /** Runs one task (stateful) or one input (stateless) on the debugger. */
  async start(args: StartArgs, api: HkubeApi): Promise<unknown> {
    const options = relayedOptions(args);
    const attachment = this.#attachment;
    if (attachment === undefined || attachment.closed) {
      throw new AlgorithmDisconnectedError(this.#options.algorithmName, 1006, `before task ${options.taskId} of node "${this.#options.nodeName}"`);
    }
    const stateless = options.stateType === 'stateless';
    const task: RelayedTask = { taskId: options.taskId, exchange: new RelayExchange(), api, services: this.#options.services(options.taskId), stopSent: false };
    this.#task = task;
    this.#send({ command: 'initialize', data: options });
    this.#send({ command: 'start', data: { ...options, spanId: null } });
    if (!stateless) {
      api.registerInputListener((message, origin) => this.#forwardInput(task, message, origin));
      api.startMessageListening();
    }
    try {
      return await task.exchange.run((sent) => this.#sendOn(api, sent));
    } finally {
      if (this.#task === task) this.#task = undefined;
      this.#releaseInputs();
    }
  }

  /** The worker stops the task: the debugger is told too, and its `stopped` ends it. */
  stop(forceStop: boolean): Promise<void> {
    const task = this.#task;
    this.#releaseInputs();
    if (task === undefined || task.exchange.settled) return Promise.resolve();
    task.stopSent = true;
    this.#send({ command: 'stop', data: { forceStop } });
    return task.exchange.whenSettled;
  }

  /** The relay exits: so does the debugger's session. */
  async exit(): Promise<void> {
    const attachment = this.#attachment;
    this.#attachment = undefined;
    if (attachment === undefined) return;
    if (!attachment.closed) this.#write(attachment, { command: 'exit', data: { exitCode: 0 } });
    await attachment.backend.dispose(attachment.closed ? 0 : this.#options.exitGraceMs);
  }

  #forwardInput(task: RelayedTask, message: unknown, origin: string): Promise<void> {
    // Chained from inside the listener call, so each turn still runs in this input's context.
    const turn = this.#inputChain.then(async () => {
      if (this.#task !== task || task.exchange.settled || task.stopSent) return;
      const sendMessageId = (this.#nextInputId += 1);
      const exchange = new RelayExchange();
      this.#inputs.set(sendMessageId, exchange);
      this.#send({ command: 'streamingInMessage', data: { payload: message, origin, sendMessageId } });
      try {
        await exchange.run((sent) => this.#sendOn(task.api, sent));
      } finally {
        this.#inputs.delete(sendMessageId);
      }
    });
    this.#inputChain = turn.catch(() => undefined);
    return turn;
  }

  /** Sends a debugger's message on to the node's children (from the awaiting code's context). */
  #sendOn(api: HkubeApi, { message, flowName }: RelayedMessage): void {
    try {
      api.sendMessage(message, flowName);
    } catch (error) {
      this.#options.logger.warn(`a stream message of the debugger of node "${this.#options.nodeName}" was dropped: ${ensureError(error).message}`);
    }
  }

  #releaseInputs(): void {
    for (const exchange of this.#inputs.values()) exchange.end();
    this.#inputs.clear();
  }

  #send(message: WorkerMessage): void {
    const attachment = this.#attachment;
    if (attachment !== undefined && !attachment.closed) this.#write(attachment, message);
  }

  #write(attachment: Attachment, message: WorkerMessage): void {
    try {
      attachment.connection.peer.send(attachment.connection.codec.encode(message));
    } catch (error) {
      this.#fail(new DebuggerSendError(this.#options.algorithmName, this.#options.nodeName, message.command, { cause: ensureError(error) }));
    }
  }

  #onMessage(message: AlgorithmMessage): void {
    const task = this.#task;
    switch (message.command) {
      case 'done':
        task?.exchange.end(message.data);
        return;
      case 'errorMessage':
        task?.exchange.fail(new Error(message.error.message || 'the algorithm failed'));
        return;
      case 'stopped':
        if (task?.stopSent === true) task.exchange.end();
        return;
      case 'streamingOutMessage': {
        const { message: payload, flowName, sendMessageId } = message.data;
        const sent = { message: payload, flowName };
        const input = sendMessageId === null ? undefined : this.#inputs.get(sendMessageId);
        // A stateless cycle is itself the input being handled; a stateful task's own messages go on its default flow.
        if (input !== undefined) input.out(sent);
        else if (task !== undefined && !task.exchange.settled) task.exchange.out(sent);
        return;
      }
      case 'streamingInMessageDone':
        this.#inputs.get(message.data.sendMessageId)?.end();
        return;
      case 'logData':
        for (const line of message.data) this.#options.logger.info(`[${this.#options.algorithmName}] ${String(line)}`);
        return;
      case 'startAlgorithmExecution':
      case 'stopAlgorithmExecution':
      case 'startRawSubPipeline':
      case 'startStoredSubPipeline':
      case 'stopSubPipeline':
      case 'dataSourceRequest':
        this.#serve(task, message);
        return;
      case 'initialized':
      case 'started':
      case 'storing':
      case 'stopping':
      case 'alive':
      case 'progress':
      case 'servingStatus':
      case 'startSpan':
      case 'finishSpan':
      case 'streamingStatistics':
        return;
      default: {
        const unreachable: never = message;
        this.#options.logger.debug(`ignoring ${JSON.stringify(unreachable)}`);
      }
    }
  }

  /**
   * A Code API request of the debugger, served by its task's services with the debugger's storage mode;
   * replies go out while that task runs (the virtual worker's rule), and outside a task it is refused.
   */
  #serve(task: RelayedTask | undefined, request: CodeApiRequestMessage): void {
    const attachment = this.#attachment;
    if (task?.services === undefined || task.exchange.settled || attachment === undefined) {
      const refusal = codeApiReply(request);
      if (refusal !== undefined) this.#send(refusal);
      return;
    }
    const reply = (answer: WorkerMessage): void => {
      if (this.#task === task && !task.exchange.settled) this.#send(answer);
    };
    task.services.handle(request, { storageMode: attachment.connection.storageMode, reply });
  }

  #onClose(attachment: Attachment, info: PeerCloseInfo): void {
    attachment.closed = true;
    if (this.#attachment !== attachment) return;
    const task = this.#task;
    const when = task === undefined ? `while node "${this.#options.nodeName}" had no task` : `during task ${task.taskId} of node "${this.#options.nodeName}"`;
    this.#fail(new AlgorithmDisconnectedError(this.#options.algorithmName, info.code, when));
  }

  #fail(error: Error): void {
    const task = this.#task;
    if (task !== undefined && task.stopSent) task.exchange.end();
    else task?.exchange.fail(error);
    this.#releaseInputs();
  }
}

/**
 * The relay algorithm of one instance of a stream debug node. Run it in-process like any algorithm:
 * it waits for the debugger of `algorithmName` at the emulator's debug URL and forwards its tasks.
 *
 * @example
 * ```ts
 * const relay = createStreamDebugRelay({ algorithmName: 'sort', nodeName: 'sort', debug, exitGraceMs: 5000, logger });
 * ```
 */
export function createStreamDebugRelay(options: StreamDebugRelayOptions): Algorithm {
  const relay = new StreamDebugRelay(options);
  return {
    init: ({ signal }) => relay.attach(signal),
    start: (args, api) => relay.start(args, api),
    stop: ({ forceStop }) => relay.stop(forceStop),
    exit: () => relay.exit(),
  };
}
