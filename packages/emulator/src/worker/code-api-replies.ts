/**
 * Answers to Code API requests (worker-protocol §6) that arrive when no task of the worker can serve
 * them (no task is working): refused at once, as HKube's worker does, so the algorithm's awaited call
 * fails instead of hanging. Stop requests need no answer.
 */
import type { AlgorithmMessage, WorkerMessage } from '@hkube-ts/protocol';
import { CodeApiRequestRefusedError } from '../services/errors.js';

/** The reply to a Code API request outside a working task, `undefined` for messages that need none. */
export function codeApiReply(message: AlgorithmMessage): WorkerMessage | undefined {
  const error = new CodeApiRequestRefusedError('notWorking').message;
  if (message.command === 'startAlgorithmExecution') {
    return { command: 'algorithmExecutionError', data: { execId: message.data.execId, error } };
  }
  if (message.command === 'startRawSubPipeline' || message.command === 'startStoredSubPipeline') {
    return { command: 'subPipelineError', data: { subPipelineId: message.data.subPipelineId, error } };
  }
  if (message.command === 'dataSourceRequest') {
    return { command: 'dataSourceResponse', data: { requestId: message.data.requestId, error } };
  }
  return undefined;
}
