/**
 * {@link createCodeApi}: the wrapper's entry point, one {@link CodeApiSession} per task.
 *
 * @module
 */

import type { HkubeApi } from './api.js';
import type { CodeApiData, CodeApiReply, WorkerChannel } from './channel.js';
import { CodeApi } from './code-api.js';
import type { CodeApiContext } from './context.js';
import { DataSourceRequests } from './data-sources.js';
import { ExecutionRegistry } from './executions.js';
import { createIdSource } from './ids.js';
import { notStreamingApi, type StreamingBackend } from './streaming.js';

/**
 * The task a Code API belongs to (from the `initialize` payload).
 *
 * @example
 * ```ts
 * const task: CodeApiTask = { jobId: payload.jobId, taskId: payload.taskId, nodeName: payload.nodeName };
 * ```
 */
export interface CodeApiTask {
  /** The job id. */
  readonly jobId: string;
  /** The task id (the default id prefix). */
  readonly taskId: string;
  /** The node's name in the pipeline. */
  readonly nodeName: string;
}

/**
 * Options of {@link createCodeApi}.
 *
 * @example
 * ```ts
 * const options: CodeApiOptions = {
 *   channel, data, task, metricsDir: process.env.ALGO_METRICS_DIR,
 *   onBackgroundError: (error) => logger.warn(String(error)),
 * };
 * ```
 */
export interface CodeApiOptions {
  /** The link to the worker (requests out, replies in). */
  readonly channel: WorkerChannel;
  /** The data plane: storage mode, input writing (v3), result reading. */
  readonly data: CodeApiData;
  /** The task this Code API serves. */
  readonly task: CodeApiTask;
  /** `ALGO_METRICS_DIR`, if set. */
  readonly metricsDir?: string | undefined;
  /** Prefix of every request id (default `<taskId>:`, giving `task-1:1`, `task-1:2`, …). */
  readonly idPrefix?: string | undefined;
  /** Clock for `Execution.startedAt`/`settledAt` (default `Date.now`). */
  readonly now?: (() => number) | undefined;
  /**
   * Receives failures no caller can see, e.g. a stop command that could not be sent after an abort or a
   * timeout, or a reply listener that threw (default: ignore them).
   */
  readonly onBackgroundError?: ((error: unknown) => void) | undefined;
  /**
   * The task's streaming (a stream task, or a debug session tunnelling one). Without it the streaming
   * methods throw `NotStreamingTaskError`. It outlives {@link CodeApiSession.close}: the wrapper ends
   * streaming itself (a graceful stop still flushes messages its `stop` hook sends).
   */
  readonly streaming?: StreamingBackend | undefined;
}

/**
 * One task's Code API and its off switch. The wrapper gives {@link CodeApiSession.api} to the
 * algorithm and calls {@link CodeApiSession.close} when the task ends.
 *
 * @example
 * ```ts
 * const session = createCodeApi({ channel, data, task: { jobId, taskId, nodeName } });
 * try { return await algorithm.start(args, session.api); }
 * finally { session.close('task ended'); }
 * ```
 */
export interface CodeApiSession {
  /** The object handed to the algorithm. */
  readonly api: HkubeApi;
  /** Whether {@link CodeApiSession.close} was called. */
  readonly closed: boolean;
  /** Number of executions and data-source requests not settled yet. */
  readonly pending: number;
  /**
   * Ends the Code API: stops listening for replies, rejects every pending execution and data-source
   * request with `CodeApiClosedError` (status `stopped`), and makes every later call reject with it.
   * No stop commands are sent: the worker stops a task's executions and sub-pipelines itself when the
   * task ends. Idempotent (the first reason wins).
   *
   * @param reason - Why (default `task ended`).
   */
  close(reason?: string): void;
}

/**
 * Creates the Code API of one task and starts listening to the channel's replies.
 *
 * @example
 * ```ts
 * const session = createCodeApi({
 *   channel, data, task: { jobId: 'job-1', taskId: 'task-1', nodeName: 'green' },
 *   metricsDir: process.env.ALGO_METRICS_DIR,
 * });
 * const result = await session.api.startAlgorithm('green-alg', [1]);
 * session.close('task ended');
 * ```
 */
export function createCodeApi(options: CodeApiOptions): CodeApiSession {
  let closedReason: string | undefined;
  const onBackgroundError = options.onBackgroundError ?? (() => undefined);
  const context: CodeApiContext = {
    channel: options.channel,
    data: options.data,
    nextId: createIdSource(options.idPrefix ?? `${options.task.taskId}:`),
    now: options.now ?? Date.now,
    onBackgroundError,
    closedReason: () => closedReason,
  };
  const executions = new ExecutionRegistry(context);
  const dataSources = new DataSourceRequests(context);
  const onReply = (reply: CodeApiReply): void => {
    try {
      route(reply, executions, dataSources);
    } catch (error) {
      onBackgroundError(error);
    }
  };
  const unsubscribe = options.channel.onReply(onReply);
  const streaming = options.streaming ?? notStreamingApi(options.task.taskId);
  const api = new CodeApi(context, executions, dataSources, options.metricsDir, streaming);
  return {
    api,
    get closed() {
      return closedReason !== undefined;
    },
    get pending() {
      return executions.size + dataSources.size;
    },
    close(reason = 'task ended') {
      if (closedReason !== undefined) return;
      closedReason = reason;
      unsubscribe();
      executions.closeAll(reason);
      dataSources.closeAll(reason);
    },
  };
}

function route(reply: CodeApiReply, executions: ExecutionRegistry, dataSources: DataSourceRequests): void {
  // Replies come from the network: never trust their shape.
  if (typeof reply !== 'object' || reply === null || typeof reply.data !== 'object' || reply.data === null) return;
  switch (reply.command) {
    case 'dataSourceResponse':
      dataSources.onResponse(reply.data);
      return;
    case 'algorithmExecutionDone':
    case 'algorithmExecutionError':
    case 'subPipelineStarted':
    case 'subPipelineDone':
    case 'subPipelineError':
    case 'subPipelineStopped':
      executions.onReply(reply);
      return;
    default:
      // Not a Code API reply: not ours.
      return;
  }
}
