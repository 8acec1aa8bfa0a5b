/** Parses the command line of `hkube-ts` with `node:util` `parseArgs`. */
import { parseArgs } from 'node:util';
import { CliUsageError } from './errors.js';

/** What the command line asks for. */
export type CliCommand =
  | { readonly kind: 'help' }
  | {
      readonly kind: 'run';
      readonly pipelineFile: string;
      readonly algorithmsFile: string;
      readonly storedDir: string | undefined;
      readonly flowInputFile: string | undefined;
      readonly storageDir: string | undefined;
      readonly json: boolean;
      readonly verbose: boolean;
      /** `--debug-port`: the port debuggers of debug nodes attach to (undefined: a free one). */
      readonly debugPort: number | undefined;
    };

/**
 * Reads `argv` (without the node and script paths).
 *
 * @throws {CliUsageError} for unknown options, a missing command or file, or a missing `--algorithms`.
 */
export function parseCommandLine(argv: readonly string[]): CliCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        algorithms: { type: 'string', short: 'a' },
        stored: { type: 'string', short: 's' },
        'flow-input': { type: 'string', short: 'f' },
        'storage-dir': { type: 'string' },
        json: { type: 'boolean' },
        verbose: { type: 'boolean', short: 'v' },
        'debug-port': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new CliUsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help === true) return { kind: 'help' };
  const [command, pipelineFile, ...extra] = positionals;
  if (command === undefined) throw new CliUsageError('missing command: hkube-ts run <pipeline.json> --algorithms <algorithms.json>');
  if (command !== 'run') throw new CliUsageError(`unknown command '${command}' (the only command is 'run')`);
  if (pipelineFile === undefined) throw new CliUsageError('missing the pipeline file: hkube-ts run <pipeline.json> --algorithms <algorithms.json>');
  if (extra.length > 0) throw new CliUsageError(`unexpected argument '${extra[0]}'`);
  if (values.algorithms === undefined) throw new CliUsageError('missing --algorithms <algorithms.json>: it says how to run each algorithm');
  for (const [name, value] of [['stored', values.stored], ['flow-input', values['flow-input']], ['storage-dir', values['storage-dir']], ['algorithms', values.algorithms]] as const) {
    if (value === '') throw new CliUsageError(`--${name} needs a non-empty value`);
  }
  const debugPort = values['debug-port'] === undefined ? undefined : Number(values['debug-port']);
  if (debugPort !== undefined && (!Number.isInteger(debugPort) || debugPort < 0 || debugPort > 65535)) {
    throw new CliUsageError(`--debug-port must be a port number (0-65535), got '${String(values['debug-port'])}'`);
  }
  return {
    kind: 'run',
    pipelineFile,
    algorithmsFile: values.algorithms,
    storedDir: values.stored,
    flowInputFile: values['flow-input'],
    storageDir: values['storage-dir'],
    json: values.json === true,
    verbose: values.verbose === true,
    debugPort,
  };
}
