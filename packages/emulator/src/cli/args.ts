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
      /** `--data-sources`: one directory per data source id, for `api.getDataSource`. */
      readonly dataSourcesDir: string | undefined;
      /** `--debug-port`: the port debuggers of debug nodes attach to (undefined: a free one). */
      readonly debugPort: number | undefined;
      /** `--from-job` and `--node`: re-run that node (and its descendants) of a job kept in `--storage-dir`. */
      readonly fromNode: { readonly jobId: string; readonly nodeName: string } | undefined;
      /** `--no-peer-data`: algorithm processes run no peer data server; everything goes through storage. */
      readonly peerData: boolean;
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
        'data-sources': { type: 'string' },
        'from-job': { type: 'string' },
        node: { type: 'string' },
        'no-peer-data': { type: 'boolean' },
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
  for (const [name, value] of [['stored', values.stored], ['flow-input', values['flow-input']], ['storage-dir', values['storage-dir']], ['algorithms', values.algorithms], ['from-job', values['from-job']], ['node', values.node], ['data-sources', values['data-sources']]] as const) {
    if (value === '') throw new CliUsageError(`--${name} needs a non-empty value`);
  }
  const fromJob = values['from-job'];
  const node = values.node;
  if (fromJob !== undefined && node === undefined) throw new CliUsageError('--from-job needs --node <name>: the node to run again');
  if (node !== undefined && fromJob === undefined) throw new CliUsageError('--node needs --from-job <jobId>: the job to run again from that node');
  if (fromJob !== undefined && values['storage-dir'] === undefined) throw new CliUsageError('--from-job needs --storage-dir <dir>: the storage the job was run with');
  if (fromJob !== undefined && values['flow-input'] !== undefined) throw new CliUsageError('--flow-input cannot be used with --from-job: the job runs again with its own flowInput');
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
    dataSourcesDir: values['data-sources'],
    fromNode: fromJob === undefined || node === undefined ? undefined : { jobId: fromJob, nodeName: node },
    peerData: values['no-peer-data'] !== true,
  };
}
