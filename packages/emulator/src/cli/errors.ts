/**
 * Failures of the `hkube-ts` command line before a job runs. Each maps to exit code 2 and prints its
 * message, never a stack trace.
 */
import { HkubeError } from '@hkube-ts/protocol';

/** Codes of the CLI's own failures. */
export type CliErrorCode = 'CLI_USAGE' | 'CLI_INPUT_INVALID';

/** Base of the CLI's errors. */
export abstract class CliError extends HkubeError {
  abstract override readonly code: CliErrorCode;
}

/** Wrong arguments: an unknown option, a missing file argument, … */
export class CliUsageError extends CliError {
  readonly code = 'CLI_USAGE' as const;
}

/** An input file that cannot be used: missing, not JSON, or not the expected shape. */
export class CliInputError extends CliError {
  readonly code = 'CLI_INPUT_INVALID' as const;
  /** The file at fault. */
  readonly file: string;

  constructor(file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.file = file;
  }
}
