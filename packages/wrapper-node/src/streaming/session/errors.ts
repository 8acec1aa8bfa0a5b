/**
 * Failures of a task's streaming session (the part between the worker protocol and the transports).
 *
 * @module
 */

import { HkubeError, type HkubeErrorOptions } from '@hkube-ts/protocol';

/** Codes of the failures of a streaming session. */
export type StreamSessionErrorCode = 'STREAMING_NEEDS_STORAGE_V3' | 'STREAM_MESSAGE_UNDECODABLE' | 'STREAMING_NOT_CONFIGURED';

/** Base class of the streaming session's failures. */
export abstract class StreamSessionError extends HkubeError {
  abstract override readonly code: StreamSessionErrorCode;
}

/**
 * `initialize` asked for a stream task (`kind: 'stream'`) while the wrapper runs in storage mode v1
 * (worker-protocol §7.1): the task is answered with `errorMessage`.
 */
export class StreamingNeedsStorageV3Error extends StreamSessionError {
  readonly code = 'STREAMING_NEEDS_STORAGE_V3' as const;
  /** The task. */
  readonly taskId: string;
  /** The storage mode in use. */
  readonly storageMode: string;

  constructor(taskId: string, storageMode: string) {
    super(`task ${taskId} is a stream task, which needs storage protocol v3 (the wrapper runs with ${storageMode})`);
    this.taskId = taskId;
    this.storageMode = storageMode;
  }
}

/** A received stream message could not be decoded with `DISCOVERY_ENCODING`; it is acked and skipped. */
export class StreamMessageDecodeError extends StreamSessionError {
  readonly code = 'STREAM_MESSAGE_UNDECODABLE' as const;
  /** The parent node it came from. */
  readonly origin: string;

  constructor(origin: string, options: HkubeErrorOptions = {}) {
    const reason = options.cause instanceof Error ? `: ${options.cause.message}` : '';
    super(`a stream message from '${origin}' cannot be decoded${reason}`, options);
    this.origin = origin;
  }
}

/** A stream task arrived at a runner built without streaming options (no stream transport to use). */
export class StreamingNotConfiguredError extends StreamSessionError {
  readonly code = 'STREAMING_NOT_CONFIGURED' as const;
  /** The task. */
  readonly taskId: string;

  constructor(taskId: string) {
    super(`task ${taskId} is a stream task, but this runner has no stream transport (pass RunnerOptions.streaming)`);
    this.taskId = taskId;
  }
}
