/**
 * {@link StreamingApi}: the streaming part of the Code API (pipeline-semantics §4), and the
 * {@link StreamingBackend} a wrapper supplies to implement it. Outside a streaming task every method
 * fails with {@link NotStreamingTaskError}.
 *
 * @module
 */

import { Observable } from 'rxjs';
import { NotStreamingTaskError } from './streaming-errors.js';

/**
 * One stream input: the value a parent node sent and that parent's node name.
 *
 * @example
 * ```ts
 * for await (const { message, origin } of api.messages()) counts[origin] = (counts[origin] ?? 0) + 1;
 * ```
 */
export interface StreamMessage<T = unknown> {
  /** The value the parent sent (raw bytes arrive as a `Buffer`). */
  readonly message: T;
  /** The sending node's name (`messageOriginNodeName` of the discovery entry). */
  readonly origin: string;
}

/**
 * Handles one stream input. The message counts as handled (and the parent is told how long it took)
 * when the returned promise settles; a rejection is logged and the message still counts as handled.
 *
 * Inside the handler, even after an `await`, `api.sendMessage(value)` without a flow name continues the
 * flow the input came on.
 */
export type StreamInputListener = (message: unknown, origin: string) => void | Promise<void>;

/** One child in {@link StreamingStatistics}. */
export interface StreamingChildStatistics {
  /** The child node. */
  readonly nodeName: string;
  /** Messages its listeners took so far. */
  readonly sent: number;
  /** Messages waiting for it. */
  readonly queueSize: number;
  /** Messages dropped before it took them (memory cap). */
  readonly dropped: number;
}

/** What {@link StreamingApi.getStreamingStatistics} returns (the official wrappers' shape). */
export interface StreamingStatistics {
  /** Payload bytes held by this node's queue. */
  readonly binarySize: number;
  /** The cap (`STREAMING_MAX_BUFFER_MB` × 2^20). */
  readonly configuredMaxBinarySize: number;
  /** One entry per child node (empty for a node without children). */
  readonly statisticsPerNode: readonly StreamingChildStatistics[];
}

/**
 * The streaming methods of the Code API, for stateful stream nodes (a stateless node gets each input as
 * `args.streamInput` instead, and its return value is sent on). They are queue operations: they
 * return at once and throw synchronously.
 *
 * @example
 * ```ts
 * export async function start(args: StartArgs, api: HkubeApi) {
 *   api.registerInputListener(async (message, origin) => {
 *     api.sendMessage({ seen: message, from: origin }); // continues the incoming flow
 *   });
 *   api.startMessageListening();
 *   await new Promise((resolve) => args.signal.addEventListener('abort', resolve));
 * }
 * ```
 */
export interface StreamingApi {
  /**
   * Adds a handler called with `(message, origin)` for every stream input. Several handlers each get
   * every input. Inputs flow only after {@link StreamingApi.startMessageListening}.
   *
   * @throws {NotStreamingTaskError} outside a streaming task.
   */
  registerInputListener(listener: StreamInputListener): void;

  /**
   * Starts pulling inputs from the parent nodes (those known now and those that appear later).
   * Idempotent.
   *
   * @throws {NotStreamingTaskError} outside a streaming task.
   */
  startMessageListening(): void;

  /**
   * The stream inputs as an async iterable (starts listening). An input counts as handled when the loop
   * asks for the next one, so the parent sees the loop body's duration; inside the loop body
   * `api.sendMessage(value)` without a flow name continues the current input's flow. Ends when the
   * task's streaming stops.
   *
   * @example
   * ```ts
   * for await (const { message, origin } of api.messages()) api.sendMessage(transform(message));
   * ```
   */
  messages<T = unknown>(): AsyncIterable<StreamMessage<T>>;

  /**
   * The stream inputs as an rxjs Observable (subscribing starts listening); completes when the task's
   * streaming stops. Each input counts as handled once every subscriber's `next` has returned.
   */
  readonly messages$: Observable<StreamMessage>;

  /**
   * Queues `message` for this node's children (never blocks; overload shows up as drops in the
   * statistics). The flow is `flowName` when given; otherwise, inside an input handler (or a
   * `messages()` loop body), the flow the input came on; otherwise the pipeline's `defaultFlow`. A
   * message whose flow has no step from this node is dropped silently, as in HKube.
   *
   * @throws {NoSuchFlowError} an unknown `flowName`, or no default flow.
   * @throws {NoStreamConsumersError} this node has no children.
   * @throws {StreamingClosedError} the task's streaming has stopped.
   * @throws {NotStreamingTaskError} outside a streaming task.
   */
  sendMessage(message: unknown, flowName?: string): void;

  /**
   * This node's producer statistics.
   *
   * @throws {NotStreamingTaskError} outside a streaming task.
   */
  getStreamingStatistics(): StreamingStatistics;
}

/** The streaming implementation a wrapper supplies to `createCodeApi` (the same methods). */
export type StreamingBackend = StreamingApi;

/** The {@link StreamingApi} of a task without streaming: every call fails with {@link NotStreamingTaskError}. */
export function notStreamingApi(taskId: string): StreamingApi {
  const fail = (): never => {
    throw new NotStreamingTaskError(taskId);
  };
  return {
    registerInputListener: fail,
    startMessageListening: fail,
    sendMessage: fail,
    getStreamingStatistics: fail,
    messages: <T>(): AsyncIterable<StreamMessage<T>> => ({
      [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new NotStreamingTaskError(taskId)) }),
    }),
    messages$: new Observable<StreamMessage>((subscriber) => subscriber.error(new NotStreamingTaskError(taskId))),
  };
}
