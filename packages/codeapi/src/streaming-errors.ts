/**
 * The failures of the streaming part of the Code API ({@link StreamingApi}).
 *
 * @module
 */

import { CodeApiError } from './errors.js';

/**
 * A streaming method was called in a task that is not a streaming one (a batch pipeline, or a debug
 * session that is not tunnelling a stream).
 *
 * @example
 * ```ts
 * try { api.sendMessage(1); } catch (err) { if (err instanceof NotStreamingTaskError) return 1; throw err; }
 * ```
 */
export class NotStreamingTaskError extends CodeApiError {
  readonly code = 'NOT_A_STREAMING_TASK' as const;
  /** The task. */
  readonly taskId: string;

  constructor(taskId: string) {
    super(`task ${taskId} is not a streaming task: streaming methods need a stream pipeline`);
    this.taskId = taskId;
  }
}

/**
 * `sendMessage` named a flow the pipeline does not have (HKube's text `No such flow <name>`), or named
 * none while the pipeline has no default flow (`Streaming default flow is null`).
 *
 * @example
 * ```ts
 * try { api.sendMessage(x, 'analyse'); } catch (err) { if (err instanceof NoSuchFlowError) log(err.flowName); }
 * ```
 */
export class NoSuchFlowError extends CodeApiError {
  readonly code = 'NO_SUCH_FLOW' as const;
  /** The flow asked for; `undefined` when the default flow was wanted and there is none. */
  readonly flowName: string | undefined;
  /** The sending node. */
  readonly nodeName: string;

  constructor(flowName: string | undefined, nodeName: string) {
    super(flowName === undefined ? 'Streaming default flow is null' : `No such flow ${flowName}`);
    this.flowName = flowName;
    this.nodeName = nodeName;
  }
}

/**
 * `sendMessage` from a node without children (a sink), with HKube's own text.
 *
 * @example
 * ```ts
 * if (args.childs?.length) api.sendMessage(result); // a sink would throw NoStreamConsumersError
 * ```
 */
export class NoStreamConsumersError extends CodeApiError {
  readonly code = 'NO_STREAM_CONSUMERS' as const;
  /** The sending node. */
  readonly nodeName: string;

  constructor(nodeName: string) {
    super('Trying to send a message from a none stream pipeline or after close had been applied on algorithm');
    this.nodeName = nodeName;
  }
}

/** `sendMessage` after the task's streaming stopped (the task ended, or a stop flushed the queue). */
export class StreamingClosedError extends CodeApiError {
  readonly code = 'STREAMING_CLOSED' as const;
  /** The task. */
  readonly taskId: string;
  /** Why streaming stopped. */
  readonly reason: string;

  constructor(taskId: string, reason: string) {
    super(`streaming of task ${taskId} has stopped (${reason}): the message was not sent`);
    this.taskId = taskId;
    this.reason = reason;
  }
}
