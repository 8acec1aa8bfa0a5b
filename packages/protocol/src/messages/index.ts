/**
 * The typed catalogue of worker-socket messages in both directions, their command names, and their
 * runtime validation (worker-protocol §2.1, §3, §4, §6, §7).
 *
 * @module
 */

export { ALGORITHM_COMMANDS, WORKER_COMMANDS, isAlgorithmCommand, isWorkerCommand } from './commands.js';
export { parseAlgorithmMessage } from './validate-algorithm.js';
export { parseWorkerMessage } from './validate-worker.js';

export type {
  DiscoveryAddress,
  GroupedPeerStorageLink,
  InitializePayload,
  MetadataEntry,
  ParsedFlow,
  PipelineKind,
  ResultMetadata,
  RetryPolicy,
  RetrySettings,
  SingleStorageLink,
  StateType,
  StorageDescriptor,
  StorageInfo,
  StorageLink,
  StorageLinks,
  StreamFlowStep,
  TaskInfo,
  TracingCarrier,
} from './initialize.js';

export type {
  AlgorithmExecutionDoneData,
  AlgorithmExecutionErrorData,
  DataSourceRef,
  DataSourceRequestData,
  DataSourceResponseData,
  FinishSpanData,
  PipelineNodeResult,
  RawSubPipeline,
  StartAlgorithmExecutionData,
  StartRawSubPipelineData,
  StartSpanData,
  StartStoredSubPipelineData,
  StopAlgorithmExecutionData,
  StopSubPipelineData,
  StoredSubPipeline,
  SubPipelineDoneData,
  SubPipelineErrorData,
  SubPipelineStartedData,
  SubPipelineStoppedData,
} from './code-api.js';

export type {
  DiscoveryChangeType,
  ServiceDiscoveryChange,
  StreamingInMessageData,
  StreamingInMessageDoneData,
  StreamingMessageId,
  StreamingOutMessageData,
  StreamingStatisticsEntry,
} from './streaming.js';

export type {
  AlgorithmExecutionDoneMessage,
  AlgorithmExecutionErrorMessage,
  AlreadyConnectedErrorData,
  AlreadyConnectedErrorMessage,
  DataSourceResponseMessage,
  ExitData,
  ExitMessage,
  InitializeMessage,
  ServiceDiscoveryUpdateMessage,
  StartData,
  StartMessage,
  StopData,
  StopMessage,
  StreamingInMessage,
  SubPipelineDoneMessage,
  SubPipelineErrorMessage,
  SubPipelineStartedMessage,
  SubPipelineStoppedMessage,
  WorkerCommand,
  WorkerMessage,
  WorkerMessageOf,
} from './worker-messages.js';

export type {
  AlgorithmCommand,
  AlgorithmMessage,
  AlgorithmMessageOf,
  AliveMessage,
  DataSourceRequestMessage,
  DoneMessage,
  ErrorMessage,
  ErrorPayload,
  FinishSpanMessage,
  InitializedMessage,
  LogDataMessage,
  ProgressData,
  ProgressMessage,
  ServingStatusMessage,
  StartAlgorithmExecutionMessage,
  StartRawSubPipelineMessage,
  StartSpanMessage,
  StartStoredSubPipelineMessage,
  StartedMessage,
  StopAlgorithmExecutionMessage,
  StopSubPipelineMessage,
  StoppedMessage,
  StoppingMessage,
  StoringMessage,
  StreamingInMessageDoneMessage,
  StreamingOutMessage,
  StreamingStatisticsMessage,
} from './algorithm-messages.js';

export type { MessageOf, ProtocolCommand, ProtocolMessage } from './protocol-message.js';
