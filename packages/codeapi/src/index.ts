/**
 * `@hkube-ts/codeapi`: the Code API an HKube algorithm receives as `start(args, api)`.
 *
 * - start child algorithms and sub-pipelines as awaitable, stoppable {@link Execution} handles
 *   ({@link HkubeApi.startAlgorithm}, {@link HkubeApi.startStoredSubpipeline},
 *   {@link HkubeApi.startRawSubpipeline}) with abort signals and timeouts;
 * - resolve data sources ({@link HkubeApi.getDataSource});
 * - report progress, open and finish tracing spans, find the metrics directory;
 * - stream: {@link StreamingApi} (`registerInputListener`, `messages()`, `messages$`, `sendMessage`,
 *   `getStreamingStatistics`) over a {@link StreamingBackend} the wrapper supplies;
 * - typed failures ({@link AlgorithmExecutionError}, {@link SubpipelineError},
 *   {@link ExecutionStoppedError}, {@link ExecutionTimeoutError}, …), all `HkubeError`s.
 *
 * Wrappers create one {@link CodeApiSession} per task with {@link createCodeApi} over a
 * {@link WorkerChannel} and a {@link CodeApiData}, and close it when the task ends.
 *
 * @example
 * ```ts
 * const session = createCodeApi({ channel, data, task: { jobId, taskId, nodeName } });
 * const value = await session.api.startAlgorithm<number>('square', [3]);
 * session.close('task ended');
 * ```
 *
 * @packageDocumentation
 */
export {
  CODE_API_REPLY_COMMANDS, type CodeApiData, type CodeApiReply, type CodeApiRequest, type WorkerChannel,
} from './channel.js';
export { createCodeApi, type CodeApiOptions, type CodeApiSession, type CodeApiTask } from './session.js';
export type {
  ExecutionOptions, HkubeApi, StartAlgorithmOptions, StartRawSubpipelineOptions, StartStoredSubpipelineOptions, WithoutResult,
} from './api.js';
export { DEFAULT_STOP_REASON, type Execution, type ExecutionKind, type ExecutionStatus } from './execution.js';
export type { DataSource, DataSourceFile, GetDataSourceOptions } from './data-sources.js';
export { errorText, type PipelineResultEntry } from './replies.js';
export { createIdSource } from './ids.js';
export {
  AlgorithmExecutionError,
  CodeApiClosedError,
  CodeApiError,
  CodeApiRequestError,
  DataSourceError,
  ExecutionStoppedError,
  ExecutionTimeoutError,
  MetricsDirError,
  ResultFetchError,
  SubpipelineError,
  type CodeApiErrorCode,
  type CodeApiRequestKind,
  type StoppedBy,
} from './errors.js';
export {
  notStreamingApi, type StreamInputListener, type StreamingApi, type StreamingBackend, type StreamingChildStatistics,
  type StreamingStatistics, type StreamMessage,
} from './streaming.js';
export { NoStreamConsumersError, NoSuchFlowError, NotStreamingTaskError, StreamingClosedError } from './streaming-errors.js';
