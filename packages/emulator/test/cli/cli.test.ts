import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, REPO_ROOT, wrapperBin } from '../support/built.js';
import { expectInputError, runCli as cli } from '../support/run-cli.js';

// The built `hkube-ts` CLI, spawned as users run it.
const EXAMPLE = join(REPO_ROOT, 'examples', 'pipeline-basics');
const PIPELINE = join(EXAMPLE, 'pipeline.json');
const ALGORITHMS = join(EXAMPLE, 'algorithms.json');



let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hkube-ts-cli-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, content: unknown): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
}

describe('hkube-ts run on the example', () => {
  it('prints the results on stdout, progress per node on stderr, and exits 0', async () => {
    const run = await cli(['run', PIPELINE, '--algorithms', ALGORITHMS]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([{ nodeName: 'sum', algorithmName: 'sum', result: 30 }]);
    expect(run.stderr).toContain('[hkube-ts] double: succeed (5/5 succeed)');
    expect(run.stderr).toContain('[hkube-ts] sum: succeed (1/1 succeed)');
    expect(run.stderr).toMatch(/job pipeline-basics-\w{8} completed in \d+\.\d\d s/);
  });

  it('--json prints {jobId, pipeline, status, data, timeTook}; --flow-input replaces the flowInput', async () => {
    const flowInput = await file('numbers.json', { numbers: [10, 20, 30] });
    const run = await cli(['run', PIPELINE, '-a', ALGORITHMS, '--json', '--flow-input', flowInput]);
    expect(run.code).toBe(0);
    const output = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(Object.keys(output)).toEqual(['jobId', 'pipeline', 'status', 'data', 'timeTook']);
    expect(output).toMatchObject({ pipeline: 'pipeline-basics', status: 'completed', data: [{ nodeName: 'sum', result: 120 }] });
    expect(output['jobId']).toMatch(/^pipeline-basics-\w{8}$/);
    expect(typeof output['timeTook']).toBe('number');
  });

  it('runs a node as a process; --storage-dir keeps storage and the job records', async () => {
    const storage = join(dir, 'storage');
    const algorithms = await file('process-algorithms.json', {
      double: { path: join(EXAMPLE, 'double.mjs') },
      sum: { command: [process.execPath, wrapperBin()], cwd: EXAMPLE, env: { ALGORITHM_PATH: '.', ALGORITHM_ENTRY_POINT: 'sum.mjs', WORKER_ALGORITHM_ENCODING: 'msgpack' } },
    });
    const run = await cli(['run', PIPELINE, '--algorithms', algorithms, '--json', '--storage-dir', storage]);
    expect(run.code).toBe(0);
    const output = JSON.parse(run.stdout) as { jobId: string; data: unknown };
    expect(output.data).toEqual([{ nodeName: 'sum', algorithmName: 'sum', result: 30 }]);
    expect(await readdir(join(storage, 'local-hkube-results', output.jobId))).toEqual(['result.json']);
    expect(await readdir(join(storage, 'local-hkube-execution', output.jobId))).toEqual(['descriptor.json', 'run-record.json']);
    expect((await readdir(join(storage, 'local-hkube', output.jobId))).length).toBeGreaterThan(5);
    expect(run.stderr).toContain(`storage kept in ${storage}`);
  });

  it('a failed job exits 1; --json has its error and node', async () => {
    const algorithms = await file('failing.json', { double: { path: join(FIXTURES, 'exit-in-start.mjs') }, sum: { path: join(EXAMPLE, 'sum.mjs') } });
    const failing = await file('failing-pipeline.json', { name: 'failing', nodes: [{ nodeName: 'sum', algorithmName: 'sum', input: ['@flowInput.x'] }], flowInput: { x: 'not a list' } });
    const run = await cli(['run', failing, '--algorithms', algorithms, '--json']);
    expect(run.code).toBe(1);
    const output = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(output).toMatchObject({ pipeline: 'failing', status: 'failed', data: null, nodeName: 'sum', error: 'values.reduce is not a function' });
    expect(run.stderr).toMatch(/job failing-\w{8} failed after .* \(node sum\): values\.reduce is not a function/);
  });

  it('a command that exits at once fails the job with the command in the message', async () => {
    const algorithms = await file('exits.json', { double: { command: [process.execPath, '-e', 'process.exit(7)'] }, sum: { path: join(EXAMPLE, 'sum.mjs') } });
    const run = await cli(['run', PIPELINE, '--algorithms', algorithms]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/\(node double\): \d\/5 \(\d+%\) failed tasks, batch tolerance is 80%, error: the process of algorithm "double" \(.+\) exited with code 7 before connecting to its worker/);
  });
});

describe('hkube-ts usage and input errors (exit 2)', () => {
  it('--help prints the usage and exits 0', async () => {
    const run = await cli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: hkube-ts run <pipeline.json> --algorithms <algorithms.json>');
  });

  it.each([
    [[], 'missing command'],
    [['build'], "unknown command 'build'"],
    [['run'], 'missing the pipeline file'],
    [['run', 'p.json'], 'missing --algorithms'],
    [['run', 'p.json', '--algoritms', 'a.json'], "Unknown option '--algoritms'"],
  ])('%j', async (args, message) => {
    const run = await cli(args);
    expectInputError(run, message);
    expect(run.stderr).toContain('Run hkube-ts --help for usage.');
  });

  it('a missing pipeline file', async () => {
    expectInputError(await cli(['run', join(dir, 'nope.json'), '-a', ALGORITHMS]), `${join(dir, 'nope.json')}: cannot be read: no such file`);
  });

  it('invalid JSON, with the file name and the position', async () => {
    const bad = await file('bad.json', '{\n  "name": "x",\n  "nodes": [,]\n}\n');
    expectInputError(await cli(['run', bad, '-a', ALGORITHMS]), `${bad}: is not valid JSON: unexpected "," at line 3, column 13`);
  });

  it('an unknown algorithm, with HKube message and the algorithms that exist', async () => {
    const pipeline = await file('unknown.json', { name: 'unknown', nodes: [{ nodeName: 'A', algorithmName: 'triple', input: [] }] });
    expectInputError(await cli(['run', pipeline, '-a', ALGORITHMS]), `${pipeline}: algorithm triple Not Found (the algorithms file defines: double, sum)`);
  });

  it('an invalid pipeline, with HKube message', async () => {
    const pipeline = await file('cyclic.json', { name: 'cyclic', nodes: [{ nodeName: 'A', algorithmName: 'double', input: ['@B'] }, { nodeName: 'B', algorithmName: 'double', input: ['@A'] }] });
    expectInputError(await cli(['run', pipeline, '-a', ALGORITHMS]), `${pipeline}: invalid pipeline: cyclic nodes are not allowed on batch pipeline`);
  });

  it('a module without start', async () => {
    const algorithms = await file('no-start.json', { double: { path: join(FIXTURES, 'no-start.mjs') } });
    expectInputError(await cli(['run', PIPELINE, '-a', algorithms]), `${algorithms}: "double": the algorithm '${join(FIXTURES, 'no-start.mjs')}' does not export a start function`);
  });

  it.each([
    ['an array', [], 'must be a JSON object mapping algorithm names'],
    ['a string entry', { double: './double.mjs' }, '"double": expected { "path": "./algorithm.mjs" } or { "command": ["program", "arg", …] }'],
    ['both path and command', { double: { path: 'a.mjs', command: ['node'] } }, '"double": give either "path" or "command", not both'],
    ['an unknown key', { double: { path: 'a.mjs', cwd: '.' } }, '"double": unknown key "cwd" (allowed: path, maxWorkers, stateType)'],
    ['a command string', { double: { command: 'node main.js' } }, '"double": "command" must be a non-empty array of strings'],
    ['a bad env', { double: { command: ['node'], env: { N: 1 } } }, '"double": "env" must be an object whose values are strings'],
    ['a missing module', { double: { path: 'missing.mjs' } }, "cannot load the algorithm module"],
    ['a missing cwd', { double: { command: ['node'], cwd: 'nowhere' } }, 'does not exist'],
  ])('bad algorithms file: %s', async (_what, content, message) => {
    const algorithms = await file('algorithms-bad.json', content);
    expectInputError(await cli(['run', PIPELINE, '-a', algorithms]), message);
  });

  it('--stored loads <name>.json pipelines and reports a bad one', async () => {
    const stored = join(dir, 'stored');
    await mkdir(stored, { recursive: true });
    await writeFile(join(stored, 'good.json'), JSON.stringify({ nodes: [{ nodeName: 'A', algorithmName: 'double', input: [1] }] }));
    expect((await cli(['run', PIPELINE, '-a', ALGORITHMS, '--stored', stored])).code).toBe(0);
    await writeFile(join(stored, 'other.json'), JSON.stringify({ name: 'mismatch', nodes: [] }));
    expectInputError(await cli(['run', PIPELINE, '-a', ALGORITHMS, '--stored', stored]), 'its name "mismatch" differs from the file name');
    expectInputError(await cli(['run', PIPELINE, '-a', ALGORITHMS, '--stored', join(dir, 'none')]), 'no such directory');
  });

  it('reads the flow input file like the others', async () => {
    const bad = await file('flow.json', '{"numbers": [1, 2');
    const run = await cli(['run', PIPELINE, '-a', ALGORITHMS, '-f', bad]);
    expectInputError(run, `${bad}: is not valid JSON`);
    expect(JSON.parse(await readFile(PIPELINE, 'utf8'))).toHaveProperty('flowInput');
  });
});
