/**
 * Answers to Code API requests (worker-protocol §6) while the emulator does not run them yet: every
 * request is rejected at once with a clear message, so the algorithm's awaited call fails instead of
 * hanging. Stop requests need no answer.
 */
import type { AlgorithmMessage, WorkerMessage } from '@hkube-ts/protocol';

const NOT_YET = 'is not supported by the hkube-ts emulator yet';

/** The reply to a Code API request, `undefined` for messages that are not one (or need no reply). */
export function codeApiReply(message: AlgorithmMessage): WorkerMessage | undefined {
  if (message.command === 'startAlgorithmExecution') {
    return { command: 'algorithmExecutionError', data: { execId: message.data.execId, error: `startAlgorithm ('${message.data.algorithmName}') ${NOT_YET}` } };
  }
  if (message.command === 'startRawSubPipeline' || message.command === 'startStoredSubPipeline') {
    return { command: 'subPipelineError', data: { subPipelineId: message.data.subPipelineId, error: `${message.command} ${NOT_YET}` } };
  }
  if (message.command === 'dataSourceRequest') {
    return { command: 'dataSourceResponse', data: { requestId: message.data.requestId, error: `data sources ${NOT_YET}` } };
  }
  return undefined;
}
