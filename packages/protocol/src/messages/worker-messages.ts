/**
 * Messages the worker (or the debug relay) sends to the wrapper: W→A (spec §3.1, §1.6, §7.6).
 *
 * All have the envelope `{ command, data }`. The types describe values returned by
 * `parseWorkerMessage`, i.e. after defaults were applied.
 *
 * @module
 */

import type {
  AlgorithmExecutionDoneData,
  AlgorithmExecutionErrorData,
  DataSourceResponseData,
  SubPipelineDoneData,
  SubPipelineErrorData,
  SubPipelineStartedData,
  SubPipelineStoppedData,
} from './code-api.js';
import type { InitializePayload, TracingCarrier } from './initialize.js';
import type { ServiceDiscoveryChange, StreamingInMessageData } from './streaming.js';

/** `initialize`: a new task. Reply with exactly one `initialized` (after user `init`) or `errorMessage`. */
export interface InitializeMessage {
  readonly command: 'initialize';
  /** The task description. */
  readonly data: InitializePayload;
}

/**
 * The `data` of `start`. From the worker it is `{ spanId }`; the debug relay sends its whole init options
 * object instead (so it may also look like an {@link InitializePayload}). `spanId` is `null` when absent.
 */
export interface StartData {
  /** Tracing carrier of the task span, or `null`. */
  readonly spanId: TracingCarrier | null;
  /** Anything else (the relay's options). */
  readonly [key: string]: unknown;
}

/** `start`: run the algorithm. Send `started`, resolve the input, run, then report the result (§4.3). */
export interface StartMessage {
  readonly command: 'start';
  /** Tracing carrier (and, from the relay, the init options). */
  readonly data: StartData;
}

/** The `data` of `stop`. */
export interface StopData {
  /** `true` (TTL, pipeline end): drop queues and answer quickly; `false` (scale-down): flush first. Defaults to `false`. */
  readonly forceStop: boolean;
  /** Anything else. */
  readonly [key: string]: unknown;
}

/** `stop`: stop the user code and reply `stopped` within 10 s (`stopping` every ≤ 1 s meanwhile). Never `done` afterwards. */
export interface StopMessage {
  readonly command: 'stop';
  /** Stop mode. */
  readonly data: StopData;
}

/** The `data` of `exit`. */
export interface ExitData {
  /** Process exit code (the worker always sends 0; defaults to 0). */
  readonly exitCode: number;
  /** Anything else. */
  readonly [key: string]: unknown;
}

/** `exit`: run the user `exit`, close, and terminate the process. */
export interface ExitMessage {
  readonly command: 'exit';
  /** Exit code. */
  readonly data: ExitData;
}

/** `serviceDiscoveryUpdate`: parent stream producers that appeared or went away (streaming, v3). */
export interface ServiceDiscoveryUpdateMessage {
  readonly command: 'serviceDiscoveryUpdate';
  /** The changes. */
  readonly data: readonly ServiceDiscoveryChange[];
}

/** `subPipelineStarted`: a sub-pipeline request was accepted (informational). */
export interface SubPipelineStartedMessage {
  readonly command: 'subPipelineStarted';
  /** The request's id. */
  readonly data: SubPipelineStartedData;
}

/** `subPipelineDone`: a sub-pipeline completed; settle the call. */
export interface SubPipelineDoneMessage {
  readonly command: 'subPipelineDone';
  /** Id and response. */
  readonly data: SubPipelineDoneData;
}

/** `subPipelineError`: a sub-pipeline request failed; reject the call (text in `error ?? response`). */
export interface SubPipelineErrorMessage {
  readonly command: 'subPipelineError';
  /** Id and error. */
  readonly data: SubPipelineErrorData;
}

/** `subPipelineStopped`: a sub-pipeline was stopped; settle the call. */
export interface SubPipelineStoppedMessage {
  readonly command: 'subPipelineStopped';
  /** Id and reason. */
  readonly data: SubPipelineStoppedData;
}

/** `algorithmExecutionDone`: a child execution succeeded; settle the call. */
export interface AlgorithmExecutionDoneMessage {
  readonly command: 'algorithmExecutionDone';
  /** Id and response. */
  readonly data: AlgorithmExecutionDoneData;
}

/** `algorithmExecutionError`: a child execution failed; reject the call (text in `error ?? response`). */
export interface AlgorithmExecutionErrorMessage {
  readonly command: 'algorithmExecutionError';
  /** Id and error. */
  readonly data: AlgorithmExecutionErrorData;
}

/** `dataSourceResponse`: the answer to a `dataSourceRequest`. */
export interface DataSourceResponseMessage {
  readonly command: 'dataSourceResponse';
  /** Id and response or error. */
  readonly data: DataSourceResponseData;
}

/** `streamingInMessage` (debug relay only): a stream input for a stateful debug node. */
export interface StreamingInMessage {
  readonly command: 'streamingInMessage';
  /** The message, its origin and its id. */
  readonly data: StreamingInMessageData;
}

/** The `data` of `alreadyConnectedError`. */
export interface AlreadyConnectedErrorData {
  /** Host name of the client already connected, when it sent one (`undefined` otherwise). */
  readonly hostname?: string;
  /** Anything else. */
  readonly [key: string]: unknown;
}

/** `alreadyConnectedError` (debug relay only): another client holds the session; close 4001 follows. Stop, don't reconnect. */
export interface AlreadyConnectedErrorMessage {
  readonly command: 'alreadyConnectedError';
  /** Who is connected. */
  readonly data: AlreadyConnectedErrorData;
}

/**
 * Every message the wrapper can receive, discriminated by `command`.
 *
 * @example
 * ```ts
 * const read = parseWorkerMessage(decoded);
 * if (read.ok && read.value.command === 'stop') handleStop(read.value.data.forceStop);
 * ```
 */
export type WorkerMessage =
  | InitializeMessage
  | StartMessage
  | StopMessage
  | ExitMessage
  | ServiceDiscoveryUpdateMessage
  | SubPipelineStartedMessage
  | SubPipelineDoneMessage
  | SubPipelineErrorMessage
  | SubPipelineStoppedMessage
  | AlgorithmExecutionDoneMessage
  | AlgorithmExecutionErrorMessage
  | DataSourceResponseMessage
  | StreamingInMessage
  | AlreadyConnectedErrorMessage;

/** Name of a W→A command: `'initialize' | 'start' | …`. */
export type WorkerCommand = WorkerMessage['command'];

/** The W→A message type of one command, e.g. `WorkerMessageOf<'stop'>` is {@link StopMessage}. */
export type WorkerMessageOf<C extends WorkerCommand> = Extract<WorkerMessage, { readonly command: C }>;
