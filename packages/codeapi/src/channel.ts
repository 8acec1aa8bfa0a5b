import type { AlgorithmMessageOf, StorageLinks, WorkerMessageOf } from '@hkube-ts/protocol';

/** The requests the Code API sends to the worker. */
export type CodeApiRequest =
  | AlgorithmMessageOf<'startAlgorithmExecution'>
  | AlgorithmMessageOf<'stopAlgorithmExecution'>
  | AlgorithmMessageOf<'startRawSubPipeline'>
  | AlgorithmMessageOf<'startStoredSubPipeline'>
  | AlgorithmMessageOf<'stopSubPipeline'>
  | AlgorithmMessageOf<'dataSourceRequest'>
  | AlgorithmMessageOf<'progress'>
  | AlgorithmMessageOf<'startSpan'>
  | AlgorithmMessageOf<'finishSpan'>;

/** The worker's replies to Code API requests. */
export type CodeApiReply =
  | WorkerMessageOf<'subPipelineStarted'>
  | WorkerMessageOf<'subPipelineDone'>
  | WorkerMessageOf<'subPipelineError'>
  | WorkerMessageOf<'subPipelineStopped'>
  | WorkerMessageOf<'algorithmExecutionDone'>
  | WorkerMessageOf<'algorithmExecutionError'>
  | WorkerMessageOf<'dataSourceResponse'>;

/** The `command` names of {@link CodeApiReply}. */
export const CODE_API_REPLY_COMMANDS: ReadonlySet<string> = new Set<CodeApiReply['command']>([
  'subPipelineStarted',
  'subPipelineDone',
  'subPipelineError',
  'subPipelineStopped',
  'algorithmExecutionDone',
  'algorithmExecutionError',
  'dataSourceResponse',
]);

/**
 * The Code API's only link to the worker. The wrapper implements it over its socket; tests and the
 * emulator can implement it directly.
 */
export interface WorkerChannel {
  /** Sends one request to the worker. Rejects when the connection is gone. */
  send(request: CodeApiRequest): Promise<void>;
  /** Registers a listener for replies; returns a function that removes it. */
  onReply(listener: (reply: CodeApiReply) => void): () => void;
}

/**
 * How the Code API moves data, provided by the wrapper's data plane: in storage mode v3 inputs are
 * written to storage and results fetched from the descriptors the worker returns; in v1 both travel
 * inline.
 */
export interface CodeApiData {
  /** The storage mode of the connection. */
  readonly storageProtocol: 'v1' | 'v3';
  /** v3: stores the input items and returns the `storageInput` and `storage` to send. */
  writeInput(input: readonly unknown[], signal?: AbortSignal): Promise<{ storageInput: unknown[]; storage: StorageLinks }>;
  /** v3: reads the value a storage descriptor (`{storageInfo: {path}}`) points to. */
  readStored(path: string, signal?: AbortSignal): Promise<unknown>;
}
