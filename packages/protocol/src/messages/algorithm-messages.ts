/**
 * Messages the wrapper sends to the worker (or to the debug relay): A→W (spec §3.2, §5.9, §7.6).
 *
 * All have the envelope `{ command, data }` except `errorMessage`, whose `error` is a sibling of
 * `command`. The types serve both for building frames and for values returned by
 * `parseAlgorithmMessage`.
 *
 * @module
 */

import type {
  DataSourceRequestData,
  FinishSpanData,
  StartAlgorithmExecutionData,
  StartRawSubPipelineData,
  StartSpanData,
  StartStoredSubPipelineData,
  StopAlgorithmExecutionData,
  StopSubPipelineData,
} from './code-api.js';
import type { StorageDescriptor } from './initialize.js';
import type { StreamingInMessageDoneData, StreamingOutMessageData, StreamingStatisticsEntry } from './streaming.js';

/** `initialized`: the user `init` finished. Legal exactly once per `initialize` (else the worker exits). */
export interface InitializedMessage {
  readonly command: 'initialized';
  /** Ignored by the worker (Node sends none, Python/Java `null`). */
  readonly data?: unknown;
}

/** `started`: acknowledges `start` (only logged). */
export interface StartedMessage {
  readonly command: 'started';
  /** Ignored. */
  readonly data?: unknown;
}

/** `storing` (v2/v3): the result was written (or is being served); children may start right away. */
export interface StoringMessage {
  readonly command: 'storing';
  /** Where the result is; recorded as the task result. */
  readonly data: StorageDescriptor;
}

/** `done`: the task finished. v1: `data` is the result; v2/v3: `data` is ignored (send after `storing`). */
export interface DoneMessage {
  readonly command: 'done';
  /** The result (v1) or nothing. Not validated. */
  readonly data?: unknown;
}

/**
 * The `error` of `errorMessage`. The worker records only `message` (`code`, `details` are discarded);
 * all wrappers send `code: 'Failed'`, which the validator uses as the default.
 */
export interface ErrorPayload {
  /** Error code, `Failed` by convention. */
  readonly code: string;
  /** The error text recorded as the task error. */
  readonly message: string;
  /** Extra detail (e.g. a stack trace). */
  readonly details?: unknown;
  /** Anything else. */
  readonly [key: string]: unknown;
}

/**
 * `errorMessage`: the algorithm failed (init, start or anything else). The worker applies the retry policy.
 *
 * @example
 * ```ts
 * const frame: ErrorMessage = { command: 'errorMessage', error: { code: 'Failed', message: String(err) } };
 * ```
 */
export interface ErrorMessage {
  readonly command: 'errorMessage';
  /** The error (a sibling of `command`; there is no `data`). */
  readonly error: ErrorPayload;
}

/** `stopping`: still stopping (re-arms the worker's 10 s stop timer). Send only between `stop` and `stopped`. */
export interface StoppingMessage {
  readonly command: 'stopping';
  /** Ignored. */
  readonly data?: unknown;
}

/** `stopped`: the answer to `stop`. Unsolicited while working it acts like `done` without a result. */
export interface StoppedMessage {
  readonly command: 'stopped';
  /** Ignored. */
  readonly data?: unknown;
}

/** The `data` of `progress`. */
export interface ProgressData {
  /** Progress value (the worker only logs it). */
  readonly progress: number;
  /** Anything else. */
  readonly [key: string]: unknown;
}

/** `progress`: informational progress report. */
export interface ProgressMessage {
  readonly command: 'progress';
  /** The progress. */
  readonly data: ProgressData;
}

/** `alive`: heartbeat. Risky (§5.8): only strictly between `initialized` and the final message, every < 10 s. */
export interface AliveMessage {
  readonly command: 'alive';
  /** Ignored. */
  readonly data?: unknown;
}

/** `servingStatus`: the wrapper's data server is serving (every `DISCOVERY_SERVING_REPORT_INTERVAL`). */
export interface ServingStatusMessage {
  readonly command: 'servingStatus';
  /** Always `true` in practice (the validator defaults an absent value to `true`). */
  readonly data: boolean;
}

/** `streamingStatistics`: per-child producer statistics; must be an array naming only `childs`. */
export interface StreamingStatisticsMessage {
  readonly command: 'streamingStatistics';
  /** One entry per child node. */
  readonly data: readonly StreamingStatisticsEntry[];
}

/** `dataSourceRequest`: resolve a data source; answered by `dataSourceResponse`. */
export interface DataSourceRequestMessage {
  readonly command: 'dataSourceRequest';
  /** Id and data source. */
  readonly data: DataSourceRequestData;
}

/** `startAlgorithmExecution`: run a child algorithm; answered by `algorithmExecutionDone`/`…Error`. */
export interface StartAlgorithmExecutionMessage {
  readonly command: 'startAlgorithmExecution';
  /** The request. */
  readonly data: StartAlgorithmExecutionData;
}

/** `stopAlgorithmExecution`: stop a child execution (no reply on success). */
export interface StopAlgorithmExecutionMessage {
  readonly command: 'stopAlgorithmExecution';
  /** The request. */
  readonly data: StopAlgorithmExecutionData;
}

/** `startRawSubPipeline`: run an ad-hoc sub-pipeline. */
export interface StartRawSubPipelineMessage {
  readonly command: 'startRawSubPipeline';
  /** The request. */
  readonly data: StartRawSubPipelineData;
}

/** `startStoredSubPipeline`: run a stored sub-pipeline. */
export interface StartStoredSubPipelineMessage {
  readonly command: 'startStoredSubPipeline';
  /** The request. */
  readonly data: StartStoredSubPipelineData;
}

/** `stopSubPipeline`: stop a sub-pipeline (no reply on success). */
export interface StopSubPipelineMessage {
  readonly command: 'stopSubPipeline';
  /** The request. */
  readonly data: StopSubPipelineData;
}

/** `startSpan`: open an algorithm tracing span. */
export interface StartSpanMessage {
  readonly command: 'startSpan';
  /** Span name and tags. */
  readonly data: StartSpanData;
}

/** `finishSpan`: finish the innermost algorithm span. */
export interface FinishSpanMessage {
  readonly command: 'finishSpan';
  /** Tags and error (`{}` when absent). */
  readonly data: FinishSpanData;
}

/** `logData`: log lines for the debug relay to print (the worker ignores it). */
export interface LogDataMessage {
  readonly command: 'logData';
  /** The lines. */
  readonly data: readonly string[];
}

/** `streamingOutMessage` (debug relay only): send a stream message. */
export interface StreamingOutMessage {
  readonly command: 'streamingOutMessage';
  /** Message, flow and the id of the input being answered. */
  readonly data: StreamingOutMessageData;
}

/** `streamingInMessageDone` (debug relay only): an input message was handled. */
export interface StreamingInMessageDoneMessage {
  readonly command: 'streamingInMessageDone';
  /** The input's id. */
  readonly data: StreamingInMessageDoneData;
}

/**
 * Every message the wrapper can send, discriminated by `command`.
 *
 * @example
 * ```ts
 * const frames: AlgorithmMessage[] = [{ command: 'storing', data: descriptor }, { command: 'done' }];
 * ```
 */
export type AlgorithmMessage =
  | InitializedMessage
  | StartedMessage
  | StoringMessage
  | DoneMessage
  | ErrorMessage
  | StoppingMessage
  | StoppedMessage
  | ProgressMessage
  | AliveMessage
  | ServingStatusMessage
  | StreamingStatisticsMessage
  | DataSourceRequestMessage
  | StartAlgorithmExecutionMessage
  | StopAlgorithmExecutionMessage
  | StartRawSubPipelineMessage
  | StartStoredSubPipelineMessage
  | StopSubPipelineMessage
  | StartSpanMessage
  | FinishSpanMessage
  | LogDataMessage
  | StreamingOutMessage
  | StreamingInMessageDoneMessage;

/** Name of an A→W command: `'initialized' | 'storing' | 'done' | …`. */
export type AlgorithmCommand = AlgorithmMessage['command'];

/** The A→W message type of one command, e.g. `AlgorithmMessageOf<'done'>` is {@link DoneMessage}. */
export type AlgorithmMessageOf<C extends AlgorithmCommand> = Extract<AlgorithmMessage, { readonly command: C }>;
