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
      /** `--storage s3 --s3-endpoint <url>`: storage on that S3 endpoint (credentials from the environment). */
      readonly s3Endpoint: string | undefined;
      readonly json: boolean;
      readonly verbose: boolean;
      /** `--data-sources`: one directory per data source id, for `api.getDataSource`. */
      readonly dataSourcesDir: string | undefined;
      /** `--debug-port`: the port debuggers of debug nodes attach to (undefined: a free one). */
      readonly debugPort: number | undefined;
      /** `--from-job` and `--node`: re-run that node (and its descendants) of a job kept in `--storage-dir`. */
      readonly fromNode: { readonly jobId: string; readonly nodeName: string } | undefined;
      /** `--duration`: stop a stream job after this many seconds. */
      readonly durationSeconds: number | undefined;
      /** `--no-peer-data`: algorithm processes run no peer data server; everything goes through storage. */
      readonly peerData: boolean;
    };

/**
 * Checks `--storage <memory|fs|s3>` against `--storage-dir` (fs) and `--s3-endpoint` (s3) and returns the
 * S3 endpoint, if S3 was chosen.
 */
function readStorageChoice(kind: string | undefined, dir: string | undefined, endpoint: string | undefined): string | undefined {
  const chosen = kind ?? (dir !== undefined ? 'fs' : endpoint !== undefined ? 's3' : 'memory');
  switch (chosen) {
    case 'memory':
    case 'fs':
      if (chosen === 'fs' && dir === undefined) throw new CliUsageError('--storage fs needs --storage-dir <dir>');
      if (chosen === 'memory' && dir !== undefined) throw new CliUsageError('--storage-dir keeps storage on disk: it cannot be used with --storage memory');
      if (endpoint !== undefined) throw new CliUsageError('--s3-endpoint needs --storage s3');
      return undefined;
    case 's3': {
      if (dir !== undefined) throw new CliUsageError('--storage-dir cannot be used with --storage s3');
      if (endpoint === undefined || endpoint === '') throw new CliUsageError('--storage s3 needs --s3-endpoint <url>, e.g. http://127.0.0.1:9000');
      let scheme: string;
      try {
        scheme = new URL(endpoint).protocol;
      } catch {
        scheme = '';
      }
      if (scheme !== 'http:' && scheme !== 'https:') throw new CliUsageError(`--s3-endpoint must be an http:// or https:// URL, got '${endpoint}'`);
      return endpoint;
    }
    default:
      throw new CliUsageError(`--storage must be memory, fs or s3, got '${chosen}'`);
  }
}

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
        storage: { type: 'string' },
        's3-endpoint': { type: 'string' },
        json: { type: 'boolean' },
        verbose: { type: 'boolean', short: 'v' },
        'debug-port': { type: 'string' },
        'data-sources': { type: 'string' },
        'from-job': { type: 'string' },
        node: { type: 'string' },
        duration: { type: 'string', short: 'd' },
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
  const s3Endpoint = readStorageChoice(values.storage, values['storage-dir'], values['s3-endpoint']);
  if (fromJob !== undefined && values['storage-dir'] === undefined && s3Endpoint === undefined) {
    throw new CliUsageError('--from-job needs --storage-dir <dir> or --storage s3: the storage the job was run with');
  }
  if (fromJob !== undefined && values['flow-input'] !== undefined) throw new CliUsageError('--flow-input cannot be used with --from-job: the job runs again with its own flowInput');
  const debugPort = values['debug-port'] === undefined ? undefined : Number(values['debug-port']);
  if (debugPort !== undefined && (!Number.isInteger(debugPort) || debugPort < 0 || debugPort > 65535)) {
    throw new CliUsageError(`--debug-port must be a port number (0-65535), got '${String(values['debug-port'])}'`);
  }
  const duration = values.duration === undefined ? undefined : Number(values.duration);
  if (duration !== undefined && (values.duration!.trim() === '' || !Number.isFinite(duration) || duration <= 0 || duration * 1000 > 2 ** 31 - 1)) {
    throw new CliUsageError(`--duration must be a number of seconds greater than 0, got '${String(values.duration)}'`);
  }
  return {
    kind: 'run',
    pipelineFile,
    algorithmsFile: values.algorithms,
    storedDir: values.stored,
    flowInputFile: values['flow-input'],
    storageDir: values['storage-dir'],
    s3Endpoint,
    json: values.json === true,
    verbose: values.verbose === true,
    debugPort,
    dataSourcesDir: values['data-sources'],
    fromNode: fromJob === undefined || node === undefined ? undefined : { jobId: fromJob, nodeName: node },
    durationSeconds: duration,
    peerData: values['no-peer-data'] !== true,
  };
}
