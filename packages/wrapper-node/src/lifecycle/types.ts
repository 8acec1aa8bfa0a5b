import type { CodeApiData } from '@hkube-ts/codeapi';
import type { InitializePayload, StorageDescriptor } from '@hkube-ts/protocol';

/**
 * The runner's view of the data plane for one connection: resolve a task's inputs, store its result
 * and move Code API data. Storage mode v1 needs none of it (the worker does both ends).
 */
export interface TaskDataPlane {
  /** Replaces every `$$` reference in the payload's `input` by its value. */
  resolveInput(payload: InitializePayload, signal: AbortSignal): Promise<unknown[]>;
  /** Writes the result to storage and returns the descriptor to report in `storing`. */
  writeOutput(payload: InitializePayload, result: unknown, signal: AbortSignal): Promise<StorageDescriptor>;
  /** The Code API's data access for this task. */
  codeApiData(payload: InitializePayload): CodeApiData;
  /**
   * With a peer data server: calls `report` every `DISCOVERY_SERVING_REPORT_INTERVAL` while it is
   * serving, for the runner to send `servingStatus`. Returns the unsubscribe function.
   */
  onServing?(report: () => void): () => void;
}

/** How a served connection ended. */
export interface ServeOutcome {
  /** Why it ended: the worker's `exit`, or a local shutdown (SIGTERM, `close()`). */
  readonly reason: 'exit' | 'shutdown';
  /** The process exit code to use. */
  readonly exitCode: number;
}
