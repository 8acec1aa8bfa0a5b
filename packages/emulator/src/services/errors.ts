/**
 * Why the emulator refused a Code API request (worker-protocol §6). The messages are HKube worker's,
 * so an algorithm sees the same text in the emulator and on a cluster.
 */
import { EmulatorError } from '../errors.js';

/** What was wrong with a Code API request. */
export type CodeApiRefusal =
  | 'algorithmNotFound'
  | 'executionAlreadyRunning'
  | 'executionNotFound'
  | 'invalidRequest'
  | 'notWorking';

function messageOf(reason: CodeApiRefusal, subject: string): string {
  switch (reason) {
    case 'algorithmNotFound':
      return `Algorithm named '${subject}' does not exist`;
    case 'executionAlreadyRunning':
      return `execution ${subject} already running`;
    case 'executionNotFound':
      return `unable to find execId ${subject}`;
    case 'invalidRequest':
      return subject;
    case 'notWorking':
      return 'execution cannot start in this state';
  }
}

/**
 * A Code API request the emulator's worker refused; its `message` is what the algorithm receives in
 * `algorithmExecutionError`, `subPipelineError` or `dataSourceResponse`.
 *
 * @example
 * ```ts
 * new CodeApiRequestRefusedError('algorithmNotFound', 'nope').message; // "Algorithm named 'nope' does not exist"
 * ```
 */
export class CodeApiRequestRefusedError extends EmulatorError {
  readonly code = 'CODE_API_REQUEST_REFUSED' as const;
  /** Why it was refused. */
  readonly reason: CodeApiRefusal;

  constructor(reason: CodeApiRefusal, subject = '') {
    super(messageOf(reason, subject));
    this.reason = reason;
  }
}
