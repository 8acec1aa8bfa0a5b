/**
 * `hkube-ts run <pipeline.json> --algorithms <algorithms.json>`: reads and checks every input, runs
 * the job on a local emulator with per-node progress on stderr, prints the result, and returns the
 * exit code (0 completed, 1 failed or stopped, 2 usage or validation error). Never throws.
 */
import { readdir } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { HkubeError } from '@hkube-ts/protocol';
import { createConsoleLogger, silentLogger } from '@hkube-ts/wrapper-node';
import { createEmulator, type Emulator, type RunPipelineOptions } from '../api/emulator.js';
import type { JobHandle } from '../api/job-handle.js';
import { isPlainObject } from '../engine/copy.js';
import { PipelineValidationError, UnsupportedPipelineError, type JobResult } from '../engine/index.js';
import { StoredPipelineNotFoundError, UnknownAlgorithmError } from '../errors.js';
import { CachedJobNotFoundError, CachedOutputMissingError, RunFromNodeNotAllowedError } from '../nodes/caching/errors.js';
import { createEmulatorLogger } from '../logger.js';
import { readAlgorithmDefinitions } from './algorithms-file.js';
import { parseCommandLine } from './args.js';
import { CliError, CliInputError } from './errors.js';
import { readJsonFile } from './json-file.js';
import { ProgressView } from './progress-view.js';
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

/** The `--json` output: `{jobId, pipeline, status, data, error?, nodeName?, reason?, timeTook}`. */
export function jsonOutput(result: JobResult): Record<string, unknown> {
  return {
    jobId: result.jobId,
    pipeline: result.pipeline,
    status: result.status,
    data: result.status === 'completed' ? result.data : null,
    ...(result.status === 'failed' ? { error: result.error, ...(result.nodeName === undefined ? {} : { nodeName: result.nodeName }) } : {}),
    ...(result.status === 'stopped' ? { reason: result.reason } : {}),
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

/** Starts a run from node (`--from-job`, `--node`), turning its refusals into CLI input errors. */
async function startFromNode(emulator: Emulator, storageDir: string, request: { readonly jobId: string; readonly nodeName: string }, algorithms: readonly string[], listeners: Pick<RunPipelineOptions, 'onTaskEvent' | 'onDebugWaiting'>): Promise<JobHandle> {
  try {
    return await emulator.runFromNode(request, listeners);
  } catch (error) {
    if (error instanceof CachedJobNotFoundError || error instanceof RunFromNodeNotAllowedError || error instanceof CachedOutputMissingError) throw new CliInputError(storageDir, error.message);
    if (error instanceof UnknownAlgorithmError) {
      const known = algorithms.length === 0 ? 'none' : algorithms.join(', ');
      throw new CliInputError(storageDir, `${error.message} (the algorithms file defines: ${known})`);
    }
    if (error instanceof PipelineValidationError) throw new CliInputError(storageDir, `invalid pipeline of job ${request.jobId}: ${error.message}`);
    throw error;
  }
}

async function run(command: Extract<ReturnType<typeof parseCommandLine>, { kind: 'run' }>, io: CliIo): Promise<number> {
  const pipeline = await readObject(command.pipelineFile, 'an HKube pipeline descriptor');
  const algorithmsContent = await readJsonFile(command.algorithmsFile);
  const flowInput = command.flowInputFile === undefined ? undefined : await readJsonFile(command.flowInputFile);
  const stored = command.storedDir === undefined ? [] : await readStored(command.storedDir);
  const definitions = await readAlgorithmDefinitions(command.algorithmsFile, algorithmsContent);

  const verboseLog = (text: string): void => io.stderr(text);
  const emulator = await createEmulator({
    ...(command.storageDir === undefined ? {} : { storage: { dir: command.storageDir } }),
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
    const job = command.fromNode !== undefined && command.storageDir !== undefined
      ? await startFromNode(emulator, command.storageDir, command.fromNode, names, listeners)
      : start(emulator, command.pipelineFile, { pipeline, flowInput, stored }, names, listeners);
    const view = new ProgressView({ nodes: job.pipeline.nodes.map((node) => node.nodeName), write: io.stderr, tty: io.stderrIsTTY });
    views.push(view);
    const origin = command.fromNode === undefined ? '' : ` (from node ${command.fromNode.nodeName} of job ${command.fromNode.jobId})`;
    io.stderr(`[hkube-ts] job ${job.jobId} of pipeline ${job.pipelineName} started${origin}\n`);
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
    restoreStdout?.();
    restoreStdout = undefined;
    view.finish(result);
    io.stderr(`[hkube-ts] ${describeEnding(result)}\n`);
    if (command.json) io.stdout(`${JSON.stringify(jsonOutput(result))}\n`);
    else if (result.status === 'completed') io.stdout(`${JSON.stringify(result.data, null, 2)}\n`);
    if (command.storageDir !== undefined) io.stderr(`[hkube-ts] storage kept in ${emulator.storageDirectory ?? command.storageDir}\n`);
    return result.status === 'completed' ? EXIT.completed : EXIT.failed;
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
