/**
 * `hkube-ts run <pipeline.json> --algorithms <algorithms.json>`: reads and checks every input, runs
 * the job on a local emulator with per-node progress on stderr, prints the result, and returns the
 * exit code (0 completed, 1 failed or stopped, 2 usage or validation error). Never throws.
 */
import { readdir } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { ENV, HkubeError, readS3Env, type S3Env } from '@hkube-ts/protocol';
import { createConsoleLogger, silentLogger } from '@hkube-ts/wrapper-node';
import { createEmulator, type Emulator, type RunPipelineOptions } from '../api/emulator.js';
import type { JobHandle } from '../api/job-handle.js';
import { isPlainObject } from '../engine/copy.js';
import { PipelineValidationError, UnsupportedPipelineError, type EdgeStatistics, type JobResult } from '../engine/index.js';
import { StoredPipelineNotFoundError, UnknownAlgorithmError } from '../errors.js';
import type { S3StorageLocation } from '../storage/emulator-storage.js';
import { CachedJobNotFoundError, CachedOutputMissingError, RunFromNodeNotAllowedError } from '../nodes/caching/errors.js';
import { createEmulatorLogger } from '../logger.js';
import { readAlgorithmDefinitions } from './algorithms-file.js';
import { parseCommandLine } from './args.js';
import { CliError, CliInputError, CliUsageError } from './errors.js';
import { readJsonFile } from './json-file.js';
import { ProgressView } from './progress-view.js';
import { StreamView } from './stream-view.js';
import { USAGE } from './usage.js';

/** Where the CLI writes, and the process hooks it uses. */
export interface CliIo {
  /** Writes to stdout. */
  readonly stdout: (text: string) => void;
  /** Writes to stderr. */
  readonly stderr: (text: string) => void;
  /** Whether stderr is a terminal (live progress bars). */
  readonly stderrIsTTY: boolean;
  /** Sends whatever else writes to stdout (in-process algorithms) to stderr; returns the undo. */
  readonly divertStdout?: () => () => void;
  /** Calls `handler` on Ctrl-C; returns the unregistration. */
  readonly onInterrupt?: (handler: () => void) => () => void;
  /** Environment variables (S3 credentials); default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Exit codes. */
export const EXIT = { completed: 0, failed: 1, usage: 2 } as const;

/** The inputs of a run, read and checked. */
interface RunInputs {
  readonly pipeline: Record<string, unknown>;
  readonly flowInput: unknown;
  readonly stored: readonly { readonly file: string; readonly descriptor: Record<string, unknown> }[];
}

async function readObject(file: string, what: string): Promise<Record<string, unknown>> {
  const content = await readJsonFile(file);
  if (!isPlainObject(content)) throw new CliInputError(file, `must be a JSON object (${what})`);
  return content;
}

async function readStored(dir: string): Promise<RunInputs['stored']> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => extname(name) === '.json').sort();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliInputError(dir, code === 'ENOENT' ? 'no such directory' : code === 'ENOTDIR' ? 'is not a directory' : String(error));
  }
  const stored = [];
  for (const name of names) {
    const file = join(dir, name);
    const descriptor = await readObject(file, 'a pipeline descriptor');
    const expected = basename(name, '.json');
    if (descriptor['name'] === undefined) descriptor['name'] = expected;
    if (descriptor['name'] !== expected) throw new CliInputError(file, `its name "${String(descriptor['name'])}" differs from the file name; name the file ${String(descriptor['name'])}.json`);
    stored.push({ file, descriptor });
  }
  return stored;
}

function describeEnding(result: JobResult): string {
  const took = `${result.timeTook.toFixed(2)} s`;
  switch (result.status) {
    case 'completed':
      return `job ${result.jobId} completed in ${took}`;
    case 'failed':
      return `job ${result.jobId} failed after ${took}${result.nodeName === undefined ? '' : ` (node ${result.nodeName})`}: ${result.error}`;
    case 'stopped':
      return `job ${result.jobId} stopped after ${took}: ${result.reason}`;
  }
}

/**
 * The `--json` output: `{jobId, pipeline, status, data, error?, nodeName?, reason?, timeTook}`, plus
 * `edges` (the final edge statistics) for a stream job.
 */
export function jsonOutput(result: JobResult, edges?: readonly EdgeStatistics[]): Record<string, unknown> {
  return {
    jobId: result.jobId,
    pipeline: result.pipeline,
    status: result.status,
    data: result.status === 'completed' ? result.data : null,
    ...(result.status === 'failed' ? { error: result.error, ...(result.nodeName === undefined ? {} : { nodeName: result.nodeName }) } : {}),
    ...(result.status === 'stopped' ? { reason: result.reason } : {}),
    ...(edges === undefined ? {} : { edges }),
    timeTook: result.timeTook,
  };
}

/** Starts the job, turning the errors HKube reports as validation errors into CLI input errors. */
function start(emulator: Emulator, pipelineFile: string, inputs: RunInputs, algorithms: readonly string[], listeners: Pick<RunPipelineOptions, 'onTaskEvent' | 'onDebugWaiting'>): JobHandle {
  try {
    return emulator.runPipeline(inputs.pipeline, { ...(inputs.flowInput === undefined ? {} : { flowInput: inputs.flowInput }), ...listeners });
  } catch (error) {
    if (error instanceof UnknownAlgorithmError) {
      const known = algorithms.length === 0 ? 'none' : algorithms.join(', ');
      throw new CliInputError(pipelineFile, `${error.message} (the algorithms file defines: ${known})`);
    }
    if (error instanceof PipelineValidationError || error instanceof StoredPipelineNotFoundError || error instanceof UnsupportedPipelineError) throw new CliInputError(pipelineFile, `invalid pipeline: ${error.message}`);
    throw error;
  }
}

/** The S3 storage of `--storage s3 --s3-endpoint <url>`, with the credentials and region of `env`. */
function s3Location(endpoint: string, env: Readonly<Record<string, string | undefined>>): S3StorageLocation {
  let s3: S3Env;
  try {
    s3 = readS3Env({ ...env, [ENV.S3_ENDPOINT_URL]: endpoint });
  } catch (error) {
    throw new CliUsageError(error instanceof Error ? error.message : String(error));
  }
  if (s3.credentials === undefined) throw new CliUsageError(`--storage s3 needs ${ENV.AWS_ACCESS_KEY_ID} and ${ENV.AWS_SECRET_ACCESS_KEY} in the environment`);
  return { kind: 's3', endpoint, ...s3.credentials, region: s3.region };
}

/** Starts a run from node (`--from-job`, `--node`), turning its refusals into CLI input errors. */
async function startFromNode(emulator: Emulator, storageName: string, request: { readonly jobId: string; readonly nodeName: string }, algorithms: readonly string[], listeners: Pick<RunPipelineOptions, 'onTaskEvent' | 'onDebugWaiting'>): Promise<JobHandle> {
  try {
    return await emulator.runFromNode(request, listeners);
  } catch (error) {
    if (error instanceof CachedJobNotFoundError || error instanceof RunFromNodeNotAllowedError || error instanceof CachedOutputMissingError) throw new CliInputError(storageName, error.message);
    if (error instanceof UnknownAlgorithmError) {
      const known = algorithms.length === 0 ? 'none' : algorithms.join(', ');
      throw new CliInputError(storageName, `${error.message} (the algorithms file defines: ${known})`);
    }
    if (error instanceof PipelineValidationError) throw new CliInputError(storageName, `invalid pipeline of job ${request.jobId}: ${error.message}`);
    throw error;
  }
}

/** Feeds a stream job's edge statistics to its view until the job ends. */
async function watchEdges(job: JobHandle, view: StreamView): Promise<void> {
  for await (const edges of job.edgeStatisticsUpdates) view.update(edges);
}

async function run(command: Extract<ReturnType<typeof parseCommandLine>, { kind: 'run' }>, io: CliIo): Promise<number> {
  const pipeline = await readObject(command.pipelineFile, 'an HKube pipeline descriptor');
  const algorithmsContent = await readJsonFile(command.algorithmsFile);
  const flowInput = command.flowInputFile === undefined ? undefined : await readJsonFile(command.flowInputFile);
  const stored = command.storedDir === undefined ? [] : await readStored(command.storedDir);
  const definitions = await readAlgorithmDefinitions(command.algorithmsFile, algorithmsContent);
  if (command.durationSeconds !== undefined && (command.fromNode !== undefined || pipeline['kind'] !== 'stream')) {
    throw new CliInputError(command.pipelineFile, '--duration is for stream pipelines (a batch job ends by itself; set options.ttl to limit it)');
  }

  const verboseLog = (text: string): void => io.stderr(text);
  const storage = command.s3Endpoint === undefined ? (command.storageDir === undefined ? undefined : { dir: command.storageDir }) : s3Location(command.s3Endpoint, io.env ?? process.env);
  const emulator = await createEmulator({
    ...(storage === undefined ? {} : { storage }),
    logger: createEmulatorLogger(command.verbose ? 'info' : 'warn', verboseLog),
    wrapperLogger: command.verbose ? createConsoleLogger('info', verboseLog) : silentLogger,
    ...(command.debugPort === undefined ? {} : { debugPort: command.debugPort }),
    ...(command.dataSourcesDir === undefined ? {} : { dataSourcesDir: command.dataSourcesDir }),
    peerData: command.peerData,
    ...(command.verbose ? { onProcessOutput: (name: string, _stream: string, text: string) => io.stderr(text.replace(/^(?=.)/gm, `[${name}] `)) } : {}),
  });
  let restoreStdout: (() => void) | undefined;
  let unregister: (() => void) | undefined;
  try {
    for (const { name, source, options } of definitions) {
      try {
        emulator.registerAlgorithm(name, source, options);
      } catch (error) {
        throw new CliInputError(command.algorithmsFile, error instanceof Error ? error.message : String(error));
      }
    }
    for (const { file, descriptor } of stored) {
      try {
        emulator.storePipeline(descriptor);
      } catch (error) {
        throw new CliInputError(file, `invalid pipeline: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    // Task events start after runPipeline returns (the job starts asynchronously), once the view exists.
    const views: ProgressView[] = [];
    const listeners: Pick<RunPipelineOptions, 'onTaskEvent' | 'onDebugWaiting'> = {
      onTaskEvent: (event) => views[0]?.onTaskEvent(event),
      onDebugWaiting: ({ nodeName, url }) => io.stderr(`[hkube-ts] node ${nodeName} waits for a debugger at ${url}\n`),
    };
    const names = definitions.map((d) => d.name);
    const storageName = command.s3Endpoint ?? command.storageDir;
    const job = command.fromNode !== undefined && storageName !== undefined
      ? await startFromNode(emulator, storageName, command.fromNode, names, listeners)
      : start(emulator, command.pipelineFile, { pipeline, flowInput, stored }, names, listeners);
    const stream = job.pipeline.kind === 'stream';
    // A stream job shows its edges; its tasks run for the job's life, so per-node bars say little.
    const view = stream ? undefined : new ProgressView({ nodes: job.pipeline.nodes.map((node) => node.nodeName), write: io.stderr, tty: io.stderrIsTTY });
    if (view !== undefined) views.push(view);
    const streamView = stream ? new StreamView({ write: io.stderr, tty: io.stderrIsTTY }) : undefined;
    const watching = streamView === undefined ? undefined : watchEdges(job, streamView);
    const durationStop = `stopped after --duration ${String(command.durationSeconds)} s`;
    const durationTimer = command.durationSeconds === undefined ? undefined : setTimeout(() => void job.stop(durationStop), command.durationSeconds * 1000);
    const origin = command.fromNode === undefined ? '' : ` (from node ${command.fromNode.nodeName} of job ${command.fromNode.jobId})`;
    io.stderr(`[hkube-ts] job ${job.jobId} of pipeline ${job.pipelineName} started${origin}\n`);
    for (const warning of job.warnings) io.stderr(`[hkube-ts] warning: ${warning}\n`);
    if (command.json) restoreStdout = io.divertStdout?.();
    let interrupts = 0;
    unregister = io.onInterrupt?.(() => {
      interrupts += 1;
      if (interrupts === 1) {
        io.stderr('[hkube-ts] stopping the job (Ctrl-C again to quit at once)\n');
        void job.stop();
      } else {
        process.exit(130);
      }
    });
    const result = await job.result;
    clearTimeout(durationTimer);
    await watching;
    restoreStdout?.();
    restoreStdout = undefined;
    view?.finish(result);
    streamView?.finish(job.edgeStatistics());
    io.stderr(`[hkube-ts] ${describeEnding(result)}\n`);
    if (command.json) io.stdout(`${JSON.stringify(jsonOutput(result, stream ? job.edgeStatistics() : undefined))}\n`);
    else if (result.status === 'completed') io.stdout(`${JSON.stringify(result.data, null, 2)}\n`);
    if (command.storageDir !== undefined) io.stderr(`[hkube-ts] storage kept in ${emulator.storageDirectory ?? command.storageDir}\n`);
    if (command.s3Endpoint !== undefined) io.stderr(`[hkube-ts] storage kept on S3 at ${command.s3Endpoint}\n`);
    const endedByDuration = result.status === 'stopped' && result.reason === durationStop;
    return result.status === 'completed' || endedByDuration ? EXIT.completed : EXIT.failed;
  } finally {
    restoreStdout?.();
    unregister?.();
    await emulator.close();
  }
}

/**
 * Runs the `hkube-ts` command line and resolves with its exit code.
 *
 * @example
 * ```ts
 * const code = await runCli(['run', 'pipeline.json', '--algorithms', 'algorithms.json'], io);
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const command = parseCommandLine(argv);
    if (command.kind === 'help') {
      io.stdout(USAGE);
      return EXIT.completed;
    }
    return await run(command, io);
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr(`hkube-ts: ${error.message}\n`);
      if (error.code === 'CLI_USAGE') io.stderr('Run hkube-ts --help for usage.\n');
      return EXIT.usage;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`hkube-ts: ${HkubeError.is(error) ? '' : 'unexpected error: '}${message}\n`);
    return EXIT.failed;
  }
}
