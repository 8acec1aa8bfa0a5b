/**
 * The seam between a virtual worker and the Code API services of the task it runs: the worker hands
 * each request to the task's {@link TaskServices} with a way to reply, and the services end everything
 * the task started once it is over.
 */
import type { AlgorithmMessage, WorkerMessage } from '@hkube-ts/protocol';

/** Commands of the Code API requests a worker serves (worker-protocol §6). */
export type CodeApiRequestCommand =
  | 'startAlgorithmExecution'
  | 'stopAlgorithmExecution'
  | 'startRawSubPipeline'
  | 'startStoredSubPipeline'
  | 'stopSubPipeline'
  | 'dataSourceRequest';

/** One Code API request message. */
export type CodeApiRequestMessage = Extract<AlgorithmMessage, { readonly command: CodeApiRequestCommand }>;

/** How the calling task is connected, and how to answer it. */
export interface CallerConnection {
  /** The wrapper's storage mode: how `algorithmExecutionDone`/`subPipelineDone` carry their result. */
  readonly storageMode: 'v1' | 'v3';
  /** Sends a reply to the wrapper; dropped once the calling task no longer works. */
  reply(message: WorkerMessage): void;
}

/** The Code API services of one running task. */
export interface TaskServices {
  /** Serves one request of the task's algorithm. Never throws; failures are replies. */
  handle(message: CodeApiRequestMessage, caller: CallerConnection): void;
  /** Stops every execution and sub-pipeline the task started (the task ended for `reason`). Idempotent. */
  close(reason: string): void;
}
