import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/built.js';
import { expectInputError, runCli as cli } from '../support/run-cli.js';

// The built `hkube-ts` CLI on the streaming example.
const EXAMPLE = join(REPO_ROOT, 'examples', 'streaming-tweets');
const PIPELINE = join(EXAMPLE, 'pipeline.json');
const ALGORITHMS = join(EXAMPLE, 'algorithms.json');

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hkube-ts-stream-cli-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('hkube-ts run on a stream pipeline', () => {
  it('shows per-edge statistics on stderr, and with --json prints the final edges', async () => {
    const run = await cli(['run', PIPELINE, '--algorithms', ALGORITHMS, '--json']);
    expect(run.code).toBe(0);
    const output = JSON.parse(run.stdout) as { status: string; data: unknown; edges: { source: string; target: string; sent: number; queueSize: number }[] };
    expect(output).toMatchObject({ status: 'completed', data: [{ nodeName: 'sort', result: { analyze: 10, master: 10 } }] });
    expect(output.edges.map((edge) => `${edge.source}>${edge.target}`)).toEqual(['sort>A', 'twitt>sort', 'sort>B']);
    // Wrappers report every STREAMING_STATISTICS_INTERVAL, so the last counts may lag behind the end.
    expect(output.edges.every((edge) => edge.sent >= 0 && edge.sent <= 20)).toBe(true);
    expect(run.stderr).toMatch(/twitt → sort: \d+ sent, \d+ responses, \d+\.\d msg\/s, queue \d+, \d replicas?/);
    expect(run.stderr).toMatch(/job streaming-tweets-\w{8} completed in/);
  });

  it('--duration stops a stream that never ends by itself, and exits 0', async () => {
    // sort waits for more tweets than twitt sends: only the duration ends the job.
    const pipeline = JSON.parse(await readFile(PIPELINE, 'utf8')) as { nodes: { nodeName: string; input?: unknown[] }[] };
    pipeline.nodes.find((node) => node.nodeName === 'sort')!.input = [1_000_000];
    const file = join(dir, 'forever.json');
    await writeFile(file, JSON.stringify(pipeline));
    const algorithms = join(dir, 'algorithms.json');
    await writeFile(algorithms, JSON.stringify(Object.fromEntries(['twitt', 'sort', 'analyze', 'archive'].map((name) => [name, { path: join(EXAMPLE, `${name}.mjs`) }]))));
    const run = await cli(['run', file, '--algorithms', algorithms, '--duration', '1.5', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'stopped', reason: 'stopped after --duration 1.5 s', data: null });
  });

  it('refuses a "stateType" in the algorithms file that is not stateful or stateless', async () => {
    const algorithms = join(dir, 'bad-state.json');
    await writeFile(algorithms, JSON.stringify({ twitt: { path: join(EXAMPLE, 'twitt.mjs'), stateType: 'sometimes' } }));
    expectInputError(await cli(['run', PIPELINE, '--algorithms', algorithms]), '"twitt": "stateType" must be "stateful" or "stateless"');
  });

  it('refuses a --duration that is not a positive number, and --duration on a batch pipeline', async () => {
    expectInputError(await cli(['run', PIPELINE, '--algorithms', ALGORITHMS, '--duration', 'soon']), "--duration must be a number of seconds greater than 0, got 'soon'");
    expectInputError(await cli(['run', PIPELINE, '--algorithms', ALGORITHMS, '--duration', '0']), '--duration must be a number of seconds greater than 0');
    const batch = join(REPO_ROOT, 'examples', 'pipeline-basics');
    expectInputError(await cli(['run', join(batch, 'pipeline.json'), '--algorithms', join(batch, 'algorithms.json'), '--duration', '5']), '--duration is for stream pipelines');
  });
});
